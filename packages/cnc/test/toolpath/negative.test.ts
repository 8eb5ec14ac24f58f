import { hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { buildProgram, type Operation } from '../../src/toolpath/index.js';
import { CUTTING, DRILL, HEADER, L_SHAPE, RECT, RING, TOOL } from './fixtures.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return hasCode(err, 'VALIDATION_FAILED') ? 'VALIDATION_FAILED' : 'OTHER';
  }
  return undefined;
}

const build =
  (op: Operation, cutting = CUTTING, tool = TOOL) =>
  () =>
    buildProgram([op], tool, cutting, HEADER);

describe('refused inputs (VALIDATION_FAILED)', () => {
  it('ring channel narrower than the tool', () => {
    expect(code(build({ ...RING, outer_radius: 45.9 }))).toBe('VALIDATION_FAILED');
    // Exactly the tool width is still cuttable.
    expect(code(build({ ...RING, outer_radius: 46 }))).toBeUndefined();
  });

  it('self-intersecting contour (bow tie)', () => {
    const bowTie = [
      { x: 100, y: 100 },
      { x: 200, y: 200 },
      { x: 200, y: 100 },
      { x: 100, y: 200 },
    ];
    expect(code(build({ kind: 'profile', contour: bowTie, side: 'outside' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(build({ kind: 'profile', contour: L_SHAPE, side: 'outside' }))).toBeUndefined();
  });

  it('stepover 0, above 1, or not a number', () => {
    for (const stepover of [0, -0.1, 1.01, NaN]) {
      expect(code(build(RECT, { ...CUTTING, stepover }))).toBe('VALIDATION_FAILED');
    }
    expect(code(build(RECT, { ...CUTTING, stepover: 1 }))).toBeUndefined();
  });

  it('non-positive depths, feeds and safe Z', () => {
    for (const patch of [
      { stepdown: 0 },
      { final_depth: 0 },
      { final_depth: -3 },
      { feed_xy: 0 },
      { feed_z: -1 },
      { safe_z: 0 },
      { stepdown: 0.001 },
    ]) {
      expect(code(build(RECT, { ...CUTTING, ...patch }))).toBe('VALIDATION_FAILED');
    }
  });

  it('pockets smaller than the tool, degenerate or too-narrow contours, drills used sideways', () => {
    expect(code(build({ ...RECT, width: 5 }))).toBe('VALIDATION_FAILED');
    expect(code(build({ kind: 'circular_pocket', cx: 150, cy: 150, radius: 2.9 }))).toBe(
      'VALIDATION_FAILED',
    );
    const line = [
      { x: 100, y: 100 },
      { x: 150, y: 100 },
      { x: 200, y: 100 },
    ];
    expect(code(build({ kind: 'profile', contour: line, side: 'on' }))).toBe('VALIDATION_FAILED');
    const sliver = [
      { x: 100, y: 100 },
      { x: 200, y: 100 },
      { x: 200, y: 104 },
      { x: 100, y: 104 },
    ];
    expect(code(build({ kind: 'profile', contour: sliver, side: 'inside' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(code(build(RECT, CUTTING, DRILL))).toBe('VALIDATION_FAILED');
    expect(code(build({ kind: 'drill_pattern', points: [] }))).toBe('VALIDATION_FAILED');
    expect(code(() => buildProgram([], TOOL, CUTTING, HEADER))).toBe('VALIDATION_FAILED');
  });

  it('float depths such as 3 × 1.1 terminate on the grid', () => {
    const p = buildProgram(
      [{ kind: 'profile', contour: L_SHAPE, side: 'inside' }],
      TOOL,
      { ...CUTTING, stepdown: 1.1, final_depth: 3.5 },
      HEADER,
    );
    const zs = new Set(p.moves.map((m) => m.z));
    for (const z of [-1.1, -2.2, -3.3, -3.5]) expect(zs.has(z)).toBe(true);
  });

  it('programs over the move cap', () => {
    const points = Array.from({ length: 10_000 }, (_, k) => ({
      x: k % 100,
      y: Math.floor(k / 100),
    }));
    const op: Operation = { kind: 'drill_pattern', points, peck: 0.003 };
    expect(code(build(op, CUTTING, DRILL))).toBe('VALIDATION_FAILED');
  });
});
