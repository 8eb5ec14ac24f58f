import type { PlanToken } from './artifact.js';
import type { DateTimeString, RecordStringAny } from './json.js';
import type { Decision } from './orchestrator.js';

/** Values of schema `AggregationMethod`. */
export const AGGREGATION_METHODS = [
  'most_restrictive',
  'unanimous',
  'majority',
  'any_deny',
  'all_allow',
  'custom',
] as const;

/** How multiple policy decisions are combined into a final decision. */
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number];

/** Values of schema `DecisionSeverity` (schema `type: number`, enum 0–3). */
export const DECISION_SEVERITIES = [0, 1, 2, 3] as const;

/** Decision severity for "most restrictive" ordering: 0 allow, 1 warn, 2 require_approval, 3 deny. */
export type DecisionSeverity = (typeof DECISION_SEVERITIES)[number];

/** Values of the inline enum `PolicyEvaluation.source`. */
export const POLICY_SOURCES = ['opa', 'onnx', 'llm_gateway', 'mcp_gateway', 'custom'] as const;

/** Kind of policy source that produced a `PolicyEvaluation`. */
export type PolicySource = (typeof POLICY_SOURCES)[number];

/** Values of the inline enum `AuditEvent.severity`, least to most severe. */
export const AUDIT_SEVERITIES = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/** Log severity of an audit event. */
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

/** Workflow coordinates of an audit event. */
export type AuditWorkflow = {
  readonly workflow_id?: string;
  readonly step_id?: string;
  /** Free string in the schema (not the `Mode` enum). */
  readonly mode?: string;
};

/** Engine coordinates of an audit event. */
export type AuditEngine = {
  readonly engine_id?: string;
  readonly receipt_id?: string;
  /** Free string in the schema (not `EngineStatus`). */
  readonly status?: string;
  readonly error?: string;
};

/** An artifact referenced by an audit event. */
export type AuditArtifact = {
  readonly name?: string;
  readonly role?: string;
  readonly path?: string;
  readonly hash?: string;
  /** Size in bytes (schema type `number`). */
  readonly size?: number;
};

/** Individual policy evaluation result: decision source and evidence. */
export type PolicyEvaluation = {
  /** Policy source type. */
  readonly source: PolicySource;
  /** Policy identifier (e.g. OPA policy name, ONNX model name). */
  readonly policy_id: string;
  /** Decision from this specific policy. */
  readonly decision: Decision;
  /** Severity for aggregation ordering; must agree with `decision` (enforced in code). */
  readonly severity: DecisionSeverity;
  /** Reason for this decision. */
  readonly reason?: string;
  /** Evidence supporting this decision (e.g. rule matches, model scores). */
  readonly evidence?: RecordStringAny;
  /** Evaluation timestamp. */
  readonly evaluated_at: DateTimeString;
};

/** Policy evaluation audit record (chain-of-custody). */
export type AuditPolicy = {
  /** Final aggregated decision after all policy evaluations. */
  readonly decision: Decision;
  /** Individual policy evaluation results. */
  readonly policy_evaluations?: readonly PolicyEvaluation[];
  /** Inline enum in the schema, same values as `AggregationMethod`; required if several policies ran. */
  readonly aggregation_method?: AggregationMethod;
  /** Workflow state when this policy evaluation occurred (free string). */
  readonly workflow_state: string;
  /** Policy violations detected. */
  readonly violations?: readonly string[];
  /** Policy warnings (non-blocking). */
  readonly warnings?: readonly string[];
  /** Legacy field for backward compatibility (deprecated). */
  readonly engine?: string;
};

/** Audit record of an approval event, binding it to a plan-token. */
export type AuditApproval = {
  /** Unique approval identifier; correlates request and response. */
  readonly approval_id: string;
  /** Role required for this approval. */
  readonly required_role: string;
  /** Whether approval was granted. */
  readonly approved: boolean;
  /** Identity of the approver. */
  readonly approver: string;
  /** SHA-256 of the plan-token this approval is bound to. */
  readonly plan_token_hash: string;
  /** When approval was granted or denied. */
  readonly timestamp: DateTimeString;
  /** Reason for approval or denial. */
  readonly reason?: string;
};

/** Result of a plan-token / artifact integrity check. */
export type AuditIntegrity = {
  readonly expected_plan_token?: string;
  readonly actual_plan_token?: string;
  readonly plan_token_match?: boolean;
  readonly artifacts_match?: boolean;
  /** Names of the artifacts that failed the check. */
  readonly differences?: readonly string[];
};

/** Gateway coordinates of an audit event. */
export type AuditGateway = {
  readonly gateway_type?: string;
  readonly request_id?: string;
  readonly model?: string;
  readonly tool?: string;
  /** Inline enum in the schema, same values as `Decision`. */
  readonly policy_decision?: Decision;
};

/** Canonical audit log event. */
export type AuditEvent = {
  /** Unique identifier for this audit event. */
  readonly event_id: string;
  /** When the event occurred (RFC 3339). */
  readonly timestamp: DateTimeString;
  /** Free-form event category. */
  readonly event_type: string;
  readonly workflow?: AuditWorkflow;
  /** Workflow state when this event was emitted (free string, not the `State` enum). */
  readonly workflow_state: string;
  readonly engine?: AuditEngine;
  /** The whole plan-token object, not a hash. */
  readonly plan_token?: PlanToken;
  readonly artifacts?: readonly AuditArtifact[];
  readonly policy?: AuditPolicy;
  readonly approval?: AuditApproval;
  readonly integrity_check?: AuditIntegrity;
  readonly gateway?: AuditGateway;
  /** Cryptographic signature of this event hash. */
  readonly signature?: string;
  /** Reference to the signing key (e.g. 'orchestrator-key-prod'). */
  readonly signature_key_ref?: string;
  /** Hash of the previous event in the chain. */
  readonly chain_hash?: string;
  readonly message?: string;
  readonly severity?: AuditSeverity;
};
