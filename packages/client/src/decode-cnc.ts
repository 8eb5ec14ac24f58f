/** Decoders of the RMOS answers: job views, feasibility, releases, overrides. */
import type {
  CncJob,
  FeasibilityCheck,
  FeasibilityCore,
  JobFeasibility,
  JobOperation,
  JobRelease,
  OverrideRecord,
  Point2,
  ProfileSide,
  RiskLevel,
  RuleInfo,
} from './cnc-types.js';
import { decodeDetails, decodeRun } from './decode.js';
import {
  array,
  bool,
  invalid,
  list,
  num,
  opt,
  optNum,
  optStr,
  record,
  str,
  strOrNull,
  strList,
  type UnknownRecord,
} from './json.js';
import type { JobView } from './types.js';

function oneOf<T extends string>(o: UnknownRecord, key: string, values: readonly T[]): T {
  const v = o[key];
  const found = values.find((x) => x === v);
  return found ?? invalid(key);
}

const RISKS: readonly RiskLevel[] = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN', 'ERROR'];
const SIDES: readonly ProfileSide[] = ['inside', 'outside', 'on'];

function point(value: unknown): Point2 {
  const o = record(value, 'point');
  return { x: num(o, 'x'), y: num(o, 'y') };
}

/** One operation (sent or normalised form). */
export function decodeOperation(value: unknown): JobOperation {
  const o = record(value, 'operation');
  const kind = str(o, 'kind');
  switch (kind) {
    case 'rosette':
      return {
        kind,
        cx: num(o, 'cx'),
        cy: num(o, 'cy'),
        rings: list(o, 'rings', (r) => {
          const ring = record(r, 'ring');
          return {
            inner_radius: num(ring, 'inner_radius'),
            outer_radius: num(ring, 'outer_radius'),
          };
        }),
      };
    case 'circular_pocket':
      return { kind, cx: num(o, 'cx'), cy: num(o, 'cy'), radius: num(o, 'radius') };
    case 'rect_pocket':
      return {
        kind,
        x: num(o, 'x'),
        y: num(o, 'y'),
        width: num(o, 'width'),
        length: num(o, 'length'),
        ...opt('corner_radius', optNum(o, 'corner_radius')),
      };
    case 'profile':
      return { kind, contour: list(o, 'contour', point), side: oneOf(o, 'side', SIDES) };
    case 'contour_pocket':
      return { kind, contour: list(o, 'contour', point) };
    case 'drill':
      return { kind, points: list(o, 'points', point), peck: optNum(o, 'peck') ?? null };
    case 'dxf':
      return {
        kind,
        dxf: str(o, 'dxf'),
        as: oneOf(o, 'as', ['pocket', 'profile'] as const),
        ...opt('layer', optStr(o, 'layer')),
        ...opt('side', o['side'] === undefined ? undefined : oneOf(o, 'side', SIDES)),
      };
    default:
      return invalid('operation kind');
  }
}

/** A (normalised) job. */
export function decodeJob(value: unknown): CncJob {
  const o = record(value, 'job');
  const tool = record(o['tool'], 'tool');
  const material = record(o['material'], 'material');
  const cutting = record(o['cutting'], 'cutting');
  const stock = o['stock'];
  const coolant = cutting['coolant'];
  return {
    units: oneOf(o, 'units', ['mm', 'inch'] as const),
    machine: str(o, 'machine'),
    tool: {
      type: oneOf(tool, 'type', ['flat', 'ball', 'vbit', 'drill'] as const),
      diameter: num(tool, 'diameter'),
      flutes: num(tool, 'flutes'),
      flute_length: num(tool, 'flute_length'),
      stickout: num(tool, 'stickout'),
    },
    material: {
      id: str(material, 'id'),
      hardness: oneOf(material, 'hardness', [
        'soft',
        'medium',
        'hard',
        'very-hard',
        'extreme',
        'unknown',
      ] as const),
      thickness: num(material, 'thickness'),
      resinous: bool(material, 'resinous'),
    },
    cutting: {
      stepover: num(cutting, 'stepover'),
      stepdown: num(cutting, 'stepdown'),
      final_depth: num(cutting, 'final_depth'),
      feed_xy: num(cutting, 'feed_xy'),
      feed_z: num(cutting, 'feed_z'),
      rpm: num(cutting, 'rpm'),
      safe_z: num(cutting, 'safe_z'),
      climb: bool(cutting, 'climb'),
      ...opt('coolant', typeof coolant === 'boolean' ? coolant : undefined),
    },
    operations: array(o['operations'], 'operations').map(decodeOperation),
    ...opt('stock', stock === undefined || stock === null ? undefined : decodeStock(stock)),
  };
}

