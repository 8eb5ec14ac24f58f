/**
 * Deterministic number formatting for rule messages and constraint strings.
 *
 * Messages and constraints are part of the hashed result, so their text must be a pure function of
 * the input. Two formats are used, both modelled on the Python original (`feasibility/rules.py`)
 * without promising byte parity with it:
 * - `num(x)`: like Python's `str(float)` for ordinary values — integer-valued numbers get one
 *   fractional digit (`15` → `"15.0"`, `-0` → `"-0.0"`), others use the shortest round-trip decimal
 *   of JavaScript (`0.45` → `"0.45"`). Magnitudes ≥ 1e16 or < 1e-6 fall back to JavaScript's
 *   exponent form (Python switches at other magnitudes; no realistic CAM value gets there).
 * - `fixed1(x)`: one decimal, JavaScript `toFixed(1)` (exact binary value, ties resolved upward,
 *   where Python's `{:.1f}` resolves exact ties to even — e.g. 0.25 → "0.3" here, "0.2" there).
 * Integers that the original formats with `%d` (loop counts, ratio limits) use `String(n)`.
 */

/** Python-`str(float)`-like rendering of a finite number. */
export function num(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}

/** One-decimal rendering (`{:.1f}` in the original). */
export function fixed1(x: number): string {
  return x.toFixed(1);
}
