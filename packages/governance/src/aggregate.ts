/**
 * `most_restrictive` aggregation (spec/cabincrew.md §4.2.6, PRE-6, PRE-12, PRE-14, G-16, G-33,
 * G-34): the aggregate is the most severe decision; nothing to aggregate is a deny; a result that
 * is not a well-formed, severity-consistent evaluation counts as a deny.
 */
import {
  ClearanceError,
  type Decision,
  type DecisionSeverity,
  type PolicyEvaluation,
} from '@clearance/protocol';
import { NO_EVALUATIONS_POLICY_ID } from './names.js';
import { checkPolicyResult } from './result-check.js';
import type { AggregateOutcome, ApprovalDemand, PolicyResult } from './types.js';

const DECISION_AT: Readonly<Record<DecisionSeverity, Decision>> = {
  0: 'allow',
  1: 'warn',
  2: 'require_approval',
  3: 'deny',
};

/**
 * Configured aggregation names that mean `most_restrictive` (§4.2.6: `unanimous` and `all_allow`
 * reduce to it). `majority` can out-vote a deny, `any_deny` leaves the non-deny case undefined and
 * `custom` is undefined, so they are refused, as is anything else.
 */
const MOST_RESTRICTIVE_ALIASES: readonly string[] = ['most_restrictive', 'unanimous', 'all_allow'];

/**
 * Parse a configured aggregation method. Returns `most_restrictive` for it and its aliases;
 * throws POLICY_CONFIG_INVALID for `majority`, `any_deny`, `custom` and anything else (S-22).
 */
export function parseAggregationMethod(value: unknown): 'most_restrictive' {
  if (typeof value === 'string' && MOST_RESTRICTIVE_ALIASES.includes(value)) {
    return 'most_restrictive';
  }
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : typeof value;
  throw new ClearanceError(
    'POLICY_CONFIG_INVALID',
    `aggregation method ${shown} is not allowed: only most_restrictive (aliases unanimous, all_allow)`,
    { detail: { pointer: '/aggregation_method' } },
  );
}

/**
 * Aggregate policy results, most restrictive first. Pure and total: an empty list is a deny
 * (PRE-14); an invalid result (schema, severity/decision mismatch, require_approval without a
 * role…) is kept in `results` but counts as a deny and adds a violation. `approvals` has one entry
 * per distinct required role, sorted by role, and is empty unless the decision is require_approval.
 */
export function aggregate(results: readonly PolicyResult[]): AggregateOutcome {
  let severity: DecisionSeverity = results.length === 0 ? 3 : 0;
  const violations: string[] = [];
  const warnings: string[] = [];
  const demands = new Map<string, { reasons: string[]; policy_ids: string[] }>();
  if (results.length === 0) violations.push(`${NO_EVALUATIONS_POLICY_ID}: no policy evaluations`);
  for (const raw of results) {
    const check = checkPolicyResult(raw);
    if (!check.ok) {
      severity = 3;
      violations.push(`${check.policy_id ?? 'unknown policy'}: invalid result (${check.problem})`);
      continue;
    }
    const { evaluation, requires } = check.result;
    if (evaluation.severity > severity) severity = evaluation.severity;
    violations.push(...annotations(check.result.violations, evaluation, 'deny'));
    warnings.push(...annotations(check.result.warnings, evaluation, 'warn'));
    if (requires !== undefined) {
      const demand = demands.get(requires.role) ?? { reasons: [], policy_ids: [] };
      const reason =
        requires.reason ?? evaluation.reason ?? `${evaluation.policy_id} requires approval`;
      pushUnique(demand.reasons, reason);
      pushUnique(demand.policy_ids, evaluation.policy_id);
      demands.set(requires.role, demand);
    }
  }
  const decision = DECISION_AT[severity];
  return {
    decision,
    severity,
    aggregation_method: 'most_restrictive',
    results: [...results],
    approvals: decision === 'require_approval' ? sortedDemands(demands) : [],
    violations,
    warnings,
  };
}

/** A result's own annotations, or one derived from its reason when its decision calls for one. */
function annotations(
  own: readonly string[] | undefined,
  evaluation: PolicyEvaluation,
  decision: Decision,
): readonly string[] {
  if (own !== undefined && own.length > 0) return own;
  if (evaluation.decision !== decision) return [];
  return [`${evaluation.policy_id}: ${evaluation.reason ?? decision}`];
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

// Roles are compared by UTF-16 code units, never with localeCompare: the order must not depend
// on the host's locale (deterministic outcome, PRE-2).
function sortedDemands(
  demands: ReadonlyMap<string, { reasons: string[]; policy_ids: string[] }>,
): ApprovalDemand[] {
  return [...demands.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([role, { reasons, policy_ids }]) => ({ role, reasons, policy_ids }));
}
