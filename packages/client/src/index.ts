/** @clearance/client — typed HTTP client of the public Clearance API (browser and Node). */
export { ClearanceClient } from './client.js';
export type { ClientOptions, FeasibilityRequest } from './client.js';
export { ApiError, isApiError } from './errors.js';
export {
  APPROVAL_BINDING_DOMAIN,
  approvalBindingDigest,
  describePublicKey,
  generateApprovalKey,
  keyRefOfRaw,
  signApproval,
} from './approval-signing.js';
export type { BindingFields, WebCryptoKey, WebCryptoKeyPair } from './approval-signing.js';
export type { ApiErrorInit } from './errors.js';
// The CNC wire contract (one declaration in @clearance/protocol), for forms that check before sending.
export {
  CNC_JOB_SCHEMA,
  MATERIAL_HARDNESSES,
  OVERRIDE_REASON,
  overrideReasonAccepted,
  TOOL_TYPES,
  wireProblem,
} from '@clearance/protocol/portable';
export { STATE_NAMES } from './decode.js';
export { isAuditEvent } from './decode-audit.js';
export type {
  ApprovalAnswer,
  ApprovalResult,
  ApproverSignature,
  ArtifactListing,
  AuditEvent,
  AuditQuery,
  BlobRef,
  Checkpoint,
  CheckpointList,
  EventPage,
  JobView,
  ListedArtifact,
  Me,
  OverrideRequest,
  PendingApproval,
  RunArtifact,
  RunEntry,
  RunFilter,
  State,
  VerifyReport,
  WorkflowDetails,
  WorkflowFilter,
  WorkflowSummary,
} from './types.js';
export type {
  AnyJob,
  CncJob,
  FeasibilityCheck,
  FeasibilityCore,
  JobCutting,
  JobFeasibility,
  JobMaterial,
  JobOperation,
  JobRelease,
  JobStock,
  JobTool,
  MaterialHardness,
  NormalizedJob,
  NormalizedOperation,
  OverrideRecord,
  Point2,
  ProfileSide,
  RiskLevel,
  RuleInfo,
} from './cnc-types.js';
