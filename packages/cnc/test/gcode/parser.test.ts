import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import { DIALECTS, machineProfile, postProcess, validateGcode } from '../../src/gcode/index.js';
import { CIRCLE, DEPTHS, SAFE_Z, SQUARE, sampleProgram } from './fixtures.js';

interface ParsedLine {
  readonly line: string;
  readonly words: readonly (readonly [string, number])[];
}

// gcode-parser (cncjs) is CommonJS without types: an independent reading of our output.
const gcodeParser = createRequire(import.meta.url)('gcode-parser') as {
  parseStringSync(text: string): ParsedLine[];
};

type Box = Record<'x' | 'y' | 'z', [number, number]>;

function grow(box: Partial<Box>, axis: 'x' | 'y' | 'z', v: number): void {
  const b = box[axis];
  box[axis] = b === undefined ? [v, v] : [Math.min(b[0], v), Math.max(b[1], v)];
}

/**
 * Motion bounds from the parser's words: modal G0–G3, absolute coordinates, arcs sampled at
 * 1/1000 of their sweep (a different method from the validator's exact extremes).
 */
function parserBounds(text: string): Partial<Box> {
  const box: Partial<Box> = {};
  const pos = { x: NaN, y: NaN, z: NaN };
  let motion = -1;
  for (const { words } of gcodeParser.parseStringSync(text)) {
    const w = new Map(words.map(([l, v]) => [l, v]));
    const g = words.find(([l, v]) => l === 'G' && v >= 0 && v <= 3);
    if (g !== undefined) motion = g[1];
    if (!w.has('X') && !w.has('Y') && !w.has('Z')) continue;
    const next = { x: w.get('X') ?? pos.x, y: w.get('Y') ?? pos.y, z: w.get('Z') ?? pos.z };
    if (motion === 2 || motion === 3) {
      const cx = pos.x + (w.get('I') ?? 0);
      const cy = pos.y + (w.get('J') ?? 0);
      const r = Math.hypot(pos.x - cx, pos.y - cy);
      const a0 = Math.atan2(pos.y - cy, pos.x - cx);
      let sweep = Math.atan2(next.y - cy, next.x - cx) - a0;
      if (motion === 3 && sweep <= 0) sweep += 2 * Math.PI;
      if (motion === 2 && sweep >= 0) sweep -= 2 * Math.PI;
      for (let k = 0; k <= 1000; k += 1) {
        grow(box, 'x', cx + r * Math.cos(a0 + (sweep * k) / 1000));
        grow(box, 'y', cy + r * Math.sin(a0 + (sweep * k) / 1000));
      }
    }
    for (const a of ['x', 'y', 'z'] as const) if (!Number.isNaN(next[a])) grow(box, a, next[a]);
    Object.assign(pos, next);
  }
  return box;
}

const MACHINE = { grbl: 'grbl-desktop', linuxcnc: 'linuxcnc-router', fanuc: 'fanuc-mill' } as const;

describe('generated programs vs the independent gcode-parser', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: validator and parser agree on bounds, and both match the geometry`, () => {
      const text = postProcess(sampleProgram(), dialect);
      const verdict = validateGcode(text, machineProfile(MACHINE[dialect]));
      expect(verdict.issues).toEqual([]);
      const parsed = parserBounds(text);
      const expected = {
        x: [SQUARE.x, CIRCLE.cx + CIRCLE.r],
        y: [SQUARE.y, CIRCLE.cy + CIRCLE.r],
        z: [Math.min(...DEPTHS), SAFE_Z],
      } as const;
      for (const axis of ['x', 'y', 'z'] as const) {
        const v = verdict.bounds[axis];
        const p = parsed[axis];
        expect(v).not.toBeNull();
        expect(p).toBeDefined();
        for (const k of [0, 1] as const) {
          expect(v?.[k]).toBeCloseTo(expected[axis][k], 6);
          expect(p?.[k]).toBeCloseTo(expected[axis][k], 3);
        }
      }
    });

    it(`${dialect}: the parser sees every block the validator counted`, () => {
      const text = postProcess(sampleProgram(), dialect);
      const parsed = gcodeParser.parseStringSync(text);
      const motions = parsed.flatMap((l) => l.words.filter(([w, v]) => w === 'G' && v <= 3));
      const { stats } = validateGcode(text, machineProfile(MACHINE[dialect]));
      expect(stats.lines).toBe(parsed.length);
      expect(motions.filter(([, v]) => v === 0)).toHaveLength(stats.rapids);
      expect(motions.filter(([, v]) => v === 1)).toHaveLength(stats.cuts);
      expect(motions.filter(([, v]) => v >= 2)).toHaveLength(stats.arcs);
      const letters = new Set(parsed.flatMap((l) => l.words.map(([w]) => w)));
      expect([...letters].sort()).toEqual(
        dialect === 'grbl'
          ? ['F', 'G', 'I', 'J', 'M', 'S', 'X', 'Y', 'Z']
          : dialect === 'linuxcnc'
            ? ['F', 'G', 'I', 'J', 'M', 'P', 'S', 'T', 'X', 'Y', 'Z']
            : ['F', 'G', 'I', 'J', 'M', 'O', 'S', 'T', 'X', 'Y', 'Z'], // N is lifted into `ln`,
      );
    });
  }
});
