import { ClearanceError } from '@clearance/protocol';

/** Largest magnitude a coordinate, feed or speed may have; far beyond any machine. */
const MAX_MAGNITUDE = 1e7;

/**
 * Fixed-point text for `value` with exactly `decimals` digits: never `-0.000`, never exponent
 * notation, never locale separators (`toFixed` is locale-independent). Throws VALIDATION_FAILED
 * for a non-finite or absurdly large value rather than emit a word a controller could misread.
 */
export function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value) || Math.abs(value) >= MAX_MAGNITUDE) {
    throw new ClearanceError('VALIDATION_FAILED', `number out of range for G-code: ${value}`);
  }
  const text = value.toFixed(decimals);
  // A tiny negative value rounds to "-0.000"; a controller reads it as zero but it is noise.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Characters allowed in comment text: no parentheses, semicolons, commas, `%` or line breaks. */
const UNSAFE_COMMENT_CHARS = /[^A-Za-z0-9 _.:@/+=#-]/g;

/** Longest comment text emitted (keeps every line under the validator cap). */
const MAX_COMMENT = 100;

/**
 * Comment text that cannot end the comment early or start an active comment: anything outside a
 * small safe set becomes `_` (a `)` or newline in a title would otherwise inject G-code, and
 * LinuxCNC treats `(LOGOPEN,...)`/`(MSG,...)` as commands).
 */
export function commentText(text: string): string {
  return text.replace(UNSAFE_COMMENT_CHARS, '_').slice(0, MAX_COMMENT);
}
