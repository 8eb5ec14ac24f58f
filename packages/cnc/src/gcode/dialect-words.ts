import type { Word } from './tokenize.js';
import type { Dialect } from './types.js';

/**
 * Words of the supported subset that a dialect's controller refuses, beyond the subset itself
 * (issue 12: "the validator knows each dialect's accepted words"). GRBL 1.1 answers `error:20`
 * (unsupported command) to G64 (it has only exact-path mode), to M6 (it has no tool changer) and
 * to an O program number; a program released for a GRBL machine must contain none of them.
 */
const REFUSED: Readonly<
  Record<
    Dialect,
    {
      readonly g: readonly number[];
      readonly m: readonly number[];
      readonly letters: readonly string[];
    }
  >
> = Object.freeze({
  grbl: { g: [64], m: [6], letters: ['O'] },
  linuxcnc: { g: [], m: [], letters: [] },
  fanuc: { g: [], m: [], letters: [] },
});

/** The first word of `words` that `dialect` refuses, spelled as written, or undefined. */
export function refusedWord(words: readonly Word[], dialect: Dialect): string | undefined {
  const refused = REFUSED[dialect];
  for (const w of words) {
    const code =
      (w.letter === 'G' && refused.g.includes(w.value)) ||
      (w.letter === 'M' && refused.m.includes(w.value)) ||
      refused.letters.includes(w.letter);
    if (code) return `${w.letter}${w.value}`;
  }
  return undefined;
}
