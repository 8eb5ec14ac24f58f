import { describe, expect, it } from 'vitest';

import {
  DIALECTS,
  machineProfile,
  postProcess,
  validateGcode,
  type MotionProgram,
} from '../../src/gcode/index.js';
import { MAX_RAMP_DEG, toolpathSummary } from '../../src/toolpath/index.js';
import { CASES, CIRCLE, CUTTING, RECT, RING, TOOL, cutPoints, program } from './fixtures.js';

const EPS = 1e-6;

/** Steepest descent of any linear move with XY travel, degrees. */
function maxRampDeg(p: MotionProgram): number {
  let prev = { x: NaN, y: NaN, z: NaN };
  let max = 0;
  for (const m of p.moves) {
    const next = { x: m.x ?? prev.x, y: m.y ?? prev.y, z: m.z ?? prev.z };
    const run = Math.hypot(next.x - prev.x, next.y - prev.y);
    if (m.kind === 'linear' && run > 0 && next.z !== prev.z) {
      max = Math.max(max, (Math.atan(Math.abs(next.z - prev.z) / run) * 180) / Math.PI);
    }
    prev = next;
  }
  return max;
}

describe('every operation', () => {
  for (const { name, op, tool } of CASES) {
    describe(name, () => {
      const p = program(op, tool);

      it('posts to every dialect and validates on grbl-desktop', () => {
        for (const dialect of DIALECTS) {
          const machine = { ...machineProfile('grbl-desktop'), dialect };
          const result = validateGcode(postProcess(p, dialect), machine);
          expect(result.issues).toEqual([]);
          expect(result.ok).toBe(true);
        }
      });

      it('starts with a rapid to safe Z and only rapids in XY at safe Z', () => {
        expect(p.moves[0]).toEqual({ kind: 'rapid', z: CUTTING.safe_z });
        let z = NaN;
        for (const m of p.moves) {
          if (m.kind === 'rapid' && (m.x !== undefined || m.y !== undefined)) {
            expect(z).toBe(CUTTING.safe_z);
            expect(m.z).toBeUndefined();
          }
          // A Z rapid only ever goes up to safe Z (a retract), never down into the stock.
          if (m.kind === 'rapid' && m.z !== undefined) expect(m.z).toBe(CUTTING.safe_z);
          z = m.z ?? z;
        }
        expect(z).toBe(CUTTING.safe_z);
      });

      it('reaches exactly -final_depth and never deeper', () => {
        const zs = p.moves.flatMap((m) => (m.z === undefined ? [] : [m.z]));
        expect(Math.min(...zs)).toBe(-CUTTING.final_depth);
      });

      it('uses rounded coordinates and never -0', () => {
        for (const m of p.moves) {
          for (const v of [m.x, m.y, m.z, m.i, m.j]) {
            if (v === undefined) continue;
            expect(Object.is(v, -0)).toBe(false);
            expect(Math.abs(v * 1e4 - Math.round(v * 1e4))).toBeLessThan(1e-6);
          }
        }
      });

      it('is deterministic', () => {
        expect(JSON.stringify(program(op, tool))).toBe(JSON.stringify(p));
        expect(postProcess(program(op, tool), 'grbl')).toBe(postProcess(p, 'grbl'));
      });
    });
  }
});

describe('depth passes', () => {
  it('cut at stepdown multiples then exactly at final_depth', () => {
    const zs = new Set(cutPoints(program(RECT)).map((c) => c.z));
    for (const z of [-1.4, -2.8, -3]) expect(zs.has(z)).toBe(true);
  });

  it('ring channel: one flat circle set per depth', () => {
    const flat = program(RING).moves.filter(
      (m, k, all) => m.kind === 'arc_ccw' && all[k - 1]?.z === m.z,
    );
    expect(new Set(flat.map((m) => m.z))).toEqual(new Set([-1.4, -2.8, -3]));
  });
});

