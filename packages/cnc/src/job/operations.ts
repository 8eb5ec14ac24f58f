/** Strict parsing of one job operation (the discriminated union of `Operation`). */
import { DXF_AS, OPERATION_KINDS, PROFILE_SIDES } from '@clearance/protocol/portable';

import { resolveDxf } from './dxf.js';
import { polygonArea } from './geometry.js';
import { JOB_LIMITS } from './limits.js';
import { asArray, asObject, fail, pointer, Reader, refuseUnknownKeys } from './reader.js';
import type { JobOperation as Operation, Point2, RosetteRing } from '@clearance/protocol/portable';

/** Shared budget of contour points over a whole job. */
export interface PointBudget {
  used: number;
}

function spend(budget: PointBudget, n: number, at: string): void {
  budget.used += n;
  if (budget.used > JOB_LIMITS.contour_points) {
    fail(at, `more than ${JOB_LIMITS.contour_points} contour points in the job`);
  }
}

function points(value: unknown, at: string, max: number): Point2[] {
  return asArray(value, at, max).map((item, i) => {
    const here = pointer(at, i);
    const obj = asObject(item, here);
    refuseUnknownKeys(obj, ['x', 'y'], here);
    const r = new Reader(obj, here);
    return { x: r.num('x'), y: r.num('y') };
  });
}

function rings(r: Reader): RosetteRing[] {
  const at = r.ptr('rings');
  const list = asArray(r.get('rings'), at, JOB_LIMITS.rings);
  if (list.length === 0) fail(at, 'at least one ring');
  const parsed = list.map((item, i) => {
    const here = pointer(at, i);
    const obj = asObject(item, here);
    refuseUnknownKeys(obj, ['inner_radius', 'outer_radius'], here);
    const ring = new Reader(obj, here);
    const inner = ring.nonNeg('inner_radius');
    const outer = ring.pos('outer_radius');
    if (inner >= outer) fail(ring.ptr('inner_radius'), 'must be < outer_radius');
    return { inner_radius: inner, outer_radius: outer };
  });
  // Overlapping channels are one channel: say so instead of guessing the wall between them.
  const sorted = [...parsed].sort((a, b) => a.inner_radius - b.inner_radius);
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev !== undefined && cur !== undefined && cur.inner_radius < prev.outer_radius) {
      fail(at, 'rings overlap');
    }
  }
  return parsed;
}

function contour(r: Reader, budget: PointBudget): Point2[] {
  const at = r.ptr('contour');
  const list = points(r.get('contour'), at, JOB_LIMITS.contour_points);
  const first = list[0];
  const last = list[list.length - 1];
  // An explicitly repeated first point is the closing point, not a vertex.
  if (list.length > 1 && first !== undefined && last !== undefined) {
    if (first.x === last.x && first.y === last.y) list.pop();
  }
  if (list.length < 3) fail(at, 'a closed contour needs at least 3 distinct points');
  // Collinear points are a line, not a closed path (F006 would otherwise never see it).
  if (polygonArea(list) === 0) fail(at, 'the contour encloses no area');
  spend(budget, list.length, at);
  return list;
}

/** UTF-8 size of `text` in bytes (lone surrogates count as the 3-byte U+FFFD). */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      const pair = next >= 0xdc00 && next <= 0xdfff;
      bytes += pair ? 4 : 3;
      if (pair) i += 1;
    } else bytes += 3;
  }
  return bytes;
}

function dxf(r: Reader, scale: number, budget: PointBudget): Operation {
  const text = r.str('dxf', JOB_LIMITS.dxf_bytes);
  // The limit is on the file size (UTF-8 bytes), not on UTF-16 code units.
  if (utf8Bytes(text) > JOB_LIMITS.dxf_bytes) fail(r.ptr('dxf'), 'DXF text over 16 MiB');
  const layer = r.has('layer') ? r.str('layer', JOB_LIMITS.string_chars) : undefined;
  const as = r.oneOf('as', DXF_AS);
  const side = r.has('side') ? r.oneOf('side', PROFILE_SIDES) : undefined;
  if (as === 'pocket' && side !== undefined) fail(r.ptr('side'), 'only for as: profile');
  // Resolved now so a bad file is refused at the edge, with its pointer.
  const left = JOB_LIMITS.contour_points - budget.used;
  const loops = resolveDxf(text, layer, scale, r.ptr('dxf'), left);
  spend(
    budget,
    loops.reduce((n, loop) => n + loop.length, 0),
    r.ptr('dxf'),
  );
  return {
    kind: 'dxf',
    dxf: text,
    as,
    ...(layer === undefined ? {} : { layer }),
    ...(side === undefined ? {} : { side }),
  };
}

/** Parses operation `value` at pointer `at`; `scale` converts job units to mm (for DXF). */
export function parseOperation(
  value: unknown,
  at: string,
  scale: number,
  budget: PointBudget,
): Operation {
  const obj = asObject(value, at);
  const r = new Reader(obj, at);
  const kind = r.oneOf('kind', OPERATION_KINDS);
  switch (kind) {
    case 'rosette':
      refuseUnknownKeys(obj, ['kind', 'cx', 'cy', 'rings'], at);
      return { kind, cx: r.num('cx'), cy: r.num('cy'), rings: rings(r) };
    case 'circular_pocket':
      refuseUnknownKeys(obj, ['kind', 'cx', 'cy', 'radius'], at);
      return { kind, cx: r.num('cx'), cy: r.num('cy'), radius: r.pos('radius') };
    case 'rect_pocket': {
      refuseUnknownKeys(obj, ['kind', 'x', 'y', 'width', 'length', 'corner_radius'], at);
      const [x, y, width, length] = [r.num('x'), r.num('y'), r.pos('width'), r.pos('length')];
      if (!r.has('corner_radius')) return { kind, x, y, width, length };
      const corner = r.nonNeg('corner_radius');
      if (2 * corner > Math.min(width, length)) fail(r.ptr('corner_radius'), 'too large');
      return { kind, x, y, width, length, corner_radius: corner };
    }
    case 'profile':
      refuseUnknownKeys(obj, ['kind', 'contour', 'side'], at);
      return { kind, contour: contour(r, budget), side: r.oneOf('side', PROFILE_SIDES) };
    case 'drill': {
      refuseUnknownKeys(obj, ['kind', 'points', 'peck'], at);
      const list = points(r.get('points'), r.ptr('points'), JOB_LIMITS.drill_points);
      if (list.length === 0) fail(r.ptr('points'), 'at least one point');
      return r.has('peck') ? { kind, points: list, peck: r.pos('peck') } : { kind, points: list };
    }
    case 'dxf':
      refuseUnknownKeys(obj, ['kind', 'dxf', 'layer', 'as', 'side'], at);
      return dxf(r, scale, budget);
  }
}
