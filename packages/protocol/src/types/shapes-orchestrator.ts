import type {
  ApprovalRecord,
  ApprovalRequest,
  ApprovalResponse,
  ArtifactRecord,
  PolicyEvaluationRecord,
  PreflightEvidence,
  PreflightInput,
  PreflightOutput,
  PreflightRequires,
  WorkflowState,
  WorkflowStateRecord,
} from './orchestrator.js';
import { shape } from './shape.js';
import type {
  ApprovalReceivedData,
  ApprovalRequestedData,
  ArtifactCreatedData,
  PolicyEvaluatedData,
  StepCompletedData,
  StepStartedData,
  WALEntry,
  WorkflowCompletedData,
  WorkflowFailedData,
  WorkflowStartedData,
} from './wal.js';

/** Shapes of the orchestration, approval, record and WAL object definitions. */
export const ORCHESTRATOR_SHAPES = {
  PreflightEvidence: shape<PreflightEvidence>()({
    properties: ['name', 'path', 'hash'],
    required: ['name', 'path', 'hash'],
  }),
  PreflightInput: shape<PreflightInput>()({
    properties: [
      'workflow_id',
      'step_id',
      'mode',
      'engine_output',
      'evidence',
      'context',
      'plan_token',
    ],
    required: ['workflow_id', 'step_id', 'mode', 'engine_output'],
  }),
  PreflightRequires: shape<PreflightRequires>()({
    properties: ['role', 'reason'],
    required: [],
  }),
  PreflightOutput: shape<PreflightOutput>()({
    properties: ['decision', 'violations', 'warnings', 'requires'],
    required: ['decision'],
  }),
  ApprovalRequest: shape<ApprovalRequest>()({
    properties: [
      'approval_id',
      'workflow_id',
      'step_id',
      'reason',
      'required_role',
      'engine_output',
      'evidence',
      'plan_token_hash',
    ],
    required: [
      'approval_id',
      'workflow_id',
      'step_id',
      'reason',
      'required_role',
      'plan_token_hash',
    ],
  }),
  ApprovalResponse: shape<ApprovalResponse>()({
    properties: ['approval_id', 'approved', 'approver', 'reason', 'timestamp'],
    required: ['approval_id', 'approved'],
  }),
  WorkflowState: shape<WorkflowState>()({
    properties: ['state', 'workflow_id', 'step_id', 'last_decision', 'plan_token_hash'],
    required: ['state'],
  }),
  WorkflowStateRecord: shape<WorkflowStateRecord>()({
    properties: [
      'workflow_id',
      'current_state',
      'plan_token_hash',
      'created_at',
      'updated_at',
      'steps_completed',
      'steps_pending',
      'approvals',
      'artifacts',
      'policy_evaluations',
      'metadata',
    ],
    required: [
      'workflow_id',
      'current_state',
      'plan_token_hash',
      'created_at',
      'updated_at',
      'steps_completed',
      'steps_pending',
      'approvals',
      'artifacts',
      'policy_evaluations',
    ],
  }),
  ApprovalRecord: shape<ApprovalRecord>()({
    properties: [
      'approval_id',
      'step_id',
      'plan_token_hash',
      'approved',
      'approver',
      'approved_at',
      'reason',
      'evidence_hashes',
    ],
    required: ['approval_id', 'step_id', 'plan_token_hash', 'approved', 'approver', 'approved_at'],
  }),
  ArtifactRecord: shape<ArtifactRecord>()({
    properties: [
      'artifact_id',
      'step_id',
      'artifact_hash',
      'artifact_type',
      'created_at',
      'metadata',
    ],
    required: ['artifact_id', 'step_id', 'artifact_hash', 'artifact_type', 'created_at'],
  }),
  PolicyEvaluationRecord: shape<PolicyEvaluationRecord>()({
    properties: [
      'evaluation_id',
      'step_id',
      'policy_name',
      'decision',
      'evaluated_at',
      'reason',
      'evidence_hashes',
    ],
    required: ['evaluation_id', 'step_id', 'policy_name', 'decision', 'evaluated_at'],
  }),
  WALEntry: shape<WALEntry>()({
    properties: ['sequence', 'timestamp', 'workflow_id', 'entry_type', 'data', 'checksum'],
    required: ['sequence', 'timestamp', 'workflow_id', 'entry_type', 'data', 'checksum'],
  }),
  WorkflowStartedData: shape<WorkflowStartedData>()({
    properties: ['plan_token_hash', 'initial_state'],
    required: ['plan_token_hash', 'initial_state'],
  }),
  StepStartedData: shape<StepStartedData>()({
    properties: ['step_id', 'step_type'],
    required: ['step_id', 'step_type'],
  }),
  StepCompletedData: shape<StepCompletedData>()({
    properties: ['step_id', 'artifacts'],
    required: ['step_id'],
  }),
  ApprovalRequestedData: shape<ApprovalRequestedData>()({
    properties: ['approval_id', 'step_id', 'required_role'],
    required: ['approval_id', 'step_id', 'required_role'],
  }),
  ApprovalReceivedData: shape<ApprovalReceivedData>()({
    properties: ['approval_id', 'approved', 'approver'],
    required: ['approval_id', 'approved', 'approver'],
  }),
  ArtifactCreatedData: shape<ArtifactCreatedData>()({
    properties: ['artifact_id', 'artifact_hash', 'artifact_type'],
    required: ['artifact_id', 'artifact_hash', 'artifact_type'],
  }),
  PolicyEvaluatedData: shape<PolicyEvaluatedData>()({
    properties: ['evaluation_id', 'policy_name', 'decision'],
    required: ['evaluation_id', 'policy_name', 'decision'],
  }),
  WorkflowCompletedData: shape<WorkflowCompletedData>()({
    properties: ['final_state', 'artifacts'],
    required: ['final_state', 'artifacts'],
  }),
  WorkflowFailedData: shape<WorkflowFailedData>()({
    properties: ['error', 'failed_step'],
    required: ['error'],
  }),
} as const;
