/** Shared job fixtures and a minimal ASCII DXF writer for the job-model tests. */
import { ClearanceError } from '@clearance/protocol';
import { expect } from 'vitest';

/** One DXF entity to emit. */
export type DxfEntity =
  | {
      type: 'LWPOLYLINE' | 'POLYLINE';
      layer?: string;
      closed: boolean;
      points: [number, number][];
      bulge?: number;
    }
  | { type: 'CIRCLE'; layer?: string; cx: number; cy: number; r: number }
  | { type: 'ARC'; layer?: string; cx: number; cy: number; r: number; start: number; end: number };

function entityLines(e: DxfEntity): (string | number)[] {
  const head = ['0', e.type, '8', e.layer ?? '0'];
  switch (e.type) {
    case 'LWPOLYLINE':
      return [
        ...head,
        '90',
        e.points.length,
        '70',
        e.closed ? 1 : 0,
        ...e.points.flatMap(([x, y]) => ['10', x, '20', y, ...(e.bulge ? ['42', e.bulge] : [])]),
      ];
    case 'POLYLINE':
      return [
        ...head,
        '66',
        1,
        '70',
        e.closed ? 1 : 0,
        ...e.points.flatMap(([x, y]) => ['0', 'VERTEX', '8', e.layer ?? '0', '10', x, '20', y]),
        '0',
        'SEQEND',
      ];
    case 'CIRCLE':
      return [...head, '10', e.cx, '20', e.cy, '30', 0, '40', e.r];
    case 'ARC':
      return [...head, '10', e.cx, '20', e.cy, '30', 0, '40', e.r, '50', e.start, '51', e.end];
  }
}

/** Minimal ASCII DXF: an ENTITIES section holding `entities`, then EOF. */
export function dxfText(entities: readonly DxfEntity[]): string {
  const lines = ['0', 'SECTION', '2', 'ENTITIES', ...entities.flatMap(entityLines)];
  return [...lines, '0', 'ENDSEC', '0', 'EOF', ''].map(String).join('\n');
}

/** A GREEN job: one 3 mm ring channel cut with a 3 mm flat end mill (a slot). */
export function rosetteJob(): Record<string, unknown> {
  return {
    units: 'mm',
    machine: 'grbl-desktop',
    tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
    material: { id: 'maple', hardness: 'medium', thickness: 6, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 0.5,
      final_depth: 1.5,
      feed_xy: 800,
      feed_z: 200,
      rpm: 12000,
      safe_z: 5,
      climb: true,
      coolant: false,
    },
    operations: [
      { kind: 'rosette', cx: 100, cy: 100, rings: [{ inner_radius: 48.5, outer_radius: 51.5 }] },
    ],
    stock: { x: 0, y: 0, width: 200, length: 200 },
  };
}

/** Runs `fn` expecting VALIDATION_FAILED; returns the error's JSON pointer. */
export function refusedAt(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClearanceError);
    if (!(err instanceof ClearanceError)) return undefined;
    expect(err.code).toBe('VALIDATION_FAILED');
    return err.detail?.['pointer'];
  }
  throw new Error('expected a VALIDATION_FAILED refusal');
}
