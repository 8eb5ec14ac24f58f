/** Small shared helpers of the rule functions. */
import type { FeasibilityInput, FeasibilityRuleId, RuleHit } from './types.js';

/** One rule: a pure function of the input returning its hits (usually zero or one). */
export type Rule = (fi: FeasibilityInput) => readonly RuleHit[];

/** HARD+ of the spec: hard, very-hard, extreme. */
export function isHardPlus(fi: FeasibilityInput): boolean {
  const h = fi.material_hardness;
  return h === 'hard' || h === 'very-hard' || h === 'extreme';
}

/** A RED hit. */
export function red(rule_id: FeasibilityRuleId, message: string, constraint?: string): RuleHit {
  return { rule_id, level: 'RED', message, constraint: constraint ?? null };
}

/** A YELLOW hit. */
export function yellow(rule_id: FeasibilityRuleId, message: string, constraint?: string): RuleHit {
  return { rule_id, level: 'YELLOW', message, constraint: constraint ?? null };
}

/** Zero or one hit. */
export function when(condition: boolean, hit: () => RuleHit): readonly RuleHit[] {
  return condition ? [hit()] : [];
}

/** Number of true factors (the combined-risk rules F029, F037, F041). */
export function countTrue(factors: readonly boolean[]): number {
  return factors.filter(Boolean).length;
}
