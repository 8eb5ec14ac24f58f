/** Coordinates are rounded to this grid so output never depends on float noise. */
const GRID = 1e4;

/** `v` rounded to 1e-4 mm, never −0. */
export function r4(v: number): number {
  const r = Math.round(v * GRID) / GRID;
  return r === 0 ? 0 : r;
}
