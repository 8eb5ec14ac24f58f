import type { DateTimeString } from './json.js';
import type { DefinitionName } from './names.js';
import type { Decision, State } from './orchestrator.js';

/** Values of schema `WALEntryType`, in workflow order. */
export const WAL_ENTRY_TYPES = [
  'workflow_started',
  'step_started',
  'step_completed',
  'approval_requested',
  'approval_received',
  'artifact_created',
  'policy_evaluated',
  'workflow_completed',
  'workflow_failed',
] as const;

/** Kind of a write-ahead-log entry. */
export type WALEntryType = (typeof WAL_ENTRY_TYPES)[number];

/** WAL payload of `workflow_started`. */
export type WorkflowStartedData = {
  readonly plan_token_hash: string;
  readonly initial_state: State;
};

/** WAL payload of `step_started`. */
export type StepStartedData = {
  readonly step_id: string;
  readonly step_type: string;
};

/** WAL payload of `step_completed`. */
export type StepCompletedData = {
  readonly step_id: string;
  /** Artifact ids produced by the step. */
  readonly artifacts?: readonly string[];
};

/** WAL payload of `approval_requested`. */
export type ApprovalRequestedData = {
  readonly approval_id: string;
  readonly step_id: string;
  readonly required_role: string;
};

/** WAL payload of `approval_received`. */
export type ApprovalReceivedData = {
  readonly approval_id: string;
  readonly approved: boolean;
  readonly approver: string;
};

/** WAL payload of `artifact_created`. */
export type ArtifactCreatedData = {
  readonly artifact_id: string;
  readonly artifact_hash: string;
  readonly artifact_type: string;
};

/** WAL payload of `policy_evaluated`. */
export type PolicyEvaluatedData = {
  readonly evaluation_id: string;
  readonly policy_name: string;
  readonly decision: Decision;
};

/** WAL payload of `workflow_completed`. */
export type WorkflowCompletedData = {
  readonly final_state: State;
  readonly artifacts: readonly string[];
};

/** WAL payload of `workflow_failed`. */
export type WorkflowFailedData = {
  readonly error: string;
  readonly failed_step?: string;
};

/** Schema `WALEntryData`: the undiscriminated `anyOf` of the nine payloads (see G-10). */
export type WALEntryData =
  | WorkflowStartedData
  | StepStartedData
  | StepCompletedData
  | ApprovalRequestedData
  | ApprovalReceivedData
  | ArtifactCreatedData
  | PolicyEvaluatedData
  | WorkflowCompletedData
  | WorkflowFailedData;

/** Write-ahead-log entry exactly as the schema allows it (type and payload not tied together). */
export type WALEntry = {
  /** Monotonic sequence number; integer ≥ 0. */
  readonly sequence: number;
  readonly timestamp: DateTimeString;
  readonly workflow_id: string;
  readonly entry_type: WALEntryType;
  readonly data: WALEntryData;
  /** SHA-256 of the entry content. */
  readonly checksum: string;
};

/** The payload type each WAL entry type carries. */
export type WALDataMap = {
  readonly workflow_started: WorkflowStartedData;
  readonly step_started: StepStartedData;
  readonly step_completed: StepCompletedData;
  readonly approval_requested: ApprovalRequestedData;
  readonly approval_received: ApprovalReceivedData;
  readonly artifact_created: ArtifactCreatedData;
  readonly policy_evaluated: PolicyEvaluatedData;
  readonly workflow_completed: WorkflowCompletedData;
  readonly workflow_failed: WorkflowFailedData;
};

/** A WAL entry whose `data` is the payload of its `entry_type` `K`. */
export type WalEntryOf<K extends WALEntryType> = {
  readonly [P in keyof WALEntry]: P extends 'entry_type'
    ? K
    : P extends 'data'
      ? WALDataMap[K]
      : WALEntry[P];
};

/** Discriminated union of WAL entries: one variant per `entry_type` (enforces G-10 in the type system). */
export type TypedWALEntry = { readonly [K in WALEntryType]: WalEntryOf<K> }[WALEntryType];

/** Name of the schema definition each WAL entry type's `data` must validate against. */
export const WAL_DATA_DEFINITION = {
  workflow_started: 'WorkflowStartedData',
  step_started: 'StepStartedData',
  step_completed: 'StepCompletedData',
  approval_requested: 'ApprovalRequestedData',
  approval_received: 'ApprovalReceivedData',
  artifact_created: 'ArtifactCreatedData',
  policy_evaluated: 'PolicyEvaluatedData',
  workflow_completed: 'WorkflowCompletedData',
  workflow_failed: 'WorkflowFailedData',
} as const satisfies Readonly<Record<WALEntryType, DefinitionName>>;
