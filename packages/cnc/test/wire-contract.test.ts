/**
 * I11-3 (RMOS S1): the CNC wire contract declared once in `@clearance/protocol` agrees with the
 * authority's own job parsers on every field. The schema is walked, and for each field the same
 * mutations (absent, wrong type, null, an unknown key, boundary numbers, every enum value) are
 * judged by `parseJob` / `parseNormalizedJob` and by `wireProblem`: both accept or both refuse.
 */
import {
  CNC_JOB_SCHEMA,
  CNC_NORMALIZED_JOB_SCHEMA,
  CLIENT_VERDICT_KEYS,
  wireProblem,
  type WireSchema,
} from '@clearance/protocol/portable';
import { describe, expect, it } from 'vitest';
import { normalizeJob, parseJob, parseNormalizedJob } from '../src/index.js';
import { dxfText, rosetteJob } from './job/fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A job that uses every field: the shared rosette job plus the five other operation kinds. */
const FULL = JSON.parse(
  JSON.stringify({
    ...rosetteJob(),
    operations: [
      ...(rosetteJob()['operations'] as Json[]),
      { kind: 'circular_pocket', cx: 40, cy: 40, radius: 10 },
      { kind: 'rect_pocket', x: 10, y: 150, width: 30, length: 20, corner_radius: 2 },
      { kind: 'profile', side: 'outside', contour: [pt(150, 10), pt(180, 10), pt(180, 40)] },
      { kind: 'drill', points: [pt(20, 100)], peck: 1 },
      {
        kind: 'dxf',
        as: 'profile',
        side: 'on',
        layer: 'CUT',
        dxf: dxfText([{ type: 'CIRCLE', layer: 'CUT', cx: 130, cy: 130, r: 10 }]),
      },
    ],
  }),
) as Json;

function pt(x: number, y: number): Json {
  return { x, y };
}

