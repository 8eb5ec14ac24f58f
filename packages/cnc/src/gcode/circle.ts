import type { Move } from './types.js';

/**
 * A full circle of radius `r` about (cx, cy) at depth `z` as two half arcs (G2 for 'cw', G3 for
 * 'ccw'), starting and ending at (cx + r, cy): the caller must bring the tool there first. Two
 * halves rather than one 360° arc because controllers disagree on start == end arcs.
 */
export function circleMoves(
  cx: number,
  cy: number,
  r: number,
  z: number,
  feed: number,
  direction: 'cw' | 'ccw',
): Move[] {
  const kind = direction === 'cw' ? 'arc_cw' : 'arc_ccw';
  return [
    { kind, x: cx - r, y: cy, z, i: -r, j: 0, f: feed },
    { kind, x: cx + r, y: cy, z, i: r, j: 0, f: feed },
  ];
}
