/**
 * @clearance/protocol — the pure, shared layer: CabinCrew types and schema validators, strict JSON
 * and RFC 8785 canonical JSON, domain-separated SHA-256, Ed25519 digest signatures, redaction, the
 * closed error-code table, and audit-chain and Merkle-proof *verification*, so that an auditor needs
 * nothing else. No I/O beyond reading the vendored schema file at load.
 */
export type {
  AggregationMethod,
  AnyMap,
  ApprovalReceivedData,
  ApprovalRecord,
  ApprovalRequest,
  ApprovalRequestedData,
  ApprovalResponse,
  Artifact,
  ArtifactCreatedData,
  ArtifactRecord,
  AuditApproval,
  AuditArtifact,
  AuditEngine,
  AuditEvent,
  AuditGateway,
  AuditIntegrity,
  AuditPolicy,
  AuditSeverity,
  AuditWorkflow,
  DateTimeString,
  Decision,
  DecisionSeverity,
  DefinitionName,
  DefinitionShape,
  DefinitionTypes,
  EngineArtifact,
  EngineInput,
  EngineMeta,
  EngineMetric,
  EngineOrchestrator,
  EngineOutput,
  EngineStatus,
  EnumDefinitionName,
  GatewayApproval,
  JsonArray,
  JsonObject,
  JsonValue,
  LLMGatewayPolicyConfig,
  LLMGatewayRequest,
  LLMGatewayResponse,
  LLMGatewayRule,
  MCPGatewayPolicyConfig,
  MCPGatewayRequest,
  MCPGatewayResponse,
  MCPGatewayRule,
  MapDefinitionName,
  Mode,
  ObjectDefinitionName,
  OptionalKeys,
  PlanArtifactHash,
  PlanToken,
  PolicyEvaluatedData,
  PolicyEvaluation,
  PolicyEvaluationRecord,
  PolicySource,
  PreflightEvidence,
  PreflightInput,
  PreflightOutput,
  PreflightRequires,
  RecordStringAny,
  RequiredKeys,
  ShapeOf,
  State,
  StepCompletedData,
  StepStartedData,
  TypedWALEntry,
  UnionDefinitionName,
  WALDataMap,
  WALEntry,
  WALEntryData,
  WALEntryType,
  WalEntryOf,
  WorkflowCompletedData,
  WorkflowFailedData,
  WorkflowStartedData,
  WorkflowState,
  WorkflowStateRecord,
} from './types/index.js';
export {
  AGGREGATION_METHODS,
  AUDIT_SEVERITIES,
  DECISIONS,
  DECISION_SEVERITIES,
  DEFINITION_ENUMS,
  DEFINITION_NAMES,
  DEFINITION_SHAPES,
  ENGINE_STATUSES,
  INLINE_ENUMS,
  MAP_DEFINITIONS,
  MODES,
  POLICY_SOURCES,
  STATES,
  UNION_DEFINITIONS,
  WAL_DATA_DEFINITION,
  WAL_ENTRY_TYPES,
} from './types/index.js';
export {
  ClearanceError,
  ERROR_CODES,
  ERROR_TABLE,
  hasCode,
  httpStatusFor,
  isErrorCode,
} from './errors.js';
export type { ErrorCode, ErrorDetail } from './errors.js';
export { HASH_DOMAINS } from './hash-domains.js';
export type { HashDomain, HashDomainName } from './hash-domains.js';
export {
  asObject,
  failWith,
  FieldReader,
  isPlainObject,
  jsonPointer,
  pointerError,
  pointerToken,
  refuseUnknownKeys,
  strictObject,
} from './strict-reader.js';
export type { FailAt, KeySet, PlainObject } from './strict-reader.js';
export { parseJsonStrict } from './json-parse.js';
export type { StrictParseOptions } from './json-parse.js';
export { canonicalBytes, canonicalize } from './canonical.js';
export {
  assertDomain,
  assertSha256Hex,
  constantTimeEqual,
  H,
  Hb,
  hashValueBytes,
  isSha256Hex,
} from './hash.js';
export type { Sha256Hex } from './hash.js';
export { fromBase64UrlStrict, toBase64Url } from './encoding.js';
export {
  digestSigner,
  ED25519_KEY_REF_PREFIX,
  keyRefFor,
  publicKeyFromPem,
  publicKeyFromRaw,
  rawPublicKey,
  trustedKeysFrom,
  verifyDigest,
} from './signing.js';
export type { DigestSigner, TrustedKeys } from './signing.js';
export { assertValid, validate } from './validators.js';
export type { SchemaIssue, SchemaResult } from './validators.js';
export {
  assertApprovalResponseTimestamp,
  assertAuditEvent,
  assertSeverityConsistent,
  assertWalEntry,
  DECISION_SEVERITY,
  isProfileTimestamp,
  NO_WORKFLOW_STATE,
  toProfileTimestamp,
} from './profile.js';
export { DEFAULT_REDACTION_RULES, REDACTED, Redactor } from './redact.js';
export type { RedactionRules, SecretPattern } from './redact.js';
export {
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  MerkleAccumulator,
  MerkleProofError,
  merkleRoot,
} from './merkle.js';
export {
  consistencyProof,
  inclusionProof,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeInclusion,
} from './merkle-proofs.js';
export { verifySubtreeConsistency } from './merkle-subtree.js';
export { AUDIT_EVENT_DOMAIN, auditEventDigest, sealAuditEvent } from './audit/event.js';
export type { AuditEventDraft, SealedAuditEvent } from './audit/event.js';
export {
  AUDIT_CHECKPOINT_DOMAIN,
  assertCheckpointSigned,
  checkpointDigest,
  parseCheckpointLine,
  sealCheckpoint,
} from './audit/checkpoint.js';
export type { AuditCheckpoint, AuditCheckpointBody } from './audit/checkpoint.js';
export { AuditChainVerifier } from './audit/chain.js';
export type { AuditBreak, ChainVerifierOptions } from './audit/chain.js';
export { splitLines, verifyAuditLog } from './audit/verify.js';
export type { AuditLogInput, AuditVerification, VerifiedLogState } from './audit/verify.js';
export { ROLE_NAME_RE } from './roles.js';
