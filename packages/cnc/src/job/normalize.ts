/**
 * `normalizeJob` and `jobHash`: the deterministic millimetre artifact of a job. Two jobs that
 * describe the same cut (mm vs. inch, DXF vs. explicit contours) normalize to the same bytes up
 * to the 1e-6 mm rounding.
 */
import { HASH_DOMAINS, H } from '@clearance/protocol';
import type { Sha256Hex } from '@clearance/protocol';

import { resolveDxf } from './dxf.js';
import { JOB_LIMITS, MM_PER_INCH } from './limits.js';
import type {
  CncJob,
  NormalizedJob,
  NormalizedOperation,
  JobOperation as Operation,
  Point2,
} from '@clearance/protocol/portable';

/** Hash domain of a normalized job. */
export const JOB_HASH_DOMAIN = HASH_DOMAINS.CNC_JOB;

/** Rounds to 1e-6 (and turns -0 into 0) so the artifact does not carry float noise. */
export function round6(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  return rounded === 0 ? 0 : rounded;
}

function operations(
  op: Operation,
  index: number,
  mm: (v: number) => number,
): NormalizedOperation[] {
  const pt = (p: Point2): Point2 => ({ x: mm(p.x), y: mm(p.y) });
  switch (op.kind) {
    case 'rosette':
      return [
        {
          kind: op.kind,
          cx: mm(op.cx),
          cy: mm(op.cy),
          rings: op.rings.map((r) => ({
            inner_radius: mm(r.inner_radius),
            outer_radius: mm(r.outer_radius),
          })),
        },
      ];
    case 'circular_pocket':
      return [{ kind: op.kind, cx: mm(op.cx), cy: mm(op.cy), radius: mm(op.radius) }];
    case 'rect_pocket':
      return [
        {
          kind: op.kind,
          x: mm(op.x),
          y: mm(op.y),
          width: mm(op.width),
          length: mm(op.length),
          corner_radius: mm(op.corner_radius ?? 0),
        },
      ];
    case 'profile':
      return [{ kind: op.kind, contour: op.contour.map(pt), side: op.side }];
    case 'drill':
      return [
        {
          kind: op.kind,
          points: op.points.map(pt),
          peck: op.peck === undefined ? null : mm(op.peck),
        },
      ];
    case 'dxf': {
      // The DXF resolves in job units scaled to mm; only rounding remains.
      const scale = mm(1);
      const loops = resolveDxf(
        op.dxf,
        op.layer,
        scale,
        `/operations/${index}/dxf`,
        JOB_LIMITS.contour_points,
      );
      return loops.map((loop) => {
        const contour = loop.map((p) => ({ x: round6(p.x), y: round6(p.y) }));
        return op.as === 'pocket'
          ? { kind: 'contour_pocket' as const, contour }
          : { kind: 'profile' as const, contour, side: op.side ?? 'on' };
      });
    }
  }
}

function singleLayer(ops: readonly Operation[]): string | null {
  const layers = new Set(
    ops.flatMap((op) => (op.kind === 'dxf' && op.layer !== undefined ? [op.layer] : [])),
  );
  const [only] = layers;
  return layers.size === 1 && only !== undefined ? only : null;
}

/**
 * Normalizes a parsed job: every length and feed converted to mm (×25.4 for inch jobs; rpm,
 * stepover and flute count are unitless), DXF operations replaced by the contours they resolve
 * to (one operation per loop, in file order), absent optionals made explicit (`null`, corner
 * radius 0), operation order preserved, and every number rounded to 1e-6.
 */
export function normalizeJob(job: CncJob): NormalizedJob {
  const scale = job.units === 'inch' ? MM_PER_INCH : 1;
  const mm = (v: number): number => round6(v * scale);
  const { tool, material, cutting, stock } = job;
  return {
    units: 'mm',
    machine: job.machine,
    tool: {
      type: tool.type,
      diameter: mm(tool.diameter),
      flutes: tool.flutes,
      flute_length: mm(tool.flute_length),
      stickout: mm(tool.stickout),
    },
    material: { ...material, thickness: mm(material.thickness) },
    cutting: {
      stepover: round6(cutting.stepover),
      stepdown: mm(cutting.stepdown),
      final_depth: mm(cutting.final_depth),
      feed_xy: mm(cutting.feed_xy),
      feed_z: mm(cutting.feed_z),
      rpm: round6(cutting.rpm),
      safe_z: mm(cutting.safe_z),
      climb: cutting.climb,
      coolant: cutting.coolant ?? null,
    },
    operations: job.operations.flatMap((op, i) => operations(op, i, mm)),
    stock:
      stock === undefined
        ? null
        : { x: mm(stock.x), y: mm(stock.y), width: mm(stock.width), length: mm(stock.length) },
    layer: singleLayer(job.operations),
  };
}

/** H('clearance.cnc-job.v1', normalized): the job's content address. */
export function jobHash(normalized: NormalizedJob): Sha256Hex {
  return H(JOB_HASH_DOMAIN, normalized);
}
