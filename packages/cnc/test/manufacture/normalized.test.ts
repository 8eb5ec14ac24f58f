/** parseNormalizedJob: strict shape, millimetres only, and proof of normal form. */
import { canonicalize, hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import type { NormalizedJob } from '@clearance/protocol/portable';
import { normalizeJob, parseJob } from '../../src/job/index.js';
import { parseNormalizedJob } from '../../src/manufacture/index.js';
import { dxfText } from '../job/fixtures.js';
import { CASES, clientJob, L_SHAPE, normalized } from './fixtures.js';

function refused(value: unknown): boolean {
  try {
    parseNormalizedJob(value);
  } catch (err) {
    return hasCode(err, 'VALIDATION_FAILED');
  }
  return false;
}

/** A JSON copy (what reading an artifact back gives), mutated by `edit`. */
function edited(job: NormalizedJob, edit: (j: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(job)) as Record<string, unknown>;
  edit(copy);
  return copy;
}

const first = CASES[0];
if (first === undefined) throw new Error('fixtures');

describe('parseNormalizedJob', () => {
  it('accepts every normalized job of the fixtures, read back from JSON, unchanged', () => {
    for (const c of CASES) {
      const job = normalized(c, 'grbl-desktop');
      const back = parseNormalizedJob(JSON.parse(canonicalize(job)));
      expect(canonicalize(back)).toBe(canonicalize(job));
    }
  });

  it('accepts DXF-derived contours with a layer, mixed with explicit operations, in order', () => {
    const dxf = dxfText([
      { type: 'LWPOLYLINE', layer: 'CUT', closed: true, points: L_SHAPE.map((p) => [p.x, p.y]) },
      { type: 'CIRCLE', layer: 'CUT', cx: 150, cy: 100, r: 12.5 },
    ]);
    const job = normalizeJob(
      parseJob({
        ...clientJob(first, 'grbl-desktop'),
        operations: [
          { kind: 'dxf', dxf, layer: 'CUT', as: 'profile', side: 'outside' },
          { kind: 'circular_pocket', cx: 50, cy: 50, radius: 10 },
          { kind: 'dxf', dxf, layer: 'CUT', as: 'pocket' },
          { kind: 'profile', contour: L_SHAPE, side: 'inside' },
        ],
      }),
    );
    expect(job.layer).toBe('CUT');
    expect(job.operations.map((op) => op.kind)).toEqual([
      'profile',
      'profile',
      'circular_pocket',
      'contour_pocket',
      'contour_pocket',
      'profile',
    ]);
    expect(canonicalize(parseNormalizedJob(JSON.parse(canonicalize(job))))).toBe(canonicalize(job));
  });

  it('refuses an unknown key, at the top and nested', () => {
    const job = normalized(first, 'grbl-desktop');
    expect(refused(edited(job, (j) => (j['extra'] = 1)))).toBe(true);
    expect(
      refused(edited(job, (j) => ((j['tool'] as Record<string, unknown>)['coating'] = 'TiN'))),
    ).toBe(true);
    expect(refused(edited(job, (j) => (j['feasibility'] = 'GREEN')))).toBe(true);
  });

  it('refuses a missing key (normalized jobs spell out every optional as null)', () => {
    const job = normalized(first, 'grbl-desktop');
    expect(refused(edited(job, (j) => delete j['layer']))).toBe(true);
    expect(
      refused(edited(job, (j) => delete (j['cutting'] as Record<string, unknown>)['coolant'])),
    ).toBe(true);
  });

  it('refuses inch units, even with millimetre values', () => {
    const job = normalized(first, 'grbl-desktop');
    expect(refused(edited(job, (j) => (j['units'] = 'inch')))).toBe(true);
  });

  it('refuses wrong types', () => {
    const job = normalized(first, 'grbl-desktop');
    expect(
      refused(edited(job, (j) => ((j['cutting'] as Record<string, unknown>)['rpm'] = '10000'))),
    ).toBe(true);
    expect(refused(edited(job, (j) => (j['stock'] = 'none')))).toBe(true);
    expect(refused([job])).toBe(true);
    expect(refused(null)).toBe(true);
  });

  it('refuses values that are not in normal form', () => {
    const job = normalized(first, 'grbl-desktop');
    const cutting = (j: Record<string, unknown>): Record<string, unknown> =>
      j['cutting'] as Record<string, unknown>;
    // Unrounded: normalization rounds to 1e-6 mm.
    expect(refused(edited(job, (j) => (cutting(j)['final_depth'] = 3.0000001)))).toBe(true);
    // Out of the request limits: stepover over 1, rpm above the machine.
    expect(refused(edited(job, (j) => (cutting(j)['stepover'] = 1.5)))).toBe(true);
    expect(refused(edited(job, (j) => (cutting(j)['rpm'] = 99999)))).toBe(true);
    // A layer no DXF operation could have produced.
    expect(refused(edited(job, (j) => (j['layer'] = 'CUT')))).toBe(true);
    // A contour with its first point repeated is not normalized.
    const profile = normalized(CASES[4] ?? first, 'grbl-desktop');
    expect(
      refused(
        edited(profile, (j) => {
          const [op] = j['operations'] as Record<string, unknown>[];
          if (op !== undefined) op['contour'] = [...L_SHAPE, L_SHAPE[0]];
        }),
      ),
    ).toBe(true);
  });

  it('refuses a DXF operation (normalized jobs hold resolved contours only)', () => {
    const job = normalized(first, 'grbl-desktop');
    const dxf = dxfText([
      { type: 'LWPOLYLINE', closed: true, points: L_SHAPE.map((p) => [p.x, p.y]) },
    ]);
    expect(
      refused(edited(job, (j) => (j['operations'] = [{ kind: 'dxf', dxf, as: 'pocket' }]))),
    ).toBe(true);
  });
});
