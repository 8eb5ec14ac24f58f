/**
 * The WAL replay reducer (spec/cabincrew.md §4.2.10): a pure function from the schema-valid WAL
 * entries of one workflow to its state. Every state change goes through the transition table
 * (states.ts); an entry that the table does not allow is corruption (WAL_CORRUPT), because the
 * orchestrator never writes one.
 *
 * Phases: the one engine step (`ENGINE_STEP`) is opened and closed several times with different
 * `step_type`s — flight-plan, validate, preflight, verify, take-off — so the phase is always known.
 * Objects the schema has no entry type for (the workflow request, the artifact set, the stored
 * plan-token, approval requests) are `artifact_created` entries whose type starts with
 * `clearance.` and whose hash is the object's content address.
 */
import {
  ClearanceError,
  type ApprovalRecord,
  type ArtifactRecord,
  type Decision,
  type PolicyEvaluationRecord,
  type State,
  type TypedWALEntry,
  type WorkflowFailedData,
  type WorkflowStateRecord,
} from '@clearance/protocol';
import { assertTransition, isTerminal } from './states.js';

/** The id of the single engine step of a workflow (G-27: v1 is one engine step per workflow). */
export const ENGINE_STEP = 'main';

/** Phases of the engine step, in order. */
export const STEP_TYPES = ['flight-plan', 'validate', 'preflight', 'verify', 'take-off'] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** The artifact type under which the plan-token is recorded (§4.2.10). */
export const PLAN_TOKEN_ARTIFACT_TYPE = 'cabincrew.plan-token';
/** policy_name of the aggregate decision entry. */
export const AGGREGATE_POLICY = 'cabincrew.aggregate';

/** An approval request still waiting for its answer. */
export interface PendingApproval {
  readonly approval_id: string;
  readonly step_id: string;
  readonly required_role: string;
  readonly plan_token_hash: string;
  readonly requested_at: string;
  readonly sequence: number;
}

