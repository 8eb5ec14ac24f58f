/** Deny results that preflight synthesizes itself (failed source, no evaluations, bad input). */
import type { JsonObject } from '@clearance/protocol';
import type { PolicyResult } from './types.js';

/**
 * A `deny` PolicyResult from source `custom`: used wherever something could not be evaluated, so
 * that the failure is itself an audited evaluation (S-21) and can never aggregate to less than deny.
 */
export function denyResult(
  policy_id: string,
  reason: string,
  evidence: JsonObject,
  evaluated_at: string,
): PolicyResult {
  return {
    evaluation: {
      source: 'custom',
      policy_id,
      decision: 'deny',
      severity: 3,
      reason,
      evidence,
      evaluated_at,
    },
    violations: [`${policy_id}: ${reason}`],
  };
}
