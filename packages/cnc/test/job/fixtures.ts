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

/** The GREEN rosette job: the one shared CNC job fixture (test/support/cnc-job.ts). */
export { rosetteJob } from '../../../../test/support/cnc-job.js';

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
