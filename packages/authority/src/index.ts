/**
 * @clearance/authority — the authoritative zone: the orchestrator state machine, plan-tokens,
 * engines and their sandbox, approvals, run artifacts, the CNC domain, keys, identity and the
 * Clearance home. Front ends read through `AuthorityQueries` and act through the orchestrator;
 * the stores themselves stay inside.
 */
// The stores (AuditLog, FileContentStore, the WAL reader, the home lock) stay inside: front ends
// read through `AuthorityQueries` (query.ts) and act through the orchestrator.
export type { AuditEventInput, AuditReceipt, InclusionProofResult } from './audit/log.js';
export type { TornTail } from './audit/torn-tail.js';
export {
  checkAgainstCheckpoint,
  parseTrustedCheckpoints,
  treeOfLeaves,
} from './audit/consistency.js';
export type { ConsistencyCodes, ConsistencyResult, LogTree } from './audit/consistency.js';
export { verifyHomeAgainstCheckpoints } from './audit/trusted.js';
export type { TrustedCheckpointReport } from './audit/trusted.js';
export { CommandWitness, DirWitness, witnessFileName, witnessFor } from './audit/witness.js';
export type { CheckpointWitness } from './audit/witness.js';
export type { BlobRef, ContentAddress, ContentStore } from './cas/store.js';
export { ClearanceHome, MANIFEST, readManifest, resolveHomeDir } from './home.js';
export type { HomeManifest, HomeOptions, InitResult } from './home.js';
export { homeStatus, tailEvents, verifyHomeAudit } from './inspect.js';
export { deepVerifyHome, firstProblemPerCode, loadDeepHome } from './deep-verify.js';
export type {
  DeepCheck,
  DeepCheckReport,
  DeepHome,
  DeepProblem,
  DeepReport,
} from './deep-verify.js';
export { DEEP_CHECKS } from './deep-checks.js';
export type { HomeAuditReport, HomeStatus, VerifyHomeOptions } from './inspect.js';
export { createSigningKey, loadPublicKey, loadSigningKey } from './keys.js';
export type { SigningKey } from './keys.js';
export { randomIds, sequentialIds, steppingClock, systemClock } from './runtime.js';
export type { Clock, IdSource } from './runtime.js';
export {
  BUILTIN_ROLES,
  checkUser,
  normalisePublicKey,
  tokenDigest,
  UserDirectory,
  userKeyRef,
} from './users.js';
export {
  APPROVAL_BINDING_DOMAIN,
  approvalBinding,
  checkApproverSignature,
  SIGNATURE_SKEW_MS,
  verifyApproverSignature,
} from './approver-signatures.js';
export type {
  ApprovalBindingFields,
  ApproverSignature,
  ApproverSignatureVerdict,
} from './approver-signatures.js';
export type { User } from './users.js';
// Configuration: what the CLI and server read and write (the rest stays inside the authority).
export {
  CHECKPOINT_EVERY,
  configJson,
  configPath,
  DEFAULT_RATE_LIMITS,
  defaultConfig,
  loadConfig,
  parseConfig,
} from './config/index.js';
export type { ClearanceConfig, DefaultWorkspace, RateLimitsConfig } from './config/index.js';
export {
  ARTIFACT_DOMAIN,
  ARTIFACT_META_DOMAIN,
  ARTIFACT_SET_DOMAIN,
  buildPlanToken,
  checkPlanToken,
  collectArtifacts,
  computeToken,
  diffWorkspaces,
  hashWorkspace,
  inputDigest,
  judgeReceipt,
  loadArtifactSet,
  PLAN_TOKEN_DOMAIN,
  PLAN_TOKEN_HASH_DOMAIN,
  PLAN_TOKEN_VERSION,
  planTokenHash,
  rehashDirectory,
  rehashStored,
  restoreArtifacts,
  storeArtifacts,
  WORKSPACE_DOMAIN,
} from './plan/index.js';
export type {
  ArtifactSet,
  CollectedArtifact,
  PlanTokenInputs,
  ReceiptVerdict,
  StoredArtifact,
  TokenCheck,
  WorkspaceSnapshot,
} from './plan/index.js';
// The engine sandbox (bubblewrap), for hosts that build their own authority (bench, tests).
export { BubblewrapSandbox } from './sandbox/index.js';
export type { EngineSandbox } from './sandbox/index.js';
export { RunArtifactStore, RUN_ARTIFACT_DOMAIN, RUN_STATUSES } from './runs/run-artifacts.js';
// Who may do what: the one authorization table (issue 11 item 2), also read by the server's guards.
export { AUTHORIZATION, authorize, holdsRole, may } from './authorization.js';
export type { Actor, AuthorizedAction, RoleRule, Subject } from './authorization.js';
// Who may read which workflow, run and stored blob (issue 10 item 6).
export {
  blobReferences,
  BlobReferences,
  maySeeWorkflow,
  SCOPED_ROLE,
  seesAll,
} from './read-access.js';
export type { Reader, ReadSources } from './read-access.js';
export type {
  RunArtifact,
  RunArtifactBody,
  RunIndexEntry,
  RunStatus,
} from './runs/run-artifacts.js';
export { Orchestrator } from './orchestrator/orchestrator.js';
export type {
  OrchestratorOptions,
  Principal,
  Proposal,
  WorkflowDetails,
} from './orchestrator/orchestrator.js';
export type { ApprovalOutcome, ApprovalSubmission } from './orchestrator/approve.js';
export type { FaultHook, FaultPoint } from './orchestrator/context.js';
export { PROTOCOL_VERSION } from './orchestrator/context.js';
export type { RecoveryAction } from './orchestrator/recovery.js';
export { ENGINE_STEP, toStateRecord } from './workflow/reducer.js';
export type { PendingApproval, WorkflowView } from './workflow/reducer.js';
export { TRANSITIONS } from './workflow/states.js';
export { readWalFile, WAL_ENTRY_DOMAIN } from './workflow/wal.js';
export { WalMacKey, WAL_KEY_FILE } from './workflow/wal-key.js';
export type { LegacyWalPrefix, WalSeal } from './workflow/wal-key.js';
export { openAuthority, policySourcesFor } from './authority.js';
export type { AuthorityQueries, ConsistencyAnswer } from './query.js';
export type { AuthorityRuntime, OpenAuthorityOptions } from './authority.js';
export { builtinDomains, builtinEngine } from './engines/builtin.js';
export type { BuiltinDomainOptions, BuiltinDomains } from './engines/builtin.js';
// The domain seam (DESIGN "Extension seams"): what built-in engines and the gateways register.
export { DEFAULT_DOMAIN, defineDomain, DomainRegistry } from './domain/registry.js';
export type { DomainParts } from './domain/registry.js';
export type {
  Domain,
  DomainArtifact,
  DomainEvent,
  DomainHost,
  DomainRecoveryAction,
  EngineRef,
  OutputCheck,
  OutputRefusal,
  RecoveredWorkflow,
  RecoveryPort,
  ReleaseOutcome,
  TakeoffOutputs,
  WorkflowReads,
} from './domain/domain.js';
export { assessJob, assessmentHash, CNC_ENGINE_ID, requestedJob } from './cnc/job.js';
export { CncService } from './cnc/service.js';
export type { CncJobView, JobFeasibility, JobRelease, OverrideRequest } from './cnc/service.js';
export { OVERRIDE_KIND } from './cnc/overrides.js';
export type { OverrideRecord, OverrideScope } from './cnc/overrides.js';
export { RELEASE_TYPE, TOOLPATHS_KIND } from './cnc/takeoff.js';
export { FEASIBILITY_SOURCE_NAME, feasibilityVerdict } from './cnc/feasibility-source.js';
export { ARTIFACT_SET_TYPE } from './orchestrator/records.js';
// The manufacturing domain (pure, in @clearance/cnc), re-exported for the front ends.
export {
  CNC_ENGINE_VERSION,
  jobHash,
  DEFAULT_MACHINE_ID,
  explainFeasibility,
  feasibilityHash,
  MACHINE_IDS,
  machineProfile,
  renderValidation,
  safeEvaluate,
  validateGcode,
} from '@clearance/cnc';
export type { FeasibilityOutcome, MachineProfile } from '@clearance/cnc';
