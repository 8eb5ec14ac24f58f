import type { Artifact, PlanArtifactHash, PlanToken } from './artifact.js';
import type {
  AggregationMethod,
  AuditApproval,
  AuditArtifact,
  AuditEngine,
  AuditEvent,
  AuditGateway,
  AuditIntegrity,
  AuditPolicy,
  AuditWorkflow,
  DecisionSeverity,
  PolicyEvaluation,
} from './audit.js';
import type {
  EngineArtifact,
  EngineInput,
  EngineMeta,
  EngineMetric,
  EngineOrchestrator,
  EngineOutput,
  Mode,
} from './engine.js';
import type {
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
import type { AnyMap, RecordStringAny } from './json.js';
import type {
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
import type { Assert, Equal } from './shape.js';
import type {
  ApprovalReceivedData,
  ApprovalRequestedData,
  ArtifactCreatedData,
  PolicyEvaluatedData,
  StepCompletedData,
  StepStartedData,
  WALEntry,
  WALEntryData,
  WALEntryType,
  WorkflowCompletedData,
  WorkflowFailedData,
  WorkflowStartedData,
} from './wal.js';

/** The names of all 57 definitions of the vendored CabinCrew schema, in schema file order. */
export const DEFINITION_NAMES = [
  'Artifact',
  'PlanArtifactHash',
  'PlanToken',
  'RecordStringAny',
  'PreflightEvidence',
  'PreflightInput',
  'PreflightRequires',
  'Decision',
  'PreflightOutput',
  'ApprovalRequest',
  'ApprovalResponse',
  'State',
  'WorkflowState',
  'WorkflowStateRecord',
  'ApprovalRecord',
  'ArtifactRecord',
  'PolicyEvaluationRecord',
  'WALEntry',
  'WALEntryType',
  'WALEntryData',
  'WorkflowStartedData',
  'StepStartedData',
  'StepCompletedData',
  'ApprovalRequestedData',
  'ApprovalReceivedData',
  'ArtifactCreatedData',
  'PolicyEvaluatedData',
  'WorkflowCompletedData',
  'WorkflowFailedData',
  'AuditWorkflow',
  'AuditEngine',
  'AuditArtifact',
  'AggregationMethod',
  'DecisionSeverity',
  'AuditPolicy',
  'PolicyEvaluation',
  'AuditApproval',
  'AuditIntegrity',
  'AuditGateway',
  'AuditEvent',
  'AnyMap',
  'EngineMeta',
  'EngineOrchestrator',
  'EngineInput',
  'EngineArtifact',
  'EngineMetric',
  'EngineOutput',
  'LLMGatewayRequest',
  'GatewayApproval',
  'LLMGatewayResponse',
  'LLMGatewayRule',
  'LLMGatewayPolicyConfig',
  'MCPGatewayRequest',
  'MCPGatewayResponse',
  'MCPGatewayRule',
  'MCPGatewayPolicyConfig',
  'Mode',
] as const;

/** Name of a definition in the vendored CabinCrew schema (`#/definitions/<name>`). */
export type DefinitionName = (typeof DEFINITION_NAMES)[number];

/** The hand-written TypeScript type of every schema definition, by definition name. */
export type DefinitionTypes = {
  readonly Artifact: Artifact;
  readonly PlanArtifactHash: PlanArtifactHash;
  readonly PlanToken: PlanToken;
  readonly RecordStringAny: RecordStringAny;
  readonly PreflightEvidence: PreflightEvidence;
  readonly PreflightInput: PreflightInput;
  readonly PreflightRequires: PreflightRequires;
  readonly Decision: Decision;
  readonly PreflightOutput: PreflightOutput;
  readonly ApprovalRequest: ApprovalRequest;
  readonly ApprovalResponse: ApprovalResponse;
  readonly State: State;
  readonly WorkflowState: WorkflowState;
  readonly WorkflowStateRecord: WorkflowStateRecord;
  readonly ApprovalRecord: ApprovalRecord;
  readonly ArtifactRecord: ArtifactRecord;
  readonly PolicyEvaluationRecord: PolicyEvaluationRecord;
  readonly WALEntry: WALEntry;
  readonly WALEntryType: WALEntryType;
  readonly WALEntryData: WALEntryData;
  readonly WorkflowStartedData: WorkflowStartedData;
  readonly StepStartedData: StepStartedData;
  readonly StepCompletedData: StepCompletedData;
  readonly ApprovalRequestedData: ApprovalRequestedData;
  readonly ApprovalReceivedData: ApprovalReceivedData;
  readonly ArtifactCreatedData: ArtifactCreatedData;
  readonly PolicyEvaluatedData: PolicyEvaluatedData;
  readonly WorkflowCompletedData: WorkflowCompletedData;
  readonly WorkflowFailedData: WorkflowFailedData;
  readonly AuditWorkflow: AuditWorkflow;
  readonly AuditEngine: AuditEngine;
  readonly AuditArtifact: AuditArtifact;
  readonly AggregationMethod: AggregationMethod;
  readonly DecisionSeverity: DecisionSeverity;
  readonly AuditPolicy: AuditPolicy;
  readonly PolicyEvaluation: PolicyEvaluation;
  readonly AuditApproval: AuditApproval;
  readonly AuditIntegrity: AuditIntegrity;
  readonly AuditGateway: AuditGateway;
  readonly AuditEvent: AuditEvent;
  readonly AnyMap: AnyMap;
  readonly EngineMeta: EngineMeta;
  readonly EngineOrchestrator: EngineOrchestrator;
  readonly EngineInput: EngineInput;
  readonly EngineArtifact: EngineArtifact;
  readonly EngineMetric: EngineMetric;
  readonly EngineOutput: EngineOutput;
  readonly LLMGatewayRequest: LLMGatewayRequest;
  readonly GatewayApproval: GatewayApproval;
  readonly LLMGatewayResponse: LLMGatewayResponse;
  readonly LLMGatewayRule: LLMGatewayRule;
  readonly LLMGatewayPolicyConfig: LLMGatewayPolicyConfig;
  readonly MCPGatewayRequest: MCPGatewayRequest;
  readonly MCPGatewayResponse: MCPGatewayResponse;
  readonly MCPGatewayRule: MCPGatewayRule;
  readonly MCPGatewayPolicyConfig: MCPGatewayPolicyConfig;
  readonly Mode: Mode;
};

/** Static proof that `DEFINITION_NAMES` and `DefinitionTypes` name the same 57 definitions. */
export type DefinitionNamesMatchTypes = Assert<Equal<DefinitionName, keyof DefinitionTypes>>;

/** The two free-form object definitions (any JSON object); they have no declared properties. */
export const MAP_DEFINITIONS = ['RecordStringAny', 'AnyMap'] as const;

/** Name of a free-form object definition. */
export type MapDefinitionName = (typeof MAP_DEFINITIONS)[number];

/** The `anyOf` definitions and the definitions they are the union of, in schema order. */
export const UNION_DEFINITIONS = {
  WALEntryData: [
    'WorkflowStartedData',
    'StepStartedData',
    'StepCompletedData',
    'ApprovalRequestedData',
    'ApprovalReceivedData',
    'ArtifactCreatedData',
    'PolicyEvaluatedData',
    'WorkflowCompletedData',
    'WorkflowFailedData',
  ],
} as const satisfies { readonly [N in DefinitionName]?: readonly DefinitionName[] };

/** Name of an `anyOf` (union) definition. */
export type UnionDefinitionName = keyof typeof UNION_DEFINITIONS;

/** Static proof that each union definition's type is the union of its members' types. */
export type UnionsMatchTypes = Assert<
  Equal<
    {
      [N in UnionDefinitionName]: Equal<
        DefinitionTypes[(typeof UNION_DEFINITIONS)[N][number]],
        DefinitionTypes[N]
      >;
    }[UnionDefinitionName],
    true
  >
>;
