import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  circleMoves,
  machineProfile,
  postProcess,
  validateGcode,
  type Dialect,
  type MotionProgram,
} from '../../src/gcode/index.js';
import { sampleProgram } from './fixtures.js';

const MACHINE = { grbl: 'grbl-desktop', linuxcnc: 'linuxcnc-router', fanuc: 'fanuc-mill' } as const;

/** One circle at depth `z` about (cx, cy), entered from safe Z. */
function circleProgram(cx: number, cy: number, r: number, z: number, cw: boolean): MotionProgram {
  return {
    ...sampleProgram(),
    moves: [
      { kind: 'rapid', x: cx + r, y: cy },
      { kind: 'linear', z, f: 200 },
      ...circleMoves(cx, cy, r, z, 1000, cw ? 'cw' : 'ccw'),
    ],
  };
}

describe('random circles round-trip through every post and the validator', () => {
  it('validate, and bounds equal the circle (to output rounding)', () => {
    const dialect = fc.constantFrom<Dialect>('grbl', 'linuxcnc', 'fanuc');
    const mm = (min: number, max: number): fc.Arbitrary<number> =>
      fc.integer({ min: min * 1000, max: max * 1000 }).map((v) => v / 1000);
    fc.assert(
      fc.property(
        dialect,
        mm(60, 140),
        mm(60, 140),
        mm(1, 50),
        mm(-20, -0.5),
        fc.boolean(),
        (d, cx, cy, r, z, cw) => {
          const machine = machineProfile(MACHINE[d]);
          const v = validateGcode(postProcess(circleProgram(cx, cy, r, z, cw), d), machine);
          expect(v.issues).toEqual([]);
          expect(v.bounds.x?.[0]).toBeCloseTo(cx - r, 3);
          expect(v.bounds.x?.[1]).toBeCloseTo(cx + r, 3);
          expect(v.bounds.y?.[0]).toBeCloseTo(cy - r, 3);
          expect(v.bounds.y?.[1]).toBeCloseTo(cy + r, 3);
        },
      ),
      { numRuns: 200, seed: 20261123 },
    );
  });

  it('an arc end moved off its circle by more than the tolerance is always rejected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 40000 }),
        fc.integer({ min: 6, max: 5000 }),
        (r, off) => {
          const lines = ['G21', 'G90', 'G0 Z5', 'S12000 M3', 'G0 X100 Y100', 'G1 Z-1 F300'];
          const end = (100 + (2 * r + off) / 1000).toFixed(3);
          const arc = `G2 X${end} Y100 I${(r / 1000).toFixed(3)} J0 F1000`;
          const v = validateGcode(
            [...lines, arc, 'G0 Z5', 'M5', 'M30', ''].join('\n'),
            machineProfile('grbl-desktop'),
          );
          expect(v.issues.map((i) => i.code)).toEqual(['ARC_INCONSISTENT']);
        },
      ),
      { numRuns: 200, seed: 20261123 },
    );
  });
});
