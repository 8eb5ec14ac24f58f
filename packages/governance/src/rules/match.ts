/**
 * Rule evaluation: pure and deterministic (PRE-2). Rules are tested in config order; each matching
 * rule yields one result. A rule whose only condition is `engine` applies to the workflow as a
 * whole; any other rule is tested against every artifact and matches when at least one does.
 *
 * The default decision applies when no rule matched, and also when some artifact was matched by
 * no rule. Without the second half, one `allow` rule matching a harmless artifact would silently
 * waive the default for every other artifact of the same workflow.
 */
import { DECISION_SEVERITY } from '@clearance/protocol';
import type { PolicyArtifact, PolicyInput, PolicyResult } from '../types.js';
import type { Rule, RuleMatch, RulesConfig } from './config.js';
import { globMatch } from '../glob.js';

/** Local rule name of the default result: `${source}/default`. */
export const DEFAULT_RULE = 'default';

/** True when `match` has a condition on artifacts (anything but `engine`). */
export function hasArtifactCondition(match: RuleMatch): boolean {
  return Object.keys(match).some((key) => key !== 'engine');
}

/** True when `artifact` meets every artifact condition of `match`. */
export function artifactMatches(match: RuleMatch, artifact: PolicyArtifact): boolean {
  return (
    oneOf(match.artifact_type, artifact.artifact_type) &&
    oneOf(match.action, artifact.action) &&
    oneOf(match.role, artifact.role) &&
    oneOf(match.mime, artifact.mime) &&
    (match.target === undefined ||
      (artifact.target !== undefined && anyGlob(match.target, artifact.target))) &&
    (match.path === undefined || artifact.paths.some((p) => anyGlob(match.path ?? [], p))) &&
    (match.size_gt === undefined || artifact.size > match.size_gt) &&
    (match.size_lte === undefined || artifact.size <= match.size_lte) &&
    (match.metadata === undefined ||
      match.metadata.every(([key, values]) => metadataIs(artifact, key, values)))
  );
}

function oneOf<T extends string>(accepted: readonly T[] | undefined, value: T): boolean {
  return accepted === undefined || accepted.includes(value);
}

function anyGlob(patterns: readonly string[], path: string): boolean {
  return patterns.some((pattern) => globMatch(pattern, path));
}

function metadataIs(artifact: PolicyArtifact, key: string, values: readonly string[]): boolean {
  // Own properties only: `constructor` or `__proto__` must not match through the prototype.
  if (!Object.hasOwn(artifact.metadata, key)) return false;
  const value = artifact.metadata[key];
  return typeof value === 'string' && values.includes(value);
}

/** Evaluate `config` for `input` as source `name`, stamping every evaluation with `evaluatedAt`. */
export function evaluateRules(
  name: string,
  config: RulesConfig,
  input: PolicyInput,
  evaluatedAt: string,
): PolicyResult[] {
  const results: PolicyResult[] = [];
  const covered = new Set<number>();
  let matched = false;
  for (const rule of config.rules) {
    if (rule.match.engine !== undefined && !rule.match.engine.includes(input.engine.id)) continue;
    if (!hasArtifactCondition(rule.match)) {
      matched = true;
      input.artifacts.forEach((_, i) => covered.add(i));
      results.push(resultFor(name, rule, 'workflow', [], evaluatedAt));
      continue;
    }
    const hits: string[] = [];
    input.artifacts.forEach((artifact, i) => {
      if (!artifactMatches(rule.match, artifact)) return;
      covered.add(i);
      hits.push(artifact.name);
    });
    if (hits.length === 0) continue;
    matched = true;
    results.push(resultFor(name, rule, 'artifact', hits, evaluatedAt));
  }
  const uncovered = input.artifacts.filter((_, i) => !covered.has(i)).map((a) => a.name);
  if (!matched || uncovered.length > 0) {
    results.push(defaultResult(name, config, uncovered, matched, evaluatedAt));
  }
  return results;
}

function resultFor(
  name: string,
  rule: Rule,
  scope: 'workflow' | 'artifact',
  artifacts: readonly string[],
  evaluatedAt: string,
): PolicyResult {
  return {
    evaluation: {
      source: 'custom',
      policy_id: `${name}/${rule.id}`,
      decision: rule.decision,
      severity: DECISION_SEVERITY[rule.decision],
      reason: rule.reason,
      evidence: { rule: rule.id, scope, artifacts: [...artifacts] },
      evaluated_at: evaluatedAt,
    },
    ...(rule.role === undefined ? {} : { requires: { role: rule.role, reason: rule.reason } }),
  };
}

function defaultResult(
  name: string,
  config: RulesConfig,
  uncovered: readonly string[],
  matched: boolean,
  evaluatedAt: string,
): PolicyResult {
  const reason = matched
    ? `default decision: ${uncovered.length} artifact(s) matched no rule`
    : 'default decision: no rule matched';
  return {
    evaluation: {
      source: 'custom',
      policy_id: `${name}/${DEFAULT_RULE}`,
      decision: config.default,
      severity: DECISION_SEVERITY[config.default],
      reason,
      evidence: {
        rule: DEFAULT_RULE,
        scope: matched ? 'artifact' : 'workflow',
        artifacts: [...uncovered],
      },
      evaluated_at: evaluatedAt,
    },
    ...(config.default_role === undefined
      ? {}
      : { requires: { role: config.default_role, reason } }),
  };
}
