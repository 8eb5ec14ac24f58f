import { describe, expect, it } from 'vitest';

import { postProcess } from '../../src/gcode/index.js';
import { MoveBuilder } from '../../src/toolpath/builder.js';
import { buildProgram } from '../../src/toolpath/index.js';
import { CIRCLE, CUTTING, HEADER, RECT, RING, TOOL } from './fixtures.js';

describe('MoveBuilder safety rules', () => {
  it('an XY rapid while cutting retracts to safe Z first', () => {
    const b = new MoveBuilder(CUTTING);
    b.rapidXY(10, 10);
    b.plunge(-1);
    b.rapidXY(20, 20);
    expect(b.moves).toEqual([
      { kind: 'rapid', z: 5 },
      { kind: 'rapid', x: 10, y: 10 },
      { kind: 'linear', z: -1, f: CUTTING.feed_z },
      { kind: 'rapid', z: 5 },
      { kind: 'rapid', x: 20, y: 20 },
    ]);
  });

  it('rounds to 1e-4 and never emits -0', () => {
    const b = new MoveBuilder(CUTTING);
    b.rapidXY(1.23456789, -0.00001);
    expect(b.moves[1]).toEqual({ kind: 'rapid', x: 1.2346, y: 0 });
    expect(Object.is((b.moves[1] ?? {}).y, -0)).toBe(false);
  });
});

describe('buildProgram', () => {
  it('assembles operations in order, each entered from safe Z', () => {
    const p = buildProgram([RING, CIRCLE, RECT], TOOL, CUTTING, HEADER);
    const xyRapids = p.moves.filter((m) => m.kind === 'rapid' && m.x !== undefined);
    expect(xyRapids).toEqual([
      { kind: 'rapid', x: 193, y: 150 },
      { kind: 'rapid', x: 151.5, y: 150 },
      { kind: 'rapid', x: 123, y: 133 },
    ]);
    expect(p.tool).toEqual({ number: 1, diameter: 6 });
    expect(p.spindle_rpm).toBe(CUTTING.rpm);
    expect(postProcess(p, 'grbl')).toContain('G3 X107.000 Y150.000');
  });
});
