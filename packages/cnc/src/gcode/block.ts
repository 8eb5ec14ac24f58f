import type { Word } from './tokenize.js';

/** The supported G-codes: motion, plane XY, units, distance mode, LinuxCNC path blending. */
const G_SUPPORTED = new Set([0, 1, 2, 3, 17, 20, 21, 64, 90, 91]);
/** The supported M-codes: ends, spindle, tool change, coolant. */
const M_SUPPORTED = new Set([2, 3, 4, 5, 6, 7, 8, 9, 30]);
/** Letters that may appear at most once per line and carry a value. */
const VALUE_LETTERS = new Set(['X', 'Y', 'Z', 'I', 'J', 'F', 'S', 'T', 'P']);
/** Groups of codes of which at most one may appear on a line. */
const EXCLUSIVE: readonly (readonly number[])[] = [
  [0, 1, 2, 3],
  [20, 21],
  [90, 91],
];
const M_EXCLUSIVE: readonly (readonly number[])[] = [
  [3, 4, 5],
  [2, 30],
  [7, 8, 9],
];

/** One line's words, grouped; values are as written (units not applied). */
export interface Block {
  readonly g: ReadonlySet<number>;
  readonly m: ReadonlySet<number>;
  readonly values: ReadonlyMap<string, number>;
}

/** Either a block or why the line is outside the supported subset. */
export type BlockResult = { readonly block: Block } | { readonly error: string };

function codeSet(words: readonly Word[], letter: 'G' | 'M', supported: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const w of words) {
    if (w.letter !== letter) continue;
    if (!Number.isInteger(w.value) || !supported.has(w.value) || out.has(w.value)) {
      throw new Error(`unsupported or repeated ${letter}${w.value}`);
    }
    out.add(w.value);
  }
  return out;
}

function checkExclusive(set: ReadonlySet<number>, groups: readonly (readonly number[])[]): void {
  for (const group of groups) {
    if (group.filter((c) => set.has(c)).length > 1) throw new Error('conflicting modal codes');
  }
}

function valueMap(words: readonly Word[]): Map<string, number> {
  const values = new Map<string, number>();
  words.forEach((w, k) => {
    if (w.letter === 'G' || w.letter === 'M') return;
    if (w.letter === 'N' && k === 0) return;
    if (w.letter === 'O' && words.length === 1) return;
    if (!VALUE_LETTERS.has(w.letter)) throw new Error(`unsupported word ${w.letter}`);
    if (values.has(w.letter)) throw new Error(`repeated word ${w.letter}`);
    values.set(w.letter, w.value);
  });
  return values;
}

/**
 * Group a tokenised line into a block, failing on anything outside the subset: unknown letters
 * or codes, repeated words, conflicting modal codes, N not first, O not alone, P without G64.
 */
export function toBlock(words: readonly Word[]): BlockResult {
  try {
    const g = codeSet(words, 'G', G_SUPPORTED);
    const m = codeSet(words, 'M', M_SUPPORTED);
    checkExclusive(g, EXCLUSIVE);
    checkExclusive(m, M_EXCLUSIVE);
    const values = valueMap(words);
    if (values.has('P') && !g.has(64)) throw new Error('P word without G64');
    return { block: { g, m, values } };
  } catch (err) {
    return { error: err instanceof Error ? err.message : 'unparseable line' };
  }
}
