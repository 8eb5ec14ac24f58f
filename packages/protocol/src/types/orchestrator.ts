import type { PlanToken } from './artifact.js';
import type { Mode } from './engine.js';
import type { DateTimeString, RecordStringAny } from './json.js';

/** Values of schema `Decision`, from least to most restrictive (index = `DecisionSeverity`). */
export const DECISIONS = ['allow', 'warn', 'require_approval', 'deny'] as const;

/** A policy decision (lowercase). */
export type Decision = (typeof DECISIONS)[number];

/** Values of schema `State`, in lifecycle order (note `PRE_FLIGHT_RUNNING` vs `PREFLIGHT_COMPLETE`). */
export const STATES = Object.freeze([
  'INIT',
  'PLAN_RUNNING',
  'PLAN_GENERATED',
  'ARTIFACTS_VALIDATED',
  'TOKEN_CREATED',
  'PRE_FLIGHT_RUNNING',
  'PREFLIGHT_COMPLETE',
  'AWAITING_APPROVAL',
  'APPROVED',
  'READY_FOR_TAKEOFF',
  'TAKEOFF_RUNNING',
  'EXECUTION_COMPLETE',
  'COMPLETED',
  'FAILED',
] as const);

/** A workflow state-machine state. */
export type State = (typeof STATES)[number];

/** One piece of evidence handed to policies and approvers. */
export type PreflightEvidence = {
  readonly name: string;
  readonly path: string;
  readonly hash: string;
};

/** The policy input document (OPA `input`). */
export type PreflightInput = {
  readonly workflow_id: string;
  readonly step_id: string;
  /** Inline enum in the schema, same values as `Mode`. */
  readonly mode: Mode;
  /** The raw engine receipt. */
  readonly engine_output: RecordStringAny;
  /** Subset of the artifacts with role = evidence. */
  readonly evidence?: readonly PreflightEvidence[];
  readonly context?: RecordStringAny;
  readonly plan_token?: PlanToken;
};

/** What a `require_approval` decision requires. */
export type PreflightRequires = {
  readonly role?: string;
  readonly reason?: string;
};

/** One policy's result. */
export type PreflightOutput = {
  readonly decision: Decision;
  readonly violations?: readonly string[];
  readonly warnings?: readonly string[];
  /** Present when the decision is `require_approval`. */
  readonly requires?: PreflightRequires;
};

/** Request for human approval before execution proceeds. */
export type ApprovalRequest = {
  readonly approval_id: string;
  readonly workflow_id: string;
  readonly step_id: string;
  readonly reason: string;
  readonly required_role: string;
  readonly engine_output?: RecordStringAny;
  readonly evidence?: readonly PreflightEvidence[];
  /** SHA-256 of the plan-token this approval is bound to; MUST match the current plan-token. */
  readonly plan_token_hash: string;
};

/** A human approver's answer to an `ApprovalRequest`. */
export type ApprovalResponse = {
  readonly approval_id: string;
  readonly approved: boolean;
  readonly approver?: string;
  readonly reason?: string;
  /** Free string in the schema (no date-time format). */
  readonly timestamp?: string;
};

/** State summary of a workflow (API/CLI). */
export type WorkflowState = {
  readonly state: State;
  readonly workflow_id?: string;
  readonly step_id?: string;
  /** Inline enum in the schema, same values as `Decision`. */
  readonly last_decision?: Decision;
  readonly plan_token_hash?: string;
};

/** Durable workflow state record: everything needed to resume deterministically. */
export type WorkflowStateRecord = {
  readonly workflow_id: string;
  readonly current_state: State;
  readonly plan_token_hash: string;
  readonly created_at: DateTimeString;
  readonly updated_at: DateTimeString;
  readonly steps_completed: readonly string[];
  readonly steps_pending: readonly string[];
  readonly approvals: readonly ApprovalRecord[];
  readonly artifacts: readonly ArtifactRecord[];
  readonly policy_evaluations: readonly PolicyEvaluationRecord[];
  readonly metadata?: RecordStringAny;
};

/** Durable approval record: who approved what, when, bound to a plan-token hash. */
export type ApprovalRecord = {
  readonly approval_id: string;
  readonly step_id: string;
  /** Plan-token hash at approval time. */
  readonly plan_token_hash: string;
  readonly approved: boolean;
  readonly approver: string;
  readonly approved_at: DateTimeString;
  readonly reason?: string;
  readonly evidence_hashes?: readonly string[];
};

/** Durable artifact record with its SHA-256 for integrity verification. */
export type ArtifactRecord = {
  readonly artifact_id: string;
  readonly step_id: string;
  /** SHA-256 of the artifact content. */
  readonly artifact_hash: string;
  readonly artifact_type: string;
  readonly created_at: DateTimeString;
  readonly metadata?: RecordStringAny;
};

/** Durable policy evaluation record for the audit trail. */
export type PolicyEvaluationRecord = {
  readonly evaluation_id: string;
  readonly step_id: string;
  readonly policy_name: string;
  readonly decision: Decision;
  readonly evaluated_at: DateTimeString;
  readonly reason?: string;
  readonly evidence_hashes?: readonly string[];
};
