/** Decoders of the audit answers. Events are checked on every member the console reads. */
import {
  array,
  invalid,
  isRecord,
  list,
  num,
  opt,
  optNum,
  record,
  str,
  type UnknownRecord,
} from './json.js';
import type { AuditEvent, Checkpoint, CheckpointList, EventPage, VerifyReport } from './types.js';

const SEVERITIES: readonly unknown[] = ['debug', 'info', 'warning', 'error', 'critical'];
const DECISIONS: readonly unknown[] = ['allow', 'warn', 'require_approval', 'deny'];

function optType(o: UnknownRecord, key: string, type: 'string' | 'boolean' | 'number'): boolean {
  return o[key] === undefined || typeof o[key] === type;
}

function strings(o: UnknownRecord, key: string): boolean {
  const v = o[key];
  return v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));
}

function evaluationOk(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value['policy_id'] === 'string' &&
    DECISIONS.includes(value['decision']) &&
    optType(value, 'reason', 'string')
  );
}

function policyOk(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isRecord(value) || !DECISIONS.includes(value['decision'])) return false;
  const evaluations = value['policy_evaluations'];
  return (
    (evaluations === undefined ||
      (Array.isArray(evaluations) && evaluations.every(evaluationOk))) &&
    strings(value, 'violations') &&
    strings(value, 'warnings')
  );
}

function approvalOk(value: unknown): boolean {
  if (value === undefined) return true;
  return (
    isRecord(value) &&
    typeof value['approval_id'] === 'string' &&
    typeof value['approved'] === 'boolean' &&
    typeof value['approver'] === 'string' &&
    optType(value, 'reason', 'string')
  );
}

function sectionOk(value: unknown, keys: readonly string[]): boolean {
  return value === undefined || (isRecord(value) && keys.every((k) => optType(value, k, 'string')));
}

/** True when `value` has the shape of an audit event on every member the console reads. */
export function isAuditEvent(value: unknown): value is AuditEvent {
  if (!isRecord(value)) return false;
  return (
    typeof value['event_id'] === 'string' &&
    typeof value['timestamp'] === 'string' &&
    typeof value['event_type'] === 'string' &&
    typeof value['workflow_state'] === 'string' &&
    optType(value, 'message', 'string') &&
    (value['severity'] === undefined || SEVERITIES.includes(value['severity'])) &&
    sectionOk(value['workflow'], ['workflow_id', 'step_id', 'mode']) &&
    sectionOk(value['engine'], ['engine_id', 'receipt_id', 'status', 'error']) &&
    policyOk(value['policy']) &&
    approvalOk(value['approval'])
  );
}

/** One audit event, or RESPONSE_INVALID. */
export function decodeEvent(value: unknown): AuditEvent {
  return isAuditEvent(value) ? value : invalid('audit event');
}

/** GET /api/workflows/{id}/events. */
export function decodeEventList(value: unknown): AuditEvent[] {
  return list(record(value, 'event list'), 'events', decodeEvent);
}

/** GET /api/audit/events. */
export function decodeEventPage(value: unknown): EventPage {
  const o = record(value, 'event page');
  const events = list(o, 'events', decodeEvent);
  const from = num(o, 'from');
  const indices =
    o['indices'] === undefined
      ? events.map((_, i) => from + i)
      : array(o['indices'], 'indices').map((i) =>
          typeof i === 'number' && Number.isSafeInteger(i) ? i : invalid('indices'),
        );
  if (indices.length !== events.length) invalid('indices');
  return { from, size: num(o, 'size'), events, indices, ...opt('next', optNum(o, 'next')) };
}

function decodeCheckpoint(value: unknown): Checkpoint {
  const o = record(value, 'checkpoint');
  return {
    log_id: str(o, 'log_id'),
    tree_size: num(o, 'tree_size'),
    root_hash: str(o, 'root_hash'),
    timestamp: str(o, 'timestamp'),
    key_ref: str(o, 'key_ref'),
    signature: str(o, 'signature'),
  };
}

/** GET /api/audit/checkpoints. */
export function decodeCheckpoints(value: unknown): CheckpointList {
  const o = record(value, 'checkpoint list');
  return { size: num(o, 'size'), checkpoints: list(o, 'checkpoints', decodeCheckpoint) };
}

/** POST /api/audit/verify. */
export function decodeVerify(value: unknown): VerifyReport {
  const o = record(value, 'verify report');
  const ok = o['ok'];
  if (typeof ok !== 'boolean') return invalid('ok');
  const b = o['break'];
  const broken =
    b === undefined || b === null
      ? undefined
      : (() => {
          const r = record(b, 'break');
          return { index: num(r, 'index'), code: str(r, 'code'), reason: str(r, 'reason') };
        })();
  return {
    ok,
    events: num(o, 'events'),
    checkpoints: num(o, 'checkpoints'),
    ...opt('break', broken),
  };
}
