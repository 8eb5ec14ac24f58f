/**
 * The feasibility engine `feasibility_engine_v1` (spec/rmos.md §3.2): a pure, deterministic
 * function from a parsed job to a bucketed result. No clock, no randomness, no I/O, no client
 * value other than the job's own parameters.
 */
import { HASH_DOMAINS, ClearanceError, H } from '@clearance/protocol';
import type { Sha256Hex } from '@clearance/protocol';
import { parseFeasibilityInput } from './parse.js';
import { RED_RULES } from './rules-red.js';
import { YELLOW_RULES } from './rules-yellow.js';
import type {
  FeasibilityFailure,
  FeasibilityInput,
  FeasibilityOutcome,
  FeasibilityResult,
  RuleHit,
} from './types.js';
import { FEASIBILITY_ENGINE_VERSION } from './types.js';

/** Hash domain of feasibility results. */
export const FEASIBILITY_HASH_DOMAIN = HASH_DOMAINS.CNC_FEASIBILITY;

/** Every hit of every rule, in evaluation order (all RED rules, then all YELLOW rules). */
export function evaluateRules(input: FeasibilityInput): readonly RuleHit[] {
  return [...RED_RULES, ...YELLOW_RULES].flatMap((rule) => rule(input));
}

/**
 * Evaluates a parsed job. `risk_level` is RED if any RED rule fired, else YELLOW if any YELLOW
 * rule fired, else GREEN; `blocking` is true exactly for RED. Call `parseFeasibilityInput` (or
 * `safeEvaluate`) first: this function trusts that its input is already normalised.
 */
export function evaluateFeasibility(input: FeasibilityInput): FeasibilityResult {
  const hits = evaluateRules(input);
  const reds = hits.filter((h) => h.level === 'RED');
  const yellows = hits.filter((h) => h.level === 'YELLOW');
  const constraints = hits.flatMap((h) => (h.constraint === null ? [] : [h.constraint]));
  const blocking = reds.length > 0;
  return {
    risk_level: blocking ? 'RED' : yellows.length > 0 ? 'YELLOW' : 'GREEN',
    blocking,
    rules_triggered: hits.map((h) => h.rule_id),
    blocking_reasons: reds.map((h) => h.message),
    warnings: yellows.map((h) => h.message),
    constraints,
    engine_version: FEASIBILITY_ENGINE_VERSION,
    details: {
      pipeline_id: input.pipeline_id,
      post_id: input.post_id,
      units: input.units,
      layer_name: input.layer_name,
      // Field by field: a TypeScript caller's extra bbox keys must not reach the hashed result.
      bbox:
        input.bbox === null
          ? null
          : {
              x_min: input.bbox.x_min,
              y_min: input.bbox.y_min,
              x_max: input.bbox.x_max,
              y_max: input.bbox.y_max,
            },
      entity_count: input.entity_count,
      loop_count_hint: input.loop_count_hint,
      has_closed_paths: input.has_closed_paths,
    },
  };
}

/** A result as a caller may hold it, possibly with a timestamp added outside the engine. */
export type TimestampedOutcome = FeasibilityOutcome & {
  readonly computed_at?: string;
  readonly computed_at_utc?: string;
};

/**
 * Feasibility hash: `H('clearance.feasibility.v1', result)` over RFC 8785 canonical JSON, with
 * any `computed_at` / `computed_at_utc` timestamp removed first, so the hash is a function of the
 * job alone. This deliberately does not reproduce the Python original's bytes (sorted-key
 * `json.dumps`, Python float text, no domain tag); compare buckets and rule ids across
 * implementations, never hashes.
 */
export function feasibilityHash(result: TimestampedOutcome): Sha256Hex {
  const { computed_at: _at, computed_at_utc: _atUtc, ...hashed } = result;
  return H(FEASIBILITY_HASH_DOMAIN, hashed);
}

function failure(
  risk_level: FeasibilityFailure['risk_level'],
  code: string,
  message: string,
  pointer: string | null,
): FeasibilityFailure {
  return {
    risk_level,
    blocking: true,
    rules_triggered: [],
    blocking_reasons: [`feasibility could not be evaluated: ${message}`],
    warnings: [],
    constraints: [],
    engine_version: FEASIBILITY_ENGINE_VERSION,
    details: null,
    error: { code, message, pointer },
  };
}

/**
 * Parses and evaluates an untrusted job, failing closed: an input that cannot be parsed yields a
 * blocking `UNKNOWN` result (the job could not be assessed), and any other error during parsing
 * or evaluation yields a blocking `ERROR` result. Never throws; never GREEN on failure.
 */
export function safeEvaluate(value: unknown): FeasibilityOutcome {
  let input: FeasibilityInput;
  try {
    input = parseFeasibilityInput(value);
  } catch (err) {
    if (err instanceof ClearanceError) {
      const at = err.detail?.['pointer'];
      return failure('UNKNOWN', err.code, err.message, typeof at === 'string' ? at : null);
    }
    return failure('ERROR', 'INTERNAL', 'input could not be read', null);
  }
  try {
    return evaluateFeasibility(input);
  } catch {
    // The message of an unexpected error is not reported: it is a bug, not client information.
    return failure('ERROR', 'INTERNAL', 'rule evaluation failed', null);
  }
}
