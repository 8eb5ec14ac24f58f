import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { postProcess } from '../../src/gcode/index.js';
import { buildProgram, type Cutting } from '../../src/toolpath/index.js';
import { HEADER, TOOL } from './fixtures.js';

/** A one-ring rosette channel (r 40–50 at (150, 150)) and a 60×40 mm pocket. */
export const GOLDEN_CUTTING: Cutting = {
  stepover: 0.4,
  stepdown: 1.5,
  final_depth: 3,
  feed_xy: 1000,
  feed_z: 300,
  rpm: 12000,
  safe_z: 5,
  climb: true,
};

export const GOLDEN = {
  rosette: {
    kind: 'ring_channel',
    cx: 150,
    cy: 150,
    inner_radius: 40,
    outer_radius: 50,
  },
  pocket: { kind: 'rect_pocket', x: 120, y: 130, width: 60, length: 40 },
} as const;

export function goldenText(name: keyof typeof GOLDEN): string {
  const header = { ...HEADER, title: `golden ${name}` };
  return postProcess(buildProgram([GOLDEN[name]], TOOL, GOLDEN_CUTTING, header), 'grbl');
}

describe('golden GRBL programs', () => {
  for (const name of ['rosette', 'pocket'] as const) {
    it(`${name}: byte-for-byte equal to golden/${name}.grbl.nc`, () => {
      const golden = readFileSync(new URL(`./golden/${name}.grbl.nc`, import.meta.url), 'utf8');
      expect(goldenText(name)).toBe(golden);
    });
  }
});
