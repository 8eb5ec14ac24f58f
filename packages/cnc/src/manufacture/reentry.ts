/**
 * `clientJobOf`: a normalized job written back as the client job that normalizes to it, so a job
 * read from an artifact can be re-checked by the one request path (`parseJob` → `normalizeJob`).
 * Contours (profiles and contour pockets) re-enter as DXF text, the only way a client can send a
 * contour pocket: consecutive contours of the same kind and side share one DXF operation, on the
 * job's layer when it has one.
 */
import type { JsonObject, JsonValue } from '@clearance/protocol';

import type { NormalizedJob, NormalizedOperation, Point2 } from '@clearance/protocol/portable';

type Contoured = Extract<NormalizedOperation, { kind: 'profile' | 'contour_pocket' }>;

/** Closed LWPOLYLINE entity lines for one contour (shortest round-trip number text). */
function polyline(contour: readonly Point2[], layer: string): string[] {
  return [
    '0',
    'LWPOLYLINE',
    '8',
    layer,
    '90',
    String(contour.length),
    '70',
    '1',
    ...contour.flatMap((p) => ['10', String(p.x), '20', String(p.y)]),
  ];
}

/** An ASCII DXF holding one closed polyline per contour. */
function dxfOf(contours: readonly (readonly Point2[])[], layer: string): string {
  const entities = contours.flatMap((c) => polyline(c, layer));
  return [...['0', 'SECTION', '2', 'ENTITIES'], ...entities, '0', 'ENDSEC', '0', 'EOF', ''].join(
    '\n',
  );
}

/** Same DXF operation: same kind and, for profiles, same side. */
function sameGroup(a: Contoured, b: Contoured): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === 'contour_pocket' || (b.kind === 'profile' && a.side === b.side);
}

function dxfOperation(group: readonly Contoured[], layer: string | null): JsonObject {
  const [first] = group;
  const text = dxfOf(
    group.map((op) => op.contour),
    layer ?? '0',
  );
  const base = layer === null ? { kind: 'dxf', dxf: text } : { kind: 'dxf', dxf: text, layer };
  if (first?.kind === 'profile') return { ...base, as: 'profile', side: first.side };
  return { ...base, as: 'pocket' };
}

function points(list: readonly Point2[]): JsonValue[] {
  return list.map((p) => ({ x: p.x, y: p.y }));
}

function plain(op: Exclude<NormalizedOperation, Contoured>): JsonObject {
  switch (op.kind) {
    case 'rosette':
      return {
        kind: op.kind,
        cx: op.cx,
        cy: op.cy,
        rings: op.rings.map((r) => ({
          inner_radius: r.inner_radius,
          outer_radius: r.outer_radius,
        })),
      };
    case 'circular_pocket':
      return { kind: op.kind, cx: op.cx, cy: op.cy, radius: op.radius };
    case 'rect_pocket': {
      const { x, y, width, length, corner_radius } = op;
      return { kind: op.kind, x, y, width, length, corner_radius };
    }
    case 'drill': {
      const base = { kind: op.kind, points: points(op.points) };
      return op.peck === null ? base : { ...base, peck: op.peck };
    }
  }
}

function isContoured(op: NormalizedOperation): op is Contoured {
  return op.kind === 'profile' || op.kind === 'contour_pocket';
}

function operations(job: NormalizedJob): JsonObject[] {
  const out: JsonObject[] = [];
  let group: Contoured[] = [];
  const flush = (): void => {
    if (group.length > 0) out.push(dxfOperation(group, job.layer));
    group = [];
  };
  for (const op of job.operations) {
    if (!isContoured(op)) {
      flush();
      out.push(plain(op));
      continue;
    }
    const last = group[group.length - 1];
    if (last !== undefined && !sameGroup(last, op)) flush();
    group.push(op);
  }
  flush();
  return out;
}

/** The client job (JSON, millimetres) that `normalizeJob(parseJob(·))` turns back into `job`. */
export function clientJobOf(job: NormalizedJob): JsonObject {
  const { coolant, ...cutting } = job.cutting;
  const base: JsonObject = {
    units: 'mm',
    machine: job.machine,
    tool: { ...job.tool },
    material: { ...job.material },
    cutting: coolant === null ? { ...cutting } : { ...cutting, coolant },
    operations: operations(job),
  };
  return job.stock === null ? base : { ...base, stock: { ...job.stock } };
}
