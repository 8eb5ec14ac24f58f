/**
 * `parseNormalizedJob`: a normalized job read back from an artifact. The shape is parsed strictly
 * (every key required, no other key, exact types, millimetres only) and then proven normalized:
 * the job is turned back into a client job (`clientJobOf`), parsed and normalized again by the
 * same code as any request, and must come out canonically identical.
 */
import { canonicalize } from '@clearance/protocol';
import {
  NORMALIZED_OPERATION_KINDS,
  PROFILE_SIDES,
  TOOL_TYPES,
} from '@clearance/protocol/portable';

import { MATERIAL_HARDNESSES } from '../feasibility/types.js';
import { JOB_LIMITS } from '../job/limits.js';
import { normalizeJob } from '../job/normalize.js';
import { parseJob } from '../job/parse.js';
import { asArray, asObject, fail, pointer, Reader, refuseUnknownKeys } from '../job/reader.js';
import type {
  JobCutting,
  JobMaterial,
  JobStock,
  JobTool,
  NormalizedJob,
  NormalizedOperation,
  Point2,
} from '@clearance/protocol/portable';
import { clientJobOf } from './reentry.js';

/** The object at `key`, with exactly `keys`. */
function section(parent: Reader, key: string, keys: readonly string[]): Reader {
  return exact(parent.get(key), parent.ptr(key), keys);
}

function exact(value: unknown, at: string, keys: readonly string[]): Reader {
  const obj = asObject(value, at);
  refuseUnknownKeys(obj, keys, at);
  const r = new Reader(obj, at);
  for (const key of keys) r.get(key);
  return r;
}

function isNull(r: Reader, key: string): boolean {
  return r.get(key) === null;
}

function tool(job: Reader): JobTool {
  const r = section(job, 'tool', ['type', 'diameter', 'flutes', 'flute_length', 'stickout']);
  return {
    type: r.oneOf('type', TOOL_TYPES),
    diameter: r.num('diameter'),
    flutes: r.num('flutes'),
    flute_length: r.num('flute_length'),
    stickout: r.num('stickout'),
  };
}

function material(job: Reader): JobMaterial {
  const r = section(job, 'material', ['id', 'hardness', 'thickness', 'resinous']);
  return {
    id: r.str('id', JOB_LIMITS.string_chars),
    hardness: r.oneOf('hardness', MATERIAL_HARDNESSES),
    thickness: r.num('thickness'),
    resinous: r.bool('resinous'),
  };
}

function cutting(job: Reader): NormalizedJob['cutting'] {
  const nums = ['stepover', 'stepdown', 'final_depth', 'feed_xy', 'feed_z', 'rpm', 'safe_z'];
  const r = section(job, 'cutting', [...nums, 'climb', 'coolant']);
  const n = (key: keyof JobCutting): number => r.num(key);
  return {
    stepover: n('stepover'),
    stepdown: n('stepdown'),
    final_depth: n('final_depth'),
    feed_xy: n('feed_xy'),
    feed_z: n('feed_z'),
    rpm: n('rpm'),
    safe_z: n('safe_z'),
    climb: r.bool('climb'),
    coolant: isNull(r, 'coolant') ? null : r.bool('coolant'),
  };
}

function stock(job: Reader): JobStock | null {
  if (isNull(job, 'stock')) return null;
  const r = section(job, 'stock', ['x', 'y', 'width', 'length']);
  return { x: r.num('x'), y: r.num('y'), width: r.num('width'), length: r.num('length') };
}

function points(r: Reader, key: string, max: number): Point2[] {
  const at = r.ptr(key);
  return asArray(r.get(key), at, max).map((item, i) => {
    const p = exact(item, pointer(at, i), ['x', 'y']);
    return { x: p.num('x'), y: p.num('y') };
  });
}

function operation(value: unknown, at: string): NormalizedOperation {
  const kind = new Reader(asObject(value, at), at).oneOf('kind', NORMALIZED_OPERATION_KINDS);
  const shape = (keys: readonly string[]): Reader => exact(value, at, ['kind', ...keys]);
  switch (kind) {
    case 'rosette': {
      const r = shape(['cx', 'cy', 'rings']);
      const list = asArray(r.get('rings'), r.ptr('rings'), JOB_LIMITS.rings);
      const rings = list.map((item, i) => {
        const ring = exact(item, pointer(r.ptr('rings'), i), ['inner_radius', 'outer_radius']);
        return { inner_radius: ring.num('inner_radius'), outer_radius: ring.num('outer_radius') };
      });
      return { kind, cx: r.num('cx'), cy: r.num('cy'), rings };
    }
    case 'circular_pocket': {
      const r = shape(['cx', 'cy', 'radius']);
      return { kind, cx: r.num('cx'), cy: r.num('cy'), radius: r.num('radius') };
    }
    case 'rect_pocket': {
      const r = shape(['x', 'y', 'width', 'length', 'corner_radius']);
      const [x, y, width, length] = [r.num('x'), r.num('y'), r.num('width'), r.num('length')];
      return { kind, x, y, width, length, corner_radius: r.num('corner_radius') };
    }
    case 'profile': {
      const r = shape(['contour', 'side']);
      const contour = points(r, 'contour', JOB_LIMITS.contour_points);
      return { kind, contour, side: r.oneOf('side', PROFILE_SIDES) };
    }
    case 'contour_pocket': {
      const r = shape(['contour']);
      return { kind, contour: points(r, 'contour', JOB_LIMITS.contour_points) };
    }
    case 'drill': {
      const r = shape(['points', 'peck']);
      const list = points(r, 'points', JOB_LIMITS.drill_points);
      return { kind, points: list, peck: isNull(r, 'peck') ? null : r.num('peck') };
    }
  }
}

/** The strict shape of a normalized job (types only; values are checked by re-normalizing). */
function shapeOf(value: unknown): NormalizedJob {
  const keys = ['units', 'machine', 'tool', 'material', 'cutting', 'operations', 'stock', 'layer'];
  const r = exact(value, '', keys);
  r.oneOf('units', ['mm'] as const);
  const opsAt = r.ptr('operations');
  const ops = asArray(r.get('operations'), opsAt, JOB_LIMITS.operations * JOB_LIMITS.rings);
  return {
    units: 'mm',
    machine: r.str('machine', JOB_LIMITS.string_chars),
    tool: tool(r),
    material: material(r),
    cutting: cutting(r),
    operations: ops.map((op, i) => operation(op, pointer(opsAt, i))),
    stock: stock(r),
    layer: isNull(r, 'layer') ? null : r.str('layer', JOB_LIMITS.string_chars),
  };
}

/**
 * Strict parse of a normalized job read back from an artifact (unknown keys, wrong types, non-mm
 * units refused) and proof that it is normalized: re-entered as a client job, `parseJob` and
 * `normalizeJob` must give a canonically identical object (so every limit of a request applies,
 * and unrounded numbers, reordered or defaulted fields are refused).
 *
 * @throws ClearanceError VALIDATION_FAILED
 */
export function parseNormalizedJob(value: unknown): NormalizedJob {
  const job = shapeOf(value);
  const again = normalizeJob(parseJob(clientJobOf(job)));
  if (canonicalize(again) !== canonicalize(job)) fail('', 'the job is not in normalized form');
  return job;
}
