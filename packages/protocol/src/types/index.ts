/**
 * Hand-written TypeScript types for the 57 definitions of the vendored CabinCrew schema
 * (`schema/cabincrew.schema.json`), the enumeration value lists they derive from, and runtime
 * tables describing each definition (checked by the compiler against the types, and by
 * `test/types.test.ts` against the schema).
 */

export type { Artifact, PlanArtifactHash, PlanToken } from './artifact.js';
export type {
  AggregationMethod,
  AuditApproval,
  AuditArtifact,
  AuditEngine,
  AuditEvent,
  AuditGateway,
  AuditIntegrity,
  AuditPolicy,
  AuditSeverity,
  AuditWorkflow,
  DecisionSeverity,
  PolicyEvaluation,
  PolicySource,
} from './audit.js';
export {
  AGGREGATION_METHODS,
  AUDIT_SEVERITIES,
  DECISION_SEVERITIES,
  POLICY_SOURCES,
} from './audit.js';
export type {
  DefinitionName,
  DefinitionTypes,
  EnumDefinitionName,
  MapDefinitionName,
  ObjectDefinitionName,
  UnionDefinitionName,
} from './definitions.js';
export {
  DEFINITION_ENUMS,
  DEFINITION_NAMES,
  DEFINITION_SHAPES,
  INLINE_ENUMS,
  MAP_DEFINITIONS,
  UNION_DEFINITIONS,
} from './definitions.js';
export type {
  EngineArtifact,
  EngineInput,
  EngineMeta,
  EngineMetric,
  EngineOrchestrator,
  EngineOutput,
  EngineStatus,
  Mode,
} from './engine.js';
export { ENGINE_STATUSES, MODES } from './engine.js';
export type {
  GatewayApproval,
  LLMGatewayPolicyConfig,
  LLMGatewayRequest,
  LLMGatewayResponse,
  LLMGatewayRule,
  MCPGatewayPolicyConfig,
  MCPGatewayRequest,
  MCPGatewayResponse,
  MCPGatewayRule,
} from './gateway.js';
export type {
  AnyMap,
  DateTimeString,
  JsonArray,
  JsonObject,
  JsonValue,
  RecordStringAny,
} from './json.js';
export type {
  ApprovalRecord,
  ApprovalRequest,
  ApprovalResponse,
  ArtifactRecord,
  Decision,
  PolicyEvaluationRecord,
  PreflightEvidence,
  PreflightInput,
  PreflightOutput,
  PreflightRequires,
  State,
  WorkflowState,
  WorkflowStateRecord,
} from './orchestrator.js';
export { DECISIONS, STATES } from './orchestrator.js';
export type { DefinitionShape, OptionalKeys, RequiredKeys, ShapeOf } from './shape.js';
export type {
  ApprovalReceivedData,
  ApprovalRequestedData,
  ArtifactCreatedData,
  PolicyEvaluatedData,
  StepCompletedData,
  StepStartedData,
  TypedWALEntry,
  WALDataMap,
  WALEntry,
  WALEntryData,
  WALEntryType,
  WalEntryOf,
  WorkflowCompletedData,
  WorkflowFailedData,
  WorkflowStartedData,
} from './wal.js';
export { WAL_DATA_DEFINITION, WAL_ENTRY_TYPES } from './wal.js';
