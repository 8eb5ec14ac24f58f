/**
 * The New CNC job form: its editable state (text fields, so partial input is kept) and the
 * conversion into a job for the server. The CNC wire contract (types, ranges, unknown keys) is
 * checked here; the server judges the rest (machine limits, geometry).
 */
import { CNC_JOB_SCHEMA, wireProblem } from '@clearance/client';
import type { CncJob, MaterialHardness, Point2, ProfileSide } from '@clearance/client';

/** One operation as the form sends it. */
type JobOperation = CncJob['operations'][number];

/** Editable operation. Numbers are kept as typed text. */
export type OperationForm =
  | { readonly kind: 'rosette'; readonly cx: string; readonly cy: string; readonly rings: string }
  | {
      readonly kind: 'circular_pocket';
      readonly cx: string;
      readonly cy: string;
      readonly radius: string;
    }
  | {
      readonly kind: 'rect_pocket';
      readonly x: string;
      readonly y: string;
      readonly width: string;
      readonly length: string;
      readonly corner_radius: string;
    }
  | { readonly kind: 'profile'; readonly points: string; readonly side: ProfileSide }
  | { readonly kind: 'drill'; readonly points: string; readonly peck: string }
  | {
      readonly kind: 'dxf';
      readonly dxf: string;
      readonly fileName: string;
      readonly as: 'pocket' | 'profile';
      readonly side: ProfileSide;
      readonly layer: string;
    };

/** The operation kinds the form offers, with their labels. */
export const OPERATION_KINDS: readonly (readonly [OperationForm['kind'], string])[] = [
  ['rosette', 'Rosette rings'],
  ['circular_pocket', 'Circular pocket'],
  ['rect_pocket', 'Rectangular pocket'],
  ['profile', 'Profile by points'],
  ['drill', 'Drill points'],
  ['dxf', 'DXF geometry'],
];

/** Editable job. */
export interface JobForm {
  readonly units: 'mm' | 'inch';
  readonly machine: string;
  readonly tool: {
    readonly type: CncJob['tool']['type'];
    readonly diameter: string;
    readonly flutes: string;
    readonly flute_length: string;
    readonly stickout: string;
  };
  readonly material: {
    readonly id: string;
    readonly hardness: MaterialHardness;
    readonly thickness: string;
    readonly resinous: boolean;
  };
  readonly cutting: {
    readonly stepover: string;
    readonly stepdown: string;
    readonly final_depth: string;
    readonly feed_xy: string;
    readonly feed_z: string;
    readonly rpm: string;
    readonly safe_z: string;
    readonly climb: boolean;
    readonly coolant: boolean;
  };
  readonly operations: readonly OperationForm[];
}

/** A blank operation of `kind`. */
export function newOperation(kind: OperationForm['kind']): OperationForm {
  switch (kind) {
    case 'rosette':
      return { kind, cx: '150', cy: '150', rings: '40-43, 46-48' };
    case 'circular_pocket':
      return { kind, cx: '150', cy: '150', radius: '20' };
    case 'rect_pocket':
      return { kind, x: '50', y: '50', width: '60', length: '40', corner_radius: '' };
    case 'profile':
      return { kind, points: '50,50; 150,50; 150,120; 50,120', side: 'outside' };
    case 'drill':
      return { kind, points: '60,60; 90,60', peck: '' };
    case 'dxf':
      return { kind, dxf: '', fileName: '', as: 'pocket', side: 'on', layer: '' };
  }
}

/** The form's starting values: a small pocket on the desktop router. */
export const DEFAULT_FORM: JobForm = {
  units: 'mm',
  machine: 'grbl-desktop',
  tool: { type: 'flat', diameter: '6', flutes: '2', flute_length: '22', stickout: '30' },
  material: { id: 'maple', hardness: 'medium', thickness: '12', resinous: false },
  cutting: {
    stepover: '0.4',
    stepdown: '1',
    final_depth: '3',
    feed_xy: '1000',
    feed_z: '300',
    rpm: '16000',
    safe_z: '5',
    climb: true,
    coolant: false,
  },
  operations: [newOperation('circular_pocket')],
};

/** Collects the problems of one conversion. */
class Problems {
  readonly list: string[] = [];

  num(label: string, text: string): number {
    const t = text.trim();
    const n = t === '' ? Number.NaN : Number(t);
    if (!Number.isFinite(n)) this.list.push(`${label}: enter a number`);
    return n;
  }

  optNum(label: string, text: string): number | undefined {
    return text.trim() === '' ? undefined : this.num(label, text);
  }
}

