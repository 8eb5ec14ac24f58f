/**
 * The plan layer: engine receipts, workspace hashing, artifact collection and its
 * content-addressed copy, and the plan-token (spec §4.2.2–§4.2.5).
 */
export {
  ARTIFACT_DOMAIN,
  ARTIFACT_META_DOMAIN,
  ARTIFACT_SET_DOMAIN,
  INPUT_DOMAIN,
  PLAN_TOKEN_DOMAIN,
  PLAN_TOKEN_HASH_DOMAIN,
  WORKSPACE_DOMAIN,
} from './domains.js';
export {
  ARTIFACT_NAME_RE,
  ARTIFACT_ROLES,
  compareUtf8,
  isArtifactName,
  isArtifactRole,
} from './names.js';
export type { ArtifactRole } from './names.js';
export { DEFAULT_RECEIPT_MAX_BYTES, isEngineOutput, judgeReceipt } from './receipt.js';
export type {
  EngineExit,
  ReceiptExpectation,
  ReceiptFailureCode,
  ReceiptLimits,
  ReceiptVerdict,
} from './receipt.js';
export { diffWorkspaces, hashWorkspace } from './workspace.js';
export type { WorkspaceEntry, WorkspaceOptions, WorkspaceSnapshot } from './workspace.js';
export { ARTIFACT_JSON, BODY_DATA } from './artifact-file.js';
export {
  artifactHash,
  collectArtifacts,
  DEFAULT_ARTIFACT_LIMITS,
  descriptorOf,
} from './artifacts.js';
export type { ArtifactDescriptor, ArtifactLimits, CollectedArtifact } from './artifacts.js';
export { loadArtifactSet, rehashStored, storeArtifacts } from './store.js';
export type { ArtifactSet, BlobPointer, RehashedArtifact, StoredArtifact } from './store.js';
export { rehashDirectory, restoreArtifacts, UNLISTED_ARTIFACT_HASH } from './restore.js';
export {
  buildPlanToken,
  checkPlanToken,
  computeToken,
  inputDigest,
  PLAN_TOKEN_VERSION,
  planTokenHash,
} from './plan-token.js';
export type {
  DigestedInput,
  PlanTokenArtifact,
  PlanTokenInputs,
  TokenCheck,
} from './plan-token.js';
