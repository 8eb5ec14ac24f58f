/**
 * Every operation kind × every dialect: the posted program, read by the independent gcode-parser,
 * moves only inside the machine envelope, over exactly the XY extent the job's geometry implies
 * (tool radius inside walls, outside for outside profiles), down to exactly −final_depth, and it
 * passes the validator.
 */
import { describe, expect, it } from 'vitest';

import { machineProfile } from '../../src/gcode/index.js';
import { manufactureJob } from '../../src/manufacture/index.js';
import { CASES, CUTTING, MACHINES, normalized, stampFor } from './fixtures.js';
import { motionOf } from './motion.js';

const TOL = 1e-3;

describe('manufactureJob output read by gcode-parser', () => {
  for (const c of CASES) {
    for (const { dialect, machine } of MACHINES) {
      it(`${c.name} on ${dialect}: inside the envelope, matching the geometry, valid`, () => {
        const result = manufactureJob(normalized(c, machine), stampFor(c, machine));
        expect(result.dialect).toBe(dialect);
        expect(result.validation.ok).toBe(true);
        expect(result.validation.issues).toEqual([]);
        const m = motionOf(result.gcode);
        const env = machineProfile(machine).envelope;
        for (const axis of ['x', 'y', 'z'] as const) {
          expect(m[axis][0]).toBeGreaterThanOrEqual(env[axis][0]);
          expect(m[axis][1]).toBeLessThanOrEqual(env[axis][1]);
        }
        const [xMin, xMax, yMin, yMax] = c.extent;
        expect(Math.abs(m.x[0] - xMin)).toBeLessThanOrEqual(TOL);
        expect(Math.abs(m.x[1] - xMax)).toBeLessThanOrEqual(TOL);
        expect(Math.abs(m.y[0] - yMin)).toBeLessThanOrEqual(TOL);
        expect(Math.abs(m.y[1] - yMax)).toBeLessThanOrEqual(TOL);
        expect(m.z).toEqual([-CUTTING.final_depth, CUTTING.safe_z]);
      });
    }
  }

  it('circles are true arcs (G2/G3), not chords', () => {
    const c = CASES.find((k) => k.name === 'circular-pocket');
    if (c === undefined) throw new Error('fixture');
    const m = motionOf(
      manufactureJob(normalized(c, 'grbl-desktop'), stampFor(c, 'grbl-desktop')).gcode,
    );
    expect(m.arcs).toBeGreaterThan(10);
  });

  it('drill: one feed per hole without peck, final_depth / peck feeds per hole with peck 1', () => {
    const feeds = (name: string): number => {
      const c = CASES.find((k) => k.name === name);
      if (c === undefined) throw new Error('fixture');
      return motionOf(
        manufactureJob(normalized(c, 'linuxcnc-router'), stampFor(c, 'linuxcnc-router')).gcode,
      ).plunges;
    };
    expect(feeds('drill')).toBe(3);
    expect(feeds('drill-peck')).toBe(3 * CUTTING.final_depth);
  });
});