function decodeStock(value: unknown): CncJob['stock'] {
  const s = record(value, 'stock');
  return { x: num(s, 'x'), y: num(s, 'y'), width: num(s, 'width'), length: num(s, 'length') };
}

function decodeRule(value: unknown): RuleInfo {
  const o = record(value, 'rule');
  return {
    id: str(o, 'id'),
    level: str(o, 'level'),
    summary: str(o, 'summary'),
    explanation: str(o, 'explanation'),
    fix_hint: str(o, 'fix_hint'),
  };
}

function decodeCore(o: UnknownRecord): FeasibilityCore {
  return {
    risk_level: oneOf(o, 'risk_level', RISKS),
    blocking: bool(o, 'blocking'),
    rules_triggered: strList(o, 'rules_triggered'),
    blocking_reasons: strList(o, 'blocking_reasons'),
    warnings: strList(o, 'warnings'),
    constraints: strList(o, 'constraints'),
    hash: str(o, 'hash'),
  };
}

/** POST /api/rmos/feasibility. */
export function decodeFeasibilityCheck(value: unknown): FeasibilityCheck {
  const o = record(value, 'feasibility');
  return {
    ...decodeCore(o),
    explanations: list(o, 'explanations', decodeRule),
    stripped: strList(o, 'stripped'),
    ...opt('job_hash', optStr(o, 'job_hash')),
  };
}

function decodeJobFeasibility(value: unknown): JobFeasibility {
  const o = record(value, 'feasibility');
  const e = record(o['explanation'], 'explanation');
  return {
    ...decodeCore(o),
    explanation: { summary: str(e, 'summary'), rules: list(e, 'rules', decodeRule) },
  };
}

function decodeRelease(value: unknown): JobRelease {
  const o = record(value, 'release');
  return {
    gcode_sha256: str(o, 'gcode_sha256'),
    gcode_url: str(o, 'gcode_url'),
    gcode_file: str(o, 'gcode_file'),
    preview_svg: str(o, 'preview_svg'),
    preview_sha256: str(o, 'preview_sha256'),
    toolpaths_sha256: str(o, 'toolpaths_sha256'),
    ...opt('gcode_lines', optNum(o, 'gcode_lines')),
  };
}

/** An override record. */
export function decodeOverride(value: unknown): OverrideRecord {
  const o = record(value, 'override');
  return {
    run_id: str(o, 'run_id'),
    workflow_id: str(o, 'workflow_id'),
    scope: str(o, 'scope'),
    original_risk: str(o, 'original_risk'),
    reason: str(o, 'reason'),
    supervisor: str(o, 'supervisor'),
    created_at: str(o, 'created_at'),
  };
}

function nullable<T>(value: unknown, decode: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : decode(value);
}

/** GET /api/rmos/jobs/{id}, POST /api/rmos/jobs. */
export function decodeJobView(value: unknown): JobView {
  const o = record(value, 'job view');
  return {
    workflow: decodeDetails(o['workflow']),
    job: nullable(o['job'], decodeJob),
    job_hash: strOrNull(o, 'job_hash'),
    feasibility: nullable(o['feasibility'], decodeJobFeasibility),
    override: nullable(o['override'], decodeOverride),
    runs: list(o, 'runs', decodeRun),
    release: nullable(o['release'], decodeRelease),
    ...opt('stripped', o['stripped'] === undefined ? undefined : strList(o, 'stripped')),
  };
}
