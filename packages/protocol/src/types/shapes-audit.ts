import type {
  AuditApproval,
  AuditArtifact,
  AuditEngine,
  AuditEvent,
  AuditGateway,
  AuditIntegrity,
  AuditPolicy,
  AuditWorkflow,
  PolicyEvaluation,
} from './audit.js';
import { shape } from './shape.js';

/** Shapes of the audit object definitions. */
export const AUDIT_SHAPES = {
  AuditWorkflow: shape<AuditWorkflow>()({
    properties: ['workflow_id', 'step_id', 'mode'],
    required: [],
  }),
  AuditEngine: shape<AuditEngine>()({
    properties: ['engine_id', 'receipt_id', 'status', 'error'],
    required: [],
  }),
  AuditArtifact: shape<AuditArtifact>()({
    properties: ['name', 'role', 'path', 'hash', 'size'],
    required: [],
  }),
  AuditPolicy: shape<AuditPolicy>()({
    properties: [
      'decision',
      'policy_evaluations',
      'aggregation_method',
      'workflow_state',
      'violations',
      'warnings',
      'engine',
    ],
    required: ['decision', 'workflow_state'],
  }),
  PolicyEvaluation: shape<PolicyEvaluation>()({
    properties: [
      'source',
      'policy_id',
      'decision',
      'severity',
      'reason',
      'evidence',
      'evaluated_at',
    ],
    required: ['source', 'policy_id', 'decision', 'severity', 'evaluated_at'],
  }),
  AuditApproval: shape<AuditApproval>()({
    properties: [
      'approval_id',
      'required_role',
      'approved',
      'approver',
      'plan_token_hash',
      'timestamp',
      'reason',
    ],
    required: [
      'approval_id',
      'required_role',
      'approved',
      'approver',
      'plan_token_hash',
      'timestamp',
    ],
  }),
  AuditIntegrity: shape<AuditIntegrity>()({
    properties: [
      'expected_plan_token',
      'actual_plan_token',
      'plan_token_match',
      'artifacts_match',
      'differences',
    ],
    required: [],
  }),
  AuditGateway: shape<AuditGateway>()({
    properties: ['gateway_type', 'request_id', 'model', 'tool', 'policy_decision'],
    required: [],
  }),
  AuditEvent: shape<AuditEvent>()({
    properties: [
      'event_id',
      'timestamp',
      'event_type',
      'workflow',
      'workflow_state',
      'engine',
      'plan_token',
      'artifacts',
      'policy',
      'approval',
      'integrity_check',
      'gateway',
      'signature',
      'signature_key_ref',
      'chain_hash',
      'message',
      'severity',
    ],
    required: ['event_id', 'timestamp', 'event_type', 'workflow_state'],
  }),
} as const;