/** Everything the WAL says about a workflow. */
export interface WorkflowView {
  readonly workflow_id: string;
  readonly state: State;
  readonly created_at: string;
  readonly updated_at: string;
  readonly openStep: { readonly step_type: StepType; readonly sequence: number } | undefined;
  /** Number of flight-plan launches so far (the latest run has run_index = runs - 1). */
  readonly runs: number;
  readonly planTokenHash: string;
  readonly artifacts: readonly ArtifactRecord[];
  /** Latest content address per `clearance.*` object type. */
  readonly objects: Readonly<Record<string, string>>;
  readonly policy: readonly PolicyEvaluationRecord[];
  readonly lastDecision: Decision | undefined;
  readonly pending: readonly PendingApproval[];
  readonly approvals: readonly ApprovalRecord[];
  readonly takeoffStarts: number;
  readonly failure: WorkflowFailedData | undefined;
  readonly lastSequence: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Draft = Mutable<WorkflowView> & {
  artifacts: ArtifactRecord[];
  policy: PolicyEvaluationRecord[];
  pending: PendingApproval[];
  approvals: ApprovalRecord[];
  objects: Record<string, string>;
};

function corrupt(entry: TypedWALEntry, reason: string): never {
  throw new ClearanceError(
    'WAL_CORRUPT',
    `WAL entry ${entry.sequence} (${entry.entry_type}) is inconsistent: ${reason}`,
    { detail: { workflow_id: entry.workflow_id, index: entry.sequence } },
  );
}

function move(d: Draft, entry: TypedWALEntry, to: State): void {
  try {
    assertTransition(d.state, to);
  } catch {
    corrupt(entry, `transition ${d.state} → ${to} is not allowed`);
  }
  d.state = to;
}

/** Replay `entries` (already checksum- and schema-verified) into a view. */
export function reduce(entries: readonly TypedWALEntry[]): WorkflowView {
  return replay(entries, undefined);
}

/** For each entry: the state after it and the phase it opened or closed (for its audit event). */
export interface TrailItem {
  readonly entry: TypedWALEntry;
  readonly state: State;
  readonly stepType: StepType | undefined;
}

/** Replay once, reporting every entry's resulting state (recovery re-emits missing events). */
export function trail(entries: readonly TypedWALEntry[]): TrailItem[] {
  const items: TrailItem[] = [];
  replay(entries, items);
  return items;
}

function replay(entries: readonly TypedWALEntry[], items: TrailItem[] | undefined): WorkflowView {
  const first = entries[0];
  if (first?.entry_type !== 'workflow_started') {
    throw new ClearanceError('WAL_CORRUPT', 'WAL does not start with workflow_started');
  }
  const d: Draft = {
    workflow_id: first.workflow_id,
    state: 'INIT',
    created_at: first.timestamp,
    updated_at: first.timestamp,
    openStep: undefined,
    runs: 0,
    planTokenHash: '',
    artifacts: [],
    objects: {},
    policy: [],
    lastDecision: undefined,
    pending: [],
    approvals: [],
    takeoffStarts: 0,
    failure: undefined,
    lastSequence: 0,
  };
  if (first.data.initial_state !== 'INIT' || first.data.plan_token_hash !== '') {
    corrupt(first, 'workflow must start in INIT with an empty plan_token_hash');
  }
  items?.push({ entry: first, state: 'INIT', stepType: undefined });
  for (const entry of entries.slice(1)) {
    if (isTerminal(d.state)) corrupt(entry, `entry after terminal state ${d.state}`);
    const openBefore = d.openStep?.step_type;
    apply(d, entry);
    items?.push({
      entry,
      state: d.state,
      stepType: entry.entry_type === 'step_completed' ? openBefore : d.openStep?.step_type,
    });
    d.updated_at = entry.timestamp;
    d.lastSequence = entry.sequence;
  }
  return d;
}

function apply(d: Draft, entry: TypedWALEntry): void {
  switch (entry.entry_type) {
    case 'workflow_started':
      return corrupt(entry, 'workflow_started after the first entry');
    case 'step_started':
      return startStep(d, entry, entry.data.step_id, entry.data.step_type);
    case 'step_completed':
      return completeStep(d, entry, entry.data.step_id);
    case 'artifact_created':
      return artifactCreated(d, entry, entry.data);
    case 'policy_evaluated':
      if (d.state !== 'PRE_FLIGHT_RUNNING' || d.openStep?.step_type !== 'preflight') {
        return corrupt(entry, 'policy evaluation outside preflight');
      }
      d.policy.push({
        evaluation_id: entry.data.evaluation_id,
        step_id: ENGINE_STEP,
        policy_name: entry.data.policy_name,
        decision: entry.data.decision,
        evaluated_at: entry.timestamp,
      });
      if (entry.data.policy_name === AGGREGATE_POLICY) d.lastDecision = entry.data.decision;
      return;
    case 'approval_requested':
      return approvalRequested(d, entry, entry.data);
    case 'approval_received':
      return approvalReceived(d, entry, entry.data);
    case 'workflow_completed':
      if (entry.data.final_state !== 'COMPLETED') corrupt(entry, 'final_state must be COMPLETED');
      if (d.openStep !== undefined) corrupt(entry, 'completed with an open step');
      return move(d, entry, 'COMPLETED');
    case 'workflow_failed':
      d.failure = entry.data;
      d.openStep = undefined;
      return move(d, entry, 'FAILED');
    default: {
      const never: never = entry;
      return never;
    }
  }
}

function isStepType(value: string): value is StepType {
  return (STEP_TYPES as readonly string[]).includes(value);
}

function startStep(d: Draft, entry: TypedWALEntry, stepId: string, stepType: string): void {
  if (stepId !== ENGINE_STEP) corrupt(entry, `unknown step ${stepId}`);
  if (!isStepType(stepType)) return corrupt(entry, `unknown step type ${stepType}`);
  // A step of the same type may be re-opened only while it is open (recovery re-run, audited);
  // take-off never: a take-off interrupted by a crash ends FAILED ("outcome unknown").
  const rerun = d.openStep?.step_type === stepType && stepType !== 'take-off';
  if (d.openStep !== undefined && !rerun) corrupt(entry, `step ${d.openStep.step_type} is open`);
  d.openStep = { step_type: stepType, sequence: entry.sequence };
  switch (stepType) {
    case 'flight-plan':
      d.runs += 1;
      if (rerun) return;
      if (d.state === 'AWAITING_APPROVAL') d.pending = []; // S-10: superseded by the re-plan
      return move(d, entry, 'PLAN_RUNNING');
    case 'validate':
      if (d.state !== 'PLAN_GENERATED') corrupt(entry, `validate in ${d.state}`);
      return;
    case 'preflight':
      // A re-run (after a crash) replaces the partial evaluations of the interrupted run.
      d.policy = [];
      d.lastDecision = undefined;
      if (rerun) return;
      return move(d, entry, 'PRE_FLIGHT_RUNNING');
    case 'verify': {
      const ok =
        d.state === 'APPROVED' ||
        (d.state === 'PREFLIGHT_COMPLETE' &&
          (d.lastDecision === 'allow' || d.lastDecision === 'warn'));
      if (!ok) corrupt(entry, `verify in ${d.state} (${d.lastDecision ?? 'no decision'})`);
      return;
    }
    case 'take-off':
      d.takeoffStarts += 1;
      return move(d, entry, 'TAKEOFF_RUNNING');
  }
}

const STEP_RESULT: { readonly [K in StepType]: State } = {
  'flight-plan': 'PLAN_GENERATED',
  validate: 'ARTIFACTS_VALIDATED',
  preflight: 'PREFLIGHT_COMPLETE',
  verify: 'READY_FOR_TAKEOFF',
  'take-off': 'EXECUTION_COMPLETE',
};

function completeStep(d: Draft, entry: TypedWALEntry, stepId: string): void {
  const open = d.openStep;
  if (open === undefined || stepId !== ENGINE_STEP) return corrupt(entry, 'no open step');
  if (
    open.step_type === 'preflight' &&
    (d.lastDecision === undefined || d.lastDecision === 'deny')
  ) {
    corrupt(entry, 'preflight completed without a non-deny aggregate decision');
  }
  d.openStep = undefined;
  move(d, entry, STEP_RESULT[open.step_type]);
}

function artifactCreated(
  d: Draft,
  entry: TypedWALEntry,
  data: { artifact_id: string; artifact_hash: string; artifact_type: string },
): void {
  d.artifacts.push({
    artifact_id: data.artifact_id,
    step_id: ENGINE_STEP,
    artifact_hash: data.artifact_hash,
    artifact_type: data.artifact_type,
    created_at: entry.timestamp,
  });
  if (data.artifact_type === PLAN_TOKEN_ARTIFACT_TYPE) {
    if (d.openStep !== undefined) corrupt(entry, 'plan-token recorded inside a step');
    d.planTokenHash = data.artifact_hash;
    move(d, entry, 'TOKEN_CREATED');
  } else if (data.artifact_type.startsWith('clearance.')) {
    d.objects[data.artifact_type] = data.artifact_hash;
  } else if (d.openStep?.step_type !== 'validate') {
    corrupt(entry, 'engine artifact recorded outside validation');
  }
}

function approvalRequested(
  d: Draft,
  entry: TypedWALEntry,
  data: { approval_id: string; step_id: string; required_role: string },
): void {
  if (d.pending.some((p) => p.approval_id === data.approval_id)) corrupt(entry, 'duplicate id');
  if (d.state === 'PREFLIGHT_COMPLETE') {
    if (d.lastDecision !== 'require_approval') corrupt(entry, 'approval without require_approval');
    move(d, entry, 'AWAITING_APPROVAL');
  } else if (d.state !== 'AWAITING_APPROVAL') {
    corrupt(entry, `approval requested in ${d.state}`);
  }
  d.pending.push({
    approval_id: data.approval_id,
    step_id: data.step_id,
    required_role: data.required_role,
    plan_token_hash: d.planTokenHash,
    requested_at: entry.timestamp,
    sequence: entry.sequence,
  });
}

function approvalReceived(
  d: Draft,
  entry: TypedWALEntry,
  data: { approval_id: string; approved: boolean; approver: string },
): void {
  const pending = d.pending.find((p) => p.approval_id === data.approval_id);
  if (d.state !== 'AWAITING_APPROVAL' || pending === undefined) {
    return corrupt(entry, 'answer to an approval that is not pending');
  }
  d.pending = d.pending.filter((p) => p !== pending);
  d.approvals.push({
    approval_id: data.approval_id,
    step_id: pending.step_id,
    plan_token_hash: pending.plan_token_hash,
    approved: data.approved,
    approver: data.approver,
    approved_at: entry.timestamp,
  });
  if (data.approved && d.pending.length === 0) move(d, entry, 'APPROVED');
}

/** The durable snapshot form of a view (schema `WorkflowStateRecord`). */
export function toStateRecord(view: WorkflowView): WorkflowStateRecord {
  const done = view.state === 'COMPLETED';
  return {
    workflow_id: view.workflow_id,
    current_state: view.state,
    plan_token_hash: view.planTokenHash,
    created_at: view.created_at,
    updated_at: view.updated_at,
    steps_completed: done ? [ENGINE_STEP] : [],
    steps_pending: done || view.state === 'FAILED' ? [] : [ENGINE_STEP],
    approvals: view.approvals,
    artifacts: view.artifacts,
    policy_evaluations: view.policy,
    metadata: {
      wal_sequence: view.lastSequence,
      runs: view.runs,
      takeoff_starts: view.takeoffStarts,
      ...(view.lastDecision === undefined ? {} : { last_decision: view.lastDecision }),
      ...(view.openStep === undefined ? {} : { open_step: view.openStep.step_type }),
      pending_approvals: view.pending.map((p) => p.approval_id),
      ...(view.failure === undefined ? {} : { failure: view.failure.error }),
    },
  };
}
