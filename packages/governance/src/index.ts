/**
 * @clearance/governance — policy sources behind one interface and `most_restrictive` aggregation
 * (spec/cabincrew.md §2.6, §4.2.6). Pure: no I/O, the clock is injected.
 *
 * - {@link runPreflight}: run every source under its own timeout, fail closed, aggregate.
 * - {@link aggregate}: most restrictive wins; nothing to aggregate is a deny.
 * - {@link RulesPolicySource}: declarative rules from the configuration.
 */
export type {
  AggregateOutcome,
  ApprovalDemand,
  ApprovalRequirement,
  ArtifactRole,
  EvaluationContext,
  PolicyArtifact,
  PolicyFailure,
  PolicyInput,
  PolicyResult,
  PolicySource,
  PolicySourceKind,
  PreflightOutcome,
} from './types.js';
export { ARTIFACT_ROLES } from './types.js';
export { aggregate, parseAggregationMethod } from './aggregate.js';
export { runPreflight } from './run.js';
export type { RunPreflightOptions } from './run.js';
export { assertSourceSet, POLICY_DIGEST_DOMAIN, policyDigest } from './digest.js';
export { checkPolicyResult } from './result-check.js';
export type { ResultCheck } from './result-check.js';
export {
  FAILURE_RULE,
  INPUT_INVALID_POLICY_ID,
  NO_EVALUATIONS_POLICY_ID,
  RESERVED_SOURCE_NAME,
} from './names.js';
export { MAX_FAILURE_TEXT } from './text.js';
export { globMatch, globProblem } from './glob.js';
export { RULES_DIGEST_DOMAIN, RulesPolicySource } from './rules/source.js';
export { DEFAULT_RULE } from './rules/match.js';
export { parseRulesConfig } from './rules/config.js';
export type { ParsedRulesConfig, Rule, RuleMatch, RulesConfig } from './rules/config.js';
