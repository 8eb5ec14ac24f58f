/** Explainability (spec/rmos.md §3.2): a summary line plus the registry entry of each fired rule. */
import type { FeasibilityRuleInfo } from './registry.js';
import { feasibilityRule } from './registry.js';
import type { FeasibilityOutcome } from './types.js';

/** Explanation of a result for operators. */
export interface FeasibilityExplanation {
  readonly risk_level: FeasibilityOutcome['risk_level'];
  /** "All checks passed", "Manual review required (N warnings)", "Blocked (N critical issues)". */
  readonly summary: string;
  /** Registry entry of every distinct fired rule, in first-fired order. */
  readonly rules: readonly FeasibilityRuleInfo[];
}

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The §3.2 summary line. N counts `rules_triggered` including duplicates and, for RED, including
 * YELLOW hits, exactly as the original `explain.py` did.
 */
export function feasibilitySummary(result: FeasibilityOutcome): string {
  const n = result.rules_triggered.length;
  switch (result.risk_level) {
    case 'GREEN':
      return 'All checks passed';
    case 'YELLOW':
      return `Manual review required (${plural(n, 'warning')})`;
    case 'RED':
      return `Blocked (${plural(n, 'critical issue')})`;
    default:
      return 'Status unknown';
  }
}

/** Summary line plus the registry entry of each distinct fired rule, in order. */
export function explainFeasibility(result: FeasibilityOutcome): FeasibilityExplanation {
  const ids = [...new Set<string>(result.rules_triggered)];
  const rules = ids.flatMap((id) => {
    const info = feasibilityRule(id);
    return info === undefined ? [] : [info];
  });
  return { risk_level: result.risk_level, summary: feasibilitySummary(result), rules };
}
