/** DXF geometry: generated ASCII DXF → closed contours; open or unsupported geometry refused. */
import { describe, expect, it } from 'vitest';
import { CHORD_TOLERANCE_MM, normalizeJob, parseJob } from '../../src/job/index.js';
import type { Point2 } from '@clearance/protocol/portable';
import { dxfText, refusedAt, rosetteJob } from './fixtures.js';
import type { DxfEntity } from './fixtures.js';

const SQUARE: DxfEntity = {
  type: 'LWPOLYLINE',
  layer: 'CUT',
  closed: true,
  points: [
    [0, 0],
    [40, 0],
    [40, 30],
    [0, 30],
  ],
};

function dxfJob(entities: readonly DxfEntity[], extra: Record<string, unknown> = {}): unknown {
  return {
    ...rosetteJob(),
    operations: [{ kind: 'dxf', as: 'pocket', dxf: dxfText(entities), ...extra }],
  };
}

function contoursOf(value: unknown): { kind: string; contour: readonly Point2[] }[] {
  return normalizeJob(parseJob(value)).operations.map((op) => {
    if (op.kind !== 'contour_pocket' && op.kind !== 'profile') throw new Error(op.kind);
    return op;
  });
}

describe('DXF operations', () => {
  it('resolves a closed LWPOLYLINE and a CIRCLE into contours, in file order', () => {
    const circle: DxfEntity = { type: 'CIRCLE', layer: 'CUT', cx: 100, cy: 50, r: 10 };
    const ops = contoursOf(dxfJob([SQUARE, circle]));
    expect(ops.map((op) => op.kind)).toEqual(['contour_pocket', 'contour_pocket']);
    expect(ops[0]?.contour).toEqual([
      { x: 0, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 30 },
      { x: 0, y: 30 },
    ]);
    const ring = ops[1]?.contour ?? [];
    expect(ring.length).toBeGreaterThanOrEqual(16);
    for (const p of ring) expect(Math.hypot(p.x - 100, p.y - 50)).toBeCloseTo(10, 6);
    // Chord sagitta within tolerance: r·(1 − cos(π/n)).
    expect(10 * (1 - Math.cos(Math.PI / ring.length))).toBeLessThanOrEqual(CHORD_TOLERANCE_MM);
  });

  it('selects a layer, makes profiles with the given side and converts inch DXF to mm', () => {
    const other: DxfEntity = { type: 'CIRCLE', layer: 'NOTES', cx: 0, cy: 0, r: 1 };
    const job = {
      ...(dxfJob([SQUARE, other], { as: 'profile', side: 'outside', layer: 'CUT' }) as object),
      units: 'inch',
      cutting: { ...(rosetteJob()['cutting'] as object), feed_xy: 30, feed_z: 10 },
    };
    const normalized = normalizeJob(parseJob(job));
    expect(normalized.layer).toBe('CUT');
    expect(normalized.operations).toHaveLength(1);
    expect(normalized.operations[0]).toMatchObject({ kind: 'profile', side: 'outside' });
    expect(normalized.operations[0]).toMatchObject({ contour: [{}, { x: 1016, y: 0 }, {}, {}] });
  });

  it('accepts a closed POLYLINE (VERTEX/SEQEND form)', () => {
    const poly: DxfEntity = { ...SQUARE, type: 'POLYLINE' };
    const [loop] = contoursOf(dxfJob([poly]));
    expect(loop?.contour).toEqual([
      { x: 0, y: 0 },
      { x: 40, y: 0 },
      { x: 40, y: 30 },
      { x: 0, y: 30 },
    ]);
  });

  it('refuses a DXF whose loops exceed the contour point budget', () => {
    const circles = Array.from({ length: 200 }, (_, i): DxfEntity => ({
      type: 'CIRCLE',
      cx: i * 3000,
      cy: 0,
      r: 1000,
    }));
    expect(refusedAt(() => parseJob(dxfJob(circles)))).toBe('/operations/0/dxf');
  });

  it('accepts two ARCs that close a circle', () => {
    const arcs: DxfEntity[] = [
      { type: 'ARC', cx: 0, cy: 0, r: 5, start: 0, end: 180 },
      { type: 'ARC', cx: 0, cy: 0, r: 5, start: 180, end: 360 },
    ];
    const [loop] = contoursOf(dxfJob(arcs));
    expect(loop?.contour.length).toBeGreaterThanOrEqual(16);
  });

  it.each<[string, DxfEntity[]]>([
    ['an open polyline', [{ ...SQUARE, closed: false }]],
    ['an open POLYLINE', [{ ...SQUARE, type: 'POLYLINE', closed: false }]],
    ['a polyline with a bulge', [{ ...SQUARE, bulge: 0.5 }]],
    [
      'a polyline enclosing no area',
      [
        {
          type: 'LWPOLYLINE',
          closed: true,
          points: [
            [0, 0],
            [1, 1],
            [2, 2],
          ],
        },
      ],
    ],
    [
      'a 2-vertex polyline',
      [
        {
          type: 'LWPOLYLINE',
          closed: true,
          points: [
            [0, 0],
            [1, 1],
          ],
        },
      ],
    ],
    ['an arc that does not close', [{ type: 'ARC', cx: 0, cy: 0, r: 5, start: 0, end: 90 }]],
    ['no closed loop at all', []],
  ])('refuses %s', (_name, entities) => {
    expect(refusedAt(() => parseJob(dxfJob(entities)))).toBe('/operations/0/dxf');
  });

  it('refuses a layer with no geometry and text that is not DXF', () => {
    expect(refusedAt(() => parseJob(dxfJob([SQUARE], { layer: 'NONE' })))).toBe(
      '/operations/0/dxf',
    );
    const garbage = {
      ...rosetteJob(),
      operations: [{ kind: 'dxf', as: 'pocket', dxf: '0\nSECTION\n2' }],
    };
    expect(refusedAt(() => parseJob(garbage))).toBe('/operations/0/dxf');
  });
});