/** Points typed as `x,y; x,y` (or one `x y` / `x,y` pair per line). */
export function parsePoints(text: string): Point2[] | undefined {
  const pairs = text
    .split(/[;\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const points: Point2[] = [];
  for (const pair of pairs) {
    const nums = pair.split(/[\s,]+/).map(Number);
    const [x, y] = nums;
    if (nums.length !== 2 || x === undefined || y === undefined) return undefined;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    points.push({ x, y });
  }
  return points;
}

/** Rings typed as `inner-outer, inner-outer`. */
export function parseRings(
  text: string,
): { inner_radius: number; outer_radius: number }[] | undefined {
  const rings = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$/.exec(part);
    if (m === null) return undefined;
    rings.push({ inner_radius: Number(m[1]), outer_radius: Number(m[2]) });
  }
  return rings;
}

function operationOf(op: OperationForm, n: number, p: Problems): JobOperation | undefined {
  const at = `Operation ${String(n)}`;
  switch (op.kind) {
    case 'rosette': {
      const rings = parseRings(op.rings);
      if (rings === undefined) p.list.push(`${at}: rings as inner-outer, e.g. 40-43, 46-48`);
      const [cx, cy] = [p.num(`${at} centre X`, op.cx), p.num(`${at} centre Y`, op.cy)];
      return rings === undefined ? undefined : { kind: op.kind, cx, cy, rings };
    }
    case 'circular_pocket':
      return {
        kind: op.kind,
        cx: p.num(`${at} centre X`, op.cx),
        cy: p.num(`${at} centre Y`, op.cy),
        radius: p.num(`${at} radius`, op.radius),
      };
    case 'rect_pocket': {
      const cr = p.optNum(`${at} corner radius`, op.corner_radius);
      return {
        kind: op.kind,
        x: p.num(`${at} X`, op.x),
        y: p.num(`${at} Y`, op.y),
        width: p.num(`${at} width`, op.width),
        length: p.num(`${at} length`, op.length),
        ...(cr === undefined ? {} : { corner_radius: cr }),
      };
    }
    case 'profile': {
      const contour = parsePoints(op.points);
      if (contour === undefined) p.list.push(`${at}: points as x,y; x,y; …`);
      return contour === undefined ? undefined : { kind: op.kind, contour, side: op.side };
    }
    case 'drill': {
      const points = parsePoints(op.points);
      if (points === undefined) p.list.push(`${at}: points as x,y; x,y; …`);
      const peck = p.optNum(`${at} peck`, op.peck);
      if (points === undefined) return undefined;
      return { kind: op.kind, points, ...(peck === undefined ? {} : { peck }) };
    }
    case 'dxf': {
      if (op.dxf === '') p.list.push(`${at}: choose a DXF file`);
      const layer = op.layer.trim();
      return {
        kind: op.kind,
        dxf: op.dxf,
        as: op.as,
        ...(op.as === 'profile' ? { side: op.side } : {}),
        ...(layer === '' ? {} : { layer }),
      };
    }
  }
}

/** The job the form describes, or the list of fields to fix. */
export function jobFromForm(f: JobForm): { job: CncJob } | { problems: string[] } {
  const p = new Problems();
  const operations = f.operations.map((op, i) => operationOf(op, i + 1, p));
  if (operations.length === 0) p.list.push('Add at least one operation');
  const job: CncJob = {
    units: f.units,
    machine: f.machine,
    tool: {
      type: f.tool.type,
      diameter: p.num('Tool diameter', f.tool.diameter),
      flutes: p.num('Flutes', f.tool.flutes),
      flute_length: p.num('Flute length', f.tool.flute_length),
      stickout: p.num('Stickout', f.tool.stickout),
    },
    material: {
      id: f.material.id.trim(),
      hardness: f.material.hardness,
      thickness: p.num('Material thickness', f.material.thickness),
      resinous: f.material.resinous,
    },
    cutting: {
      stepover: p.num('Stepover', f.cutting.stepover),
      stepdown: p.num('Stepdown', f.cutting.stepdown),
      final_depth: p.num('Final depth', f.cutting.final_depth),
      feed_xy: p.num('Feed XY', f.cutting.feed_xy),
      feed_z: p.num('Feed Z', f.cutting.feed_z),
      rpm: p.num('Spindle speed', f.cutting.rpm),
      safe_z: p.num('Safe Z', f.cutting.safe_z),
      climb: f.cutting.climb,
      coolant: f.cutting.coolant,
    },
    operations: operations.filter((op): op is JobOperation => op !== undefined),
  };
  if (p.list.length > 0) return { problems: p.list };
  // The CNC wire contract, as the server holds it: a job it would refuse is not sent.
  const where = wireProblem(CNC_JOB_SCHEMA, job);
  return where === undefined
    ? { job }
    : { problems: [`${where}: not accepted (see the job contract)`] };
}