describe('cuts stay inside the design', () => {
  const tr = TOOL.diameter / 2;

  it('ring channel: every cut radius within [inner + r, outer - r]', () => {
    for (const c of cutPoints(program(RING))) {
      const r = Math.hypot(c.x - RING.cx, c.y - RING.cy);
      expect(r).toBeGreaterThanOrEqual(RING.inner_radius + tr - EPS);
      expect(r).toBeLessThanOrEqual(RING.outer_radius - tr + EPS);
    }
  });

  it('ring channel exactly the tool width: a single circle per depth, plunged', () => {
    const p = program({ ...RING, outer_radius: 46 });
    const radii = new Set(cutPoints(p).map((c) => Math.hypot(c.x - 150, c.y - 150)));
    expect([...radii].map((r) => Math.round(r * 1e6) / 1e6)).toEqual([43]);
    expect(p.moves.filter((m) => m.kind === 'arc_ccw').length).toBe(2 * 3);
  });

  it('circular pocket: within radius - r, finishing pass at radius - r', () => {
    const radii = cutPoints(program(CIRCLE)).map((c) => Math.hypot(c.x - 150, c.y - 150));
    expect(Math.max(...radii)).toBeCloseTo(CIRCLE.radius - tr, 6);
    expect(Math.max(...radii)).toBeLessThanOrEqual(CIRCLE.radius - tr + EPS);
  });

  it('rect pocket: within the inset rectangle', () => {
    const s = toolpathSummary(program(RECT));
    expect(s.cut_bounds.x).toEqual([RECT.x + tr, RECT.x + RECT.width - tr]);
    expect(s.cut_bounds.y).toEqual([RECT.y + tr, RECT.y + RECT.length - tr]);
  });

  it('rect pocket and profiles: linear ramps no steeper than 3 degrees', () => {
    for (const p of [program(RECT), ...CASES.slice(3, 6).map((c) => program(c.op))]) {
      expect(maxRampDeg(p)).toBeGreaterThan(1);
      expect(maxRampDeg(p)).toBeLessThanOrEqual(MAX_RAMP_DEG + 1e-3);
    }
  });

  it('helical entries descend no steeper than 3 degrees', () => {
    for (const p of [program(RING), program(CIRCLE)]) {
      let prev = { x: NaN, y: NaN, z: NaN };
      let helices = 0;
      for (const m of p.moves) {
        const next = { x: m.x ?? prev.x, y: m.y ?? prev.y, z: m.z ?? prev.z };
        if (m.kind !== 'linear' && m.kind !== 'rapid' && next.z !== prev.z) {
          helices += 1;
          const halfTurn = Math.PI * Math.hypot(m.i ?? 0, m.j ?? 0);
          const deg = (Math.atan((prev.z - next.z) / halfTurn) * 180) / Math.PI;
          expect(deg).toBeGreaterThan(0);
          expect(deg).toBeLessThanOrEqual(MAX_RAMP_DEG);
        }
        prev = next;
      }
      expect(helices).toBeGreaterThanOrEqual(6);
    }
  });

  it('profile: inside stays inside the L, outside stays clear of it', () => {
    const inside = toolpathSummary(program(CASES[3]?.op ?? RECT)).cut_bounds;
    expect(inside.x).toEqual([100 + tr, 200 - tr]);
    expect(inside.y).toEqual([100 + tr, 200 - tr]);
    const outside = toolpathSummary(program(CASES[4]?.op ?? RECT)).cut_bounds;
    expect(outside.x).toEqual([100 - tr, 200 + tr]);
    for (const c of cutPoints(program(CASES[4]?.op ?? RECT))) {
      const inL = c.x > 100 - tr + EPS && c.x < 200 + tr - EPS && c.y > 100 - tr + EPS;
      const inNotch = c.x > 150 + tr - EPS && c.y > 150 + tr - EPS;
      expect(inL && c.y < 200 + tr - EPS && !inNotch).toBe(false);
    }
  });

  it('climb reverses direction versus conventional', () => {
    const climb = program(RING).moves.filter((m) => m.kind === 'arc_ccw').length;
    const conv = program(RING, TOOL, { ...CUTTING, climb: false });
    expect(climb).toBeGreaterThan(0);
    expect(conv.moves.some((m) => m.kind === 'arc_ccw')).toBe(false);
    expect(conv.moves.filter((m) => m.kind === 'arc_cw').length).toBe(climb);
  });
});
