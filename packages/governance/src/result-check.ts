/**
 * Structural checks on one PolicyResult, wherever it comes from. A result that fails any of them
 * must never count as anything but a deny (PRE-9, PRE-11): the schema alone accepts a `deny` with
 * severity 0 (G-17), and a `require_approval` without a role could never be approved by anyone.
 */
import {
  DECISION_SEVERITIES,
  DECISION_SEVERITY,
  DECISIONS,
  isProfileTimestamp,
  POLICY_SOURCES,
  validate,
  type JsonObject,
  type JsonValue,
  type PolicyEvaluation,
} from '@clearance/protocol';
import { ROLE_RE } from './names.js';
import { isJsonObject, isStringArray, memberOf, own, snapshot, unknownKeys } from './narrow.js';
import type { ApprovalRequirement, PolicyResult } from './types.js';

/** A checked, privately copied result, or why it was refused (with its policy id when known). */
export type ResultCheck =
  | { readonly ok: true; readonly result: PolicyResult }
  | { readonly ok: false; readonly problem: string; readonly policy_id?: string };

const RESULT_KEYS = ['evaluation', 'requires', 'violations', 'warnings'];
const REQUIRES_KEYS = ['role', 'reason'];

/** Check `value` as a PolicyResult and return a plain-JSON copy of it. Never throws. */
export function checkPolicyResult(value: unknown): ResultCheck {
  let copy: JsonValue;
  try {
    copy = snapshot(value);
  } catch {
    return { ok: false, problem: 'result is not plain JSON data' };
  }
  if (!isJsonObject(copy)) return { ok: false, problem: 'result is not an object' };
  const evaluation = checkEvaluation(own(copy, 'evaluation'));
  if (typeof evaluation === 'string') return { ok: false, problem: evaluation };
  const policy_id = evaluation.policy_id;
  const extra = unknownKeys(copy, RESULT_KEYS);
  if (extra[0] !== undefined) return { ok: false, problem: `unknown key ${extra[0]}`, policy_id };
  const requires = checkRequires(evaluation, own(copy, 'requires'));
  if (typeof requires === 'string') return { ok: false, problem: requires, policy_id };
  const violations = own(copy, 'violations');
  const warnings = own(copy, 'warnings');
  if (violations !== undefined && !isStringArray(violations)) {
    return { ok: false, problem: 'violations is not a list of strings', policy_id };
  }
  if (warnings !== undefined && !isStringArray(warnings)) {
    return { ok: false, problem: 'warnings is not a list of strings', policy_id };
  }
  const result: PolicyResult = {
    evaluation,
    ...(requires === undefined ? {} : { requires }),
    ...(isStringArray(violations) ? { violations } : {}),
    ...(isStringArray(warnings) ? { warnings } : {}),
  };
  return { ok: true, result };
}

function checkEvaluation(value: JsonValue | undefined): PolicyEvaluation | string {
  if (value === undefined) return 'evaluation is missing';
  const schema = validate('PolicyEvaluation', value);
  if (!schema.ok) {
    const issue = schema.issues[0];
    return `evaluation is not a valid PolicyEvaluation (${issue?.path ?? '/'}: ${issue?.message ?? 'invalid'})`;
  }
  if (!isJsonObject(value)) return 'evaluation is not an object';
  return narrowEvaluation(value);
}

function narrowEvaluation(value: JsonObject): PolicyEvaluation | string {
  const source = memberOf(POLICY_SOURCES, own(value, 'source'));
  const decision = memberOf(DECISIONS, own(value, 'decision'));
  const severity = memberOf(DECISION_SEVERITIES, own(value, 'severity'));
  const policy_id = own(value, 'policy_id');
  const evaluated_at = own(value, 'evaluated_at');
  const reason = own(value, 'reason');
  const evidence = own(value, 'evidence');
  if (
    source === undefined ||
    decision === undefined ||
    severity === undefined ||
    typeof policy_id !== 'string' ||
    typeof evaluated_at !== 'string' ||
    (reason !== undefined && typeof reason !== 'string') ||
    (evidence !== undefined && !isJsonObject(evidence))
  ) {
    return 'evaluation is malformed';
  }
  if (policy_id === '') return 'evaluation has an empty policy_id';
  // G-17 / PRE-12: the schema accepts any pairing; only the fixed one is meaningful.
  if (severity !== DECISION_SEVERITY[decision]) {
    return `severity ${severity} does not match decision ${decision}`;
  }
  if (!isProfileTimestamp(evaluated_at)) return 'evaluated_at is not RFC 3339 UTC with ms';
  return {
    source,
    policy_id,
    decision,
    severity,
    ...(typeof reason === 'string' ? { reason } : {}),
    ...(isJsonObject(evidence) ? { evidence } : {}),
    evaluated_at,
  };
}

function checkRequires(
  evaluation: PolicyEvaluation,
  value: JsonValue | undefined,
): ApprovalRequirement | undefined | string {
  if (evaluation.decision !== 'require_approval') {
    return value === undefined ? undefined : 'requires is only allowed with require_approval';
  }
  if (!isJsonObject(value)) return 'require_approval without requires.role';
  const extra = unknownKeys(value, REQUIRES_KEYS);
  if (extra[0] !== undefined) return `unknown key requires.${extra[0]}`;
  const role = own(value, 'role');
  const reason = own(value, 'reason');
  if (typeof role !== 'string') return 'require_approval without requires.role';
  if (!ROLE_RE.test(role)) return 'requires.role is not a valid role name';
  if (reason !== undefined && typeof reason !== 'string') return 'requires.reason is not a string';
  return { role, ...(typeof reason === 'string' ? { reason } : {}) };
}