function accepts(parse: (v: unknown) => unknown, value: unknown): boolean {
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

function clone(v: Json): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

/** `root` with the value at `path` replaced (`undefined` deletes it). */
function mutate(root: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  const copy = clone(root);
  let at: Json = copy;
  for (const key of path.slice(0, -1)) at = (at as Record<string, Json>)[key] as Json;
  const last = path[path.length - 1] as string | number;
  const parent = at as Record<string | number, Json>;
  if (value === undefined && Array.isArray(at) && typeof last === 'number') at.splice(last, 1);
  else if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** The schema of the value at `path` (the branch matching the operation kind in a `oneOf`). */
function schemaAt(schema: WireSchema, value: Json): WireSchema {
  if (schema.oneOf === undefined) return schema;
  return schema.oneOf.find((b) => wireProblem(b, value) === undefined) ?? schema;
}

interface Case {
  readonly where: string;
  readonly value: Json;
}

/** Every field mutation of `root` under `schema`. */
function cases(schema: WireSchema, root: Json): Case[] {
  const out: Case[] = [];
  const walk = (s0: WireSchema, v: Json, path: (string | number)[]): void => {
    const s = schemaAt(s0, v);
    const where = `/${path.join('/')}`;
    const at = (value: Json | undefined, what: string): void => {
      out.push({ where: `${where} ${what}`, value: mutate(root, path, value) });
    };
    if (path.length > 0) {
      at(undefined, 'absent');
      at(null, 'null');
      at(typeof v === 'string' ? 7 : 'x', 'wrong type');
    }
    for (const e of s.enum ?? []) if (typeof e === 'string') at(e, `= ${e}`);
    if (typeof v === 'number') for (const n of [0, -1, 0.5, 1.5]) at(n, `= ${String(n)}`);
    if (s.type === 'object' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out.push({ where: `${where} unknown key`, value: mutate(root, [...path, 'zz'], 1) });
      for (const [key, sub] of Object.entries(s.properties ?? {})) {
        const child = v[key];
        if (child !== undefined) walk(sub, child, [...path, key]);
      }
    }
    if (s.type === 'array' && Array.isArray(v) && s.items !== undefined) {
      at([], 'empty');
      v.forEach((item, i) => walk(s.items as WireSchema, item, [...path, i]));
    }
  };
  walk(schema, root, []);
  return out;
}

// What no JSON schema can say, and the authority alone judges: the machine profile and its
// feed/rpm range (in the job's units), ring order and overlap, a corner radius against its pocket,
// a contour's area, DXF geometry.
const AUTHORITY_ONLY = [
  /^\/machine = /,
  /^\/units = inch$/,
  /^\/operations\/0\/rings\/0\/outer_radius = (0\.5|1\.5)$/,
  /^\/operations\/2\/(width|length) = (0\.5|1\.5)$/,
  /^\/cutting\/(rpm|feed_xy|feed_z) = (0\.5|1\.5)$/,
  /^\/operations\/0\/rings\/0\/inner_radius = 1?\.?5?$/,
  /^\/operations\/3\/contour\/\d\/[xy] = /,
  /^\/operations\/5\/(dxf|layer) /,
  /^\/operations\/5\/(as|side) = /,
];

describe('I11-3: one CNC wire schema, held to the authority’s parsers (RMOS S1)', () => {
  it('I11-3: the full job is accepted by both; its normal form conforms to the normalised schema', () => {
    expect(wireProblem(CNC_JOB_SCHEMA, FULL)).toBeUndefined();
    const normal = normalizeJob(parseJob(FULL));
    expect(wireProblem(CNC_NORMALIZED_JOB_SCHEMA, normal)).toBeUndefined();
    expect(accepts(parseNormalizedJob, normal)).toBe(true);
  });

  it('I11-3: parseJob and CNC_JOB_SCHEMA accept and refuse every field mutation alike', () => {
    const all = cases(CNC_JOB_SCHEMA, FULL);
    const judged = all.filter((c) => !AUTHORITY_ONLY.some((re) => re.test(c.where)));
    // Most mutations are judged by both (a walk that found nothing would prove nothing).
    expect(judged.length).toBeGreaterThan(250);
    const differ = judged
      .filter(
        (c) => accepts(parseJob, c.value) !== (wireProblem(CNC_JOB_SCHEMA, c.value) === undefined),
      )
      .map((c) => `${c.where}: parseJob ${String(accepts(parseJob, c.value))}`);
    expect(differ).toEqual([]);
  });

  it('I11-3: the drifted fields: coolant is an optional boolean when sent, boolean or null when shown', () => {
    const withCoolant = (v: Json | undefined): Json => mutate(FULL, ['cutting', 'coolant'], v);
    for (const [value, ok] of [
      [true, true],
      [false, true],
      [undefined, true],
      [null, false],
      ['yes', false],
    ] as const) {
      expect(accepts(parseJob, withCoolant(value)), String(value)).toBe(ok);
      expect(wireProblem(CNC_JOB_SCHEMA, withCoolant(value)) === undefined, String(value)).toBe(ok);
    }
    const shown = normalizeJob(parseJob(withCoolant(undefined))) as unknown as Json;
    expect(shown).toMatchObject({ cutting: { coolant: null } });
    expect(wireProblem(CNC_NORMALIZED_JOB_SCHEMA, shown)).toBeUndefined();
    const bad = mutate(shown, ['cutting', 'coolant'], 'yes');
    expect(accepts(parseNormalizedJob, bad)).toBe(false);
    expect(wireProblem(CNC_NORMALIZED_JOB_SCHEMA, bad)).toBe('/cutting/coolant');
  });

  it('I11-3: parseNormalizedJob and CNC_NORMALIZED_JOB_SCHEMA agree on every shape mutation', () => {
    const normal = normalizeJob(parseJob(FULL)) as unknown as Json;
    // The normal form's values (and list lengths) were judged when sent; read back, the schema
    // checks its shape and the parser re-normalizes.
    const shapeOnly = cases(CNC_NORMALIZED_JOB_SCHEMA, normal).filter(
      (c) =>
        / (absent|null|wrong type|unknown key)$/.test(c.where) && !/\/\d+ absent$/.test(c.where),
    );
    expect(shapeOnly.length).toBeGreaterThan(150);
    const differ = shapeOnly
      .filter(
        (c) =>
          accepts(parseNormalizedJob, c.value) !==
          (wireProblem(CNC_NORMALIZED_JOB_SCHEMA, c.value) === undefined),
      )
      .map((c) => c.where);
    expect(differ).toEqual([]);
  });

  it('I11-3 (RMOS S1): every client verdict key is refused by the parser, by name', () => {
    for (const key of CLIENT_VERDICT_KEYS) {
      expect(accepts(parseJob, mutate(FULL, [key], 'GREEN')), key).toBe(false);
      expect(wireProblem(CNC_JOB_SCHEMA, mutate(FULL, [key], 'GREEN')), key).toBe(`/${key}`);
    }
  });
});
