/**
 * CC-TS profile v1 rules that the vendored schema cannot express (spec/cabincrew.md §5).
 *
 * Each check first runs the schema validator, then the profile rule, so callers get one call that
 * says "this object is acceptable on the wire". Every rule cites its gap id.
 */
import { ClearanceError } from './errors.js';
import {
  STATES,
  WAL_DATA_DEFINITION,
  type AuditEvent,
  type Decision,
  type DecisionSeverity,
  type PolicyEvaluation,
  type TypedWALEntry,
} from './types/index.js';
import { assertValid } from './validators.js';

/** Severity fixed by each decision (spec §4.2.6; G-17: the schema allows any pairing). */
export const DECISION_SEVERITY: Readonly<Record<Decision, DecisionSeverity>> = Object.freeze({
  allow: 0,
  warn: 1,
  require_approval: 2,
  deny: 3,
});

/** `workflow_state` value of audit events not bound to any workflow (G-36). */
export const NO_WORKFLOW_STATE = 'NONE';

// RFC 3339 UTC with milliseconds and Z: the only timestamp form Clearance emits (§4.2.12).
const PROFILE_TIMESTAMP_RE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

// Any RFC 3339 date-time (offset or Z); Date.parse alone would also take "2025" or "March 7".
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function profileError(message: string, path: string): never {
  throw new ClearanceError('PROFILE_INVALID', message, { detail: { path } });
}

/** True when `s` is an RFC 3339 UTC timestamp with millisecond precision and a real calendar date. */
export function isProfileTimestamp(s: unknown): s is string {
  if (typeof s !== 'string' || !PROFILE_TIMESTAMP_RE.test(s)) return false;
  const t = Date.parse(s);
  // Date.parse rolls 2025-02-30 over to March; the round trip catches impossible dates.
  return Number.isFinite(t) && new Date(t).toISOString() === s;
}

/** Format a clock reading as the profile timestamp (UTC, ms, Z). */
export function toProfileTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** G-17: a policy evaluation's severity must be the integer fixed by its decision. */
export function assertSeverityConsistent(evaluation: PolicyEvaluation, path = '/'): void {
  if (evaluation.severity !== DECISION_SEVERITY[evaluation.decision]) {
    profileError(
      `severity ${String(evaluation.severity)} does not match decision ${evaluation.decision}`,
      `${path}severity`,
    );
  }
}

/** G-10: a WAL entry is valid only if its data is the variant fixed by its entry_type. */
export function assertWalEntry(entry: unknown): asserts entry is TypedWALEntry {
  assertValid('WALEntry', entry);
  const e = entry as TypedWALEntry;
  assertValid(WAL_DATA_DEFINITION[e.entry_type], e.data, `data of ${e.entry_type} entry`);
  if (!isProfileTimestamp(e.timestamp))
    profileError('timestamp is not RFC 3339 UTC ms', '/timestamp');
}

/** A schema-valid AuditEvent that also meets the profile (G-17, G-36, §4.2.12 timestamps). */
export function assertAuditEvent(event: unknown): asserts event is AuditEvent {
  assertValid('AuditEvent', event);
  const e = event as AuditEvent;
  if (!isProfileTimestamp(e.timestamp))
    profileError('timestamp is not RFC 3339 UTC ms', '/timestamp');
  if (
    e.workflow_state !== NO_WORKFLOW_STATE &&
    !(STATES as readonly string[]).includes(e.workflow_state)
  ) {
    profileError(
      `workflow_state ${JSON.stringify(e.workflow_state)} is not a State or NONE`,
      '/workflow_state',
    );
  }
  e.policy?.policy_evaluations?.forEach((pe, i) => {
    assertSeverityConsistent(pe, `/policy/policy_evaluations/${i}/`);
  });
}

/** G-39: ApprovalResponse.timestamp, when present, must be RFC 3339 (the schema leaves it free). */
export function assertApprovalResponseTimestamp(timestamp: string | undefined): void {
  if (
    timestamp !== undefined &&
    !(RFC3339_RE.test(timestamp) && Number.isFinite(Date.parse(timestamp)))
  ) {
    profileError('ApprovalResponse.timestamp is not RFC 3339', '/timestamp');
  }
}
