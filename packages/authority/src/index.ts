/**
 * @clearance/authority — the authoritative zone: stores (content-addressed blobs, the audit log),
 * keys, identity and the Clearance home. Later issues add the orchestrator, engines and approvals.
 */
export { AuditLog } from './audit/log.js';
export type {
  AuditEventInput,
  AuditLogOptions,
  AuditReceipt,
  InclusionProofResult,
} from './audit/log.js';
export type { TornTail } from './audit/torn-tail.js';
export { FileContentStore } from './cas/file-store.js';
export type { FileStoreOptions } from './cas/file-store.js';
export type { BlobRef, ContentAddress, ContentStore } from './cas/store.js';
export { ClearanceHome, MANIFEST, readManifest, resolveHomeDir } from './home.js';
export type { HomeManifest, HomeOptions, InitResult } from './home.js';
export { homeStatus, tailEvents, verifyHomeAudit } from './inspect.js';
export type { HomeAuditReport, HomeStatus, VerifyHomeOptions } from './inspect.js';
export { createSigningKey, loadPublicKey, loadSigningKey } from './keys.js';
export type { SigningKey } from './keys.js';
export { acquireLock } from './lock.js';
export type { HomeLock } from './lock.js';
export { randomIds, sequentialIds, steppingClock, systemClock } from './runtime.js';
export type { Clock, IdSource } from './runtime.js';
export { BUILTIN_ROLES, checkUser, tokenDigest, UserDirectory } from './users.js';
export type { User } from './users.js';
