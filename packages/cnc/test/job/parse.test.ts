/** parseJob: strict parsing, one negative per rule, with the JSON pointer of the refusal. */
import { describe, expect, it } from 'vitest';
import { parseJob } from '../../src/job/index.js';
import { refusedAt, rosetteJob } from './fixtures.js';

type Json = Record<string, unknown>;

/** A fresh fixture with `edit` applied to a deep copy. */
function edited(edit: (job: Json) => void): Json {
  const job = structuredClone(rosetteJob());
  edit(job);
  return job;
}

function section(job: Json, key: string): Json {
  const value = job[key];
  if (typeof value !== 'object' || value === null) throw new Error(`no ${key}`);
  return value as Json;
}

function firstOp(job: Json): Json {
  const ops = job['operations'];
  if (!Array.isArray(ops)) throw new Error('no operations');
  return ops[0] as Json;
}

const ring = (inner: number, outer: number): Json => ({ inner_radius: inner, outer_radius: outer });
const pts = (n: number): Json[] => Array.from({ length: n }, (_, i) => ({ x: i, y: (i * i) % 7 }));

describe('parseJob', () => {
  it('accepts a valid job and keeps its values', () => {
    const job = parseJob(rosetteJob());
    expect(job.units).toBe('mm');
    expect(job.tool.diameter).toBe(3);
    expect(job.operations[0]).toMatchObject({ kind: 'rosette', cx: 100 });
    expect(job.cutting.coolant).toBe(false);
  });

  it('accepts every operation kind', () => {
    const job = parseJob(
      edited((j) => {
        j['operations'] = [
          { kind: 'circular_pocket', cx: 10, cy: 10, radius: 5 },
          { kind: 'rect_pocket', x: 0, y: 0, width: 20, length: 10, corner_radius: 2 },
          {
            kind: 'profile',
            contour: [
              { x: 0, y: 0 },
              { x: 10, y: 0 },
              { x: 0, y: 10 },
              { x: 0, y: 0 },
            ],
            side: 'outside',
          },
          { kind: 'drill', points: [{ x: 5, y: 5 }], peck: 1 },
        ];
      }),
    );
    expect(job.operations.map((op) => op.kind)).toEqual([
      'circular_pocket',
      'rect_pocket',
      'profile',
      'drill',
    ]);
    // The repeated closing point is dropped: a triangle has 3 vertices.
    expect(job.operations[2]).toMatchObject({
      contour: [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 0, y: 10 },
      ],
    });
  });

  it.each<[string, (j: Json) => void, string]>([
    ['unknown top-level key', (j) => (j['extra'] = 1), '/extra'],
    ['unknown nested key', (j) => (section(j, 'tool')['colour'] = 'red'), '/tool/colour'],
    ['unknown operation key', (j) => (firstOp(j)['depth'] = 3), '/operations/0/depth'],
    ['client risk_level', (j) => (j['risk_level'] = 'GREEN'), '/risk_level'],
    ['client safety', (j) => (j['safety'] = { ok: true }), '/safety'],
    ['client feasibility', (j) => (j['feasibility'] = {}), '/feasibility'],
    ['client source', (j) => (j['source'] = 'server_recompute'), '/source'],
    ['missing field', (j) => delete j['material'], '/material'],
    ['units', (j) => (j['units'] = 'cm'), '/units'],
    ['unknown machine', (j) => (j['machine'] = 'laser'), '/machine'],
    ['NaN', (j) => (section(j, 'tool')['diameter'] = Number.NaN), '/tool/diameter'],
    ['Infinity', (j) => (section(j, 'cutting')['stepdown'] = Infinity), '/cutting/stepdown'],
    ['string number', (j) => (section(j, 'cutting')['rpm'] = '12000'), '/cutting/rpm'],
    ['zero diameter', (j) => (section(j, 'tool')['diameter'] = 0), '/tool/diameter'],
    [
      'negative thickness',
      (j) => (section(j, 'material')['thickness'] = -1),
      '/material/thickness',
    ],
    ['fractional flutes', (j) => (section(j, 'tool')['flutes'] = 2.5), '/tool/flutes'],
    ['tool type', (j) => (section(j, 'tool')['type'] = 'saw'), '/tool/type'],
    ['hardness', (j) => (section(j, 'material')['hardness'] = 'granite'), '/material/hardness'],
    ['empty material id', (j) => (section(j, 'material')['id'] = ''), '/material/id'],
    ['stepover 0', (j) => (section(j, 'cutting')['stepover'] = 0), '/cutting/stepover'],
    ['stepover > 1', (j) => (section(j, 'cutting')['stepover'] = 1.01), '/cutting/stepover'],
    ['final depth 0', (j) => (section(j, 'cutting')['final_depth'] = 0), '/cutting/final_depth'],
    ['climb not boolean', (j) => (section(j, 'cutting')['climb'] = 1), '/cutting/climb'],
    ['rpm above machine', (j) => (section(j, 'cutting')['rpm'] = 30000), '/cutting/rpm'],
    ['feed above machine', (j) => (section(j, 'cutting')['feed_xy'] = 3001), '/cutting/feed_xy'],
    ['no operations', (j) => (j['operations'] = []), '/operations'],
    ['operation kind', (j) => (firstOp(j)['kind'] = 'laser'), '/operations/0/kind'],
    [
      'ring inner = outer',
      (j) => (firstOp(j)['rings'] = [ring(5, 5)]),
      '/operations/0/rings/0/inner_radius',
    ],
    [
      'ring inner > outer',
      (j) => (firstOp(j)['rings'] = [ring(6, 5)]),
      '/operations/0/rings/0/inner_radius',
    ],
    [
      'overlapping rings',
      (j) => (firstOp(j)['rings'] = [ring(1, 5), ring(4, 6)]),
      '/operations/0/rings',
    ],
    ['no rings', (j) => (firstOp(j)['rings'] = []), '/operations/0/rings'],
    [
      '> 200 rings',
      (j) => (firstOp(j)['rings'] = Array.from({ length: 201 }, (_, i) => ring(i, i + 0.5))),
      '/operations/0/rings',
    ],
    [
      '> 10000 drill points',
      (j) => (j['operations'] = [{ kind: 'drill', points: pts(10_001) }]),
      '/operations/0/points',
    ],
    [
      '> 100000 contour points',
      (j) => (j['operations'] = [{ kind: 'profile', side: 'on', contour: pts(100_001) }]),
      '/operations/0/contour',
    ],
    [
      '> 100000 contour points in total',
      (j) =>
        (j['operations'] = [60_000, 60_000].map((n) => ({
          kind: 'profile',
          side: 'on',
          contour: pts(n),
        }))),
      '/operations/1/contour',
    ],
    [
      '2-point contour',
      (j) => (j['operations'] = [{ kind: 'profile', side: 'on', contour: pts(2) }]),
      '/operations/0/contour',
    ],
    [
      'profile side',
      (j) => (j['operations'] = [{ kind: 'profile', side: 'left', contour: pts(3) }]),
      '/operations/0/side',
    ],
    [
      'corner radius too large',
      (j) =>
        (j['operations'] = [
          { kind: 'rect_pocket', x: 0, y: 0, width: 4, length: 10, corner_radius: 2.5 },
        ]),
      '/operations/0/corner_radius',
    ],
    [
      'DXF over 16 MiB',
      (j) =>
        (j['operations'] = [{ kind: 'dxf', as: 'pocket', dxf: ' '.repeat(16 * 1024 * 1024 + 1) }]),
      '/operations/0/dxf',
    ],
    [
      'DXF side on a pocket',
      (j) => (j['operations'] = [{ kind: 'dxf', as: 'pocket', side: 'on', dxf: '' }]),
      '/operations/0/side',
    ],
    ['stock size', (j) => (section(j, 'stock')['width'] = 0), '/stock/width'],
  ])('refuses %s', (_name, edit, at) => {
    expect(refusedAt(() => parseJob(edited(edit)))).toBe(at);
  });

  it.each([[[]], [null], ['job'], [42]])('refuses a non-object job %j', (value) => {
    expect(refusedAt(() => parseJob(value))).toBe('');
  });

  it('measures the DXF limit in UTF-8 bytes (8.5 Mi two-byte characters = 17 MiB)', () => {
    const dxf = 'é'.repeat(8.5 * 1024 * 1024);
    const job = edited((j) => (j['operations'] = [{ kind: 'dxf', as: 'pocket', dxf }]));
    expect(refusedAt(() => parseJob(job))).toBe('/operations/0/dxf');
  });

  it('checks machine limits after unit conversion (118.2 in/min > 3000 mm/min)', () => {
    const job = edited((j) => {
      j['units'] = 'inch';
      j['operations'] = [{ kind: 'circular_pocket', cx: 2, cy: 2, radius: 1 }];
      section(j, 'cutting')['feed_xy'] = 118.2;
    });
    expect(refusedAt(() => parseJob(job))).toBe('/cutting/feed_xy');
  });
});
