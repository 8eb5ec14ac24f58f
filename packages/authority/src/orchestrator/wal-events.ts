/**
 * One audit event per WAL entry (AUD-10), with a deterministic id (§4.2.10):
 * `evt-` + first 32 hex of H({workflow_id, wal_sequence, event_type}). Recovery compares the WAL
 * with the audit log by these ids and emits a missing event exactly once.
 *
 * The event type is fixed by the entry (§4.2.14 vocabulary); callers add the typed sub-objects
 * (engine, artifacts, policy, approval, integrity, plan_token) they have at hand.
 */
import {
  HASH_DOMAINS,
  H,
  type AuditSeverity,
  type State,
  type TypedWALEntry,
} from '@clearance/protocol';
import type { AuditEventInput } from '../audit/log.js';
import { AGGREGATE_POLICY, ENGINE_STEP, PLAN_TOKEN_ARTIFACT_TYPE } from '../workflow/reducer.js';

/** Deterministic audit event id of a WAL-driven event. */
export function walEventId(workflowId: string, sequence: number, eventType: string): string {
  const digest = H(HASH_DOMAINS.AUDIT_EVENT_ID, {
    workflow_id: workflowId,
    wal_sequence: sequence,
    event_type: eventType,
  });
  return `evt-${digest.slice(0, 32)}`;
}

const STEP_START: Readonly<Record<string, string>> = {
  'flight-plan': 'engine_start',
  validate: 'state_transition',
  preflight: 'state_transition',
  verify: 'state_transition',
  'take-off': 'takeoff_start',
};
const STEP_DONE: Readonly<Record<string, string>> = {
  'flight-plan': 'engine_complete',
  validate: 'artifact_validation',
  preflight: 'state_transition',
  verify: 'plan_token_verification',
  'take-off': 'takeoff_complete',
};

/** The §4.2.14 event type of a WAL entry (`stepType` is the phase the entry opens or closes). */
export function walEventType(entry: TypedWALEntry, stepType: string | undefined): string {
  switch (entry.entry_type) {
    case 'workflow_started':
      return 'state_transition';
    case 'step_started':
      return STEP_START[entry.data.step_type] ?? 'state_transition';
    case 'step_completed':
      return STEP_DONE[stepType ?? ''] ?? 'state_transition';
    case 'artifact_created':
      return entry.data.artifact_type === PLAN_TOKEN_ARTIFACT_TYPE
        ? 'plan_token_created'
        : 'artifact_recorded';
    case 'policy_evaluated':
      return entry.data.policy_name === AGGREGATE_POLICY ? 'preflight_decision' : 'policy_result';
    case 'approval_requested':
      return 'approval_request';
    case 'approval_received':
      return entry.data.approved ? 'approval_response' : 'approval_rejected';
    case 'workflow_completed':
      return 'workflow_complete';
    case 'workflow_failed':
      return 'workflow_failure';
  }
}

/** Every event type {@link walEventType} can give (the ids a WAL entry's event may have). */
const WAL_EVENT_TYPES: readonly string[] = [
  ...new Set([
    'state_transition',
    ...Object.values(STEP_START),
    ...Object.values(STEP_DONE),
    'plan_token_created',
    'artifact_recorded',
    'preflight_decision',
    'policy_result',
    'approval_request',
    'approval_response',
    'approval_rejected',
    'workflow_complete',
    'workflow_failure',
  ]),
];

/**
 * True when the audit log holds the event of a WAL entry at `sequence` (any type). Asked for a
 * WAL's length, it tells a WAL cut back by whole lines (each line verifies on its own): an entry's
 * event is appended only after the entry is durable, so an event beyond the WAL's end means the
 * WAL lost entries it had (issue 10 B4; WAL-5, WAL-8).
 */
export function auditedWalSequence(
  hasEvent: (eventId: string) => boolean,
  workflowId: string,
  sequence: number,
): boolean {
  return WAL_EVENT_TYPES.some((t) => hasEvent(walEventId(workflowId, sequence, t)));
}

/** Extra, typed content for a WAL-driven event. */
export type WalEventExtra = Partial<
  Pick<
    AuditEventInput,
    'engine' | 'artifacts' | 'policy' | 'approval' | 'integrity_check' | 'plan_token' | 'message'
  >
> & { readonly severity?: AuditSeverity };

/** Build the audit event of a WAL entry, given the state after it. */
export function walEvent(
  entry: TypedWALEntry,
  stateAfter: State,
  stepType: string | undefined,
  extra: WalEventExtra = {},
): AuditEventInput {
  const eventType = walEventType(entry, stepType);
  const severity: AuditSeverity =
    extra.severity ?? (entry.entry_type === 'workflow_failed' ? 'error' : 'info');
  return {
    ...extra,
    event_id: walEventId(entry.workflow_id, entry.sequence, eventType),
    timestamp: entry.timestamp,
    event_type: eventType,
    severity,
    workflow_state: stateAfter,
    workflow: {
      workflow_id: entry.workflow_id,
      step_id: ENGINE_STEP,
      ...(stepType === undefined ? {} : { mode: stepType }),
    },
    message: extra.message ?? defaultMessage(entry, stateAfter),
  };
}

function defaultMessage(entry: TypedWALEntry, state: State): string {
  const head = `wal ${entry.sequence}: ${entry.entry_type}`;
  switch (entry.entry_type) {
    case 'step_started':
      return `${head} ${entry.data.step_type} → ${state}`;
    case 'artifact_created':
      return `${head} ${entry.data.artifact_type} ${entry.data.artifact_id} → ${state}`;
    case 'workflow_failed':
      return `${head}: ${entry.data.error}`;
    default:
      return `${head} → ${state}`;
  }
}
