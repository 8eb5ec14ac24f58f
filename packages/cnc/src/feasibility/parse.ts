/**
 * Strict parser for `FeasibilityInput` (spec/rmos.md §3.2). Refuses unknown keys, so a client
 * cannot smuggle result fields (`risk_level`, `feasibility`, `score`, ...) into the job: the
 * authority strips those before calling, and anything left over is an error, never ignored.
 */
import {
  asObject as objectAt,
  failWith,
  jsonPointer,
  refuseUnknownKeys as refuseKeys,
  type FailAt,
} from '@clearance/protocol';
import type { FeasibilityBbox, FeasibilityInput, MaterialHardness } from './types.js';
import { MATERIAL_HARDNESSES } from './types.js';

type Obj = Readonly<Record<string, unknown>>;

/** Every key a job may carry (§3.2), in spec order. Anything else is refused. */
export const FEASIBILITY_INPUT_KEYS: readonly (keyof FeasibilityInput)[] = Object.freeze([
  'pipeline_id',
  'post_id',
  'units',
  'tool_d',
  'stepover',
  'stepdown',
  'z_rough',
  'feed_xy',
  'feed_z',
  'rapid',
  'safe_z',
  'strategy',
  'layer_name',
  'climb',
  'smoothing',
  'margin',
  'has_closed_paths',
  'loop_count_hint',
  'entity_count',
  'bbox',
  'smallest_feature_mm',
  'material_id',
  'material_hardness',
  'material_thickness_mm',
  'material_resinous',
  'geometry_width_mm',
  'geometry_length_mm',
  'geometry_depth_mm',
  'wall_thickness_mm',
  'tool_flute_length_mm',
  'tool_stickout_mm',
  'coolant_enabled',
  'floor_thickness_mm',
  'geometry_complex',
  'feed_override_percent',
]);

const INPUT_KEYS: ReadonlySet<string> = new Set(FEASIBILITY_INPUT_KEYS);
const BBOX_KEYS: ReadonlySet<string> = new Set(['x_min', 'y_min', 'x_max', 'y_max']);

const pointer = jsonPointer;

// The protocol's strict reader: VALIDATION_FAILED with `detail.pointer`.
const fail: FailAt = failWith('VALIDATION_FAILED', 'feasibility input');

/** A plain JSON-like object (not null, not an array), copied to own enumerable string keys. */
function asObject(value: unknown, at: string): Obj {
  return objectAt(value, at, fail);
}

function refuseUnknownKeys(obj: Obj, allowed: ReadonlySet<string>, at: string): void {
  refuseKeys(obj, allowed, at, fail);
}

/** Typed readers over one object; `at` is the object's own JSON pointer. */
class Reader {
  constructor(
    private readonly obj: Obj,
    private readonly at: string,
  ) {}

  private present(key: string): unknown {
    if (!Object.hasOwn(this.obj, key)) fail(pointer(this.at, key), 'required');
    return this.obj[key];
  }

  /** Absent, undefined or null all mean "unknown" for optional fields. */
  private optional(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? (this.obj[key] ?? null) : null;
  }

  private number(value: unknown, key: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(pointer(this.at, key), 'must be a finite number');
    }
    return value;
  }

  private string(value: unknown, key: string): string {
    if (typeof value !== 'string') fail(pointer(this.at, key), 'must be a string');
    return value;
  }

  private boolean(value: unknown, key: string): boolean {
    if (typeof value !== 'boolean') fail(pointer(this.at, key), 'must be a boolean');
    return value;
  }

  num(key: string): number {
    return this.number(this.present(key), key);
  }

  str(key: string): string {
    return this.string(this.present(key), key);
  }

  bool(key: string): boolean {
    return this.boolean(this.present(key), key);
  }

  /** Absent → `fallback`; null or a non-string is refused. */
  strOr(key: string, fallback: string): string {
    return Object.hasOwn(this.obj, key) ? this.string(this.obj[key], key) : fallback;
  }

  optNum(key: string): number | null {
    const value = this.optional(key);
    return value === null ? null : this.number(value, key);
  }

  optInt(key: string): number | null {
    const value = this.optional(key);
    if (value === null) return null;
    if (!Number.isSafeInteger(value)) fail(pointer(this.at, key), 'must be a safe integer');
    return this.number(value, key);
  }

  optStr(key: string): string | null {
    const value = this.optional(key);
    return value === null ? null : this.string(value, key);
  }

  optBool(key: string): boolean | null {
    const value = this.optional(key);
    return value === null ? null : this.boolean(value, key);
  }

  optHardness(key: string): MaterialHardness | null {
    const value = this.optional(key);
    if (value === null) return null;
    const found = MATERIAL_HARDNESSES.find((h) => h === value);
    if (found === undefined) {
      fail(pointer(this.at, key), `must be one of ${MATERIAL_HARDNESSES.join(', ')}`);
    }
    return found;
  }

  optBbox(key: string): FeasibilityBbox | null {
    const value = this.optional(key);
    if (value === null) return null;
    const at = pointer(this.at, key);
    const box = asObject(value, at);
    refuseUnknownKeys(box, BBOX_KEYS, at);
    const r = new Reader(box, at);
    return {
      x_min: r.num('x_min'),
      y_min: r.num('y_min'),
      x_max: r.num('x_max'),
      y_max: r.num('y_max'),
    };
  }
}

/**
 * Parses an untrusted job into a normalised `FeasibilityInput`.
 *
 * Strict: unknown keys (including client-sent result fields such as `risk_level`, `feasibility`,
 * `safety`, `decision`, `score`, `rules_triggered`, `source`) are refused; required fields must be
 * present and typed (numbers finite); optional fields may be absent or null (both become null);
 * `material_hardness` must be one of the six classes; `pipeline_id`/`post_id`/`units` default to
 * `mvp_dxf_to_grbl_v1`/`GRBL`/`mm` when absent.
 *
 * @throws ClearanceError VALIDATION_FAILED with `detail.pointer` (RFC 6901) naming the bad field.
 */
export function parseFeasibilityInput(value: unknown): FeasibilityInput {
  const obj = asObject(value, '');
  refuseUnknownKeys(obj, INPUT_KEYS, '');
  const r = new Reader(obj, '');
  return {
    pipeline_id: r.strOr('pipeline_id', 'mvp_dxf_to_grbl_v1'),
    post_id: r.strOr('post_id', 'GRBL'),
    units: r.strOr('units', 'mm'),
    tool_d: r.num('tool_d'),
    stepover: r.num('stepover'),
    stepdown: r.num('stepdown'),
    z_rough: r.num('z_rough'),
    feed_xy: r.num('feed_xy'),
    feed_z: r.num('feed_z'),
    rapid: r.num('rapid'),
    safe_z: r.num('safe_z'),
    strategy: r.str('strategy'),
    layer_name: r.str('layer_name'),
    climb: r.bool('climb'),
    smoothing: r.num('smoothing'),
    margin: r.num('margin'),
    has_closed_paths: r.optBool('has_closed_paths'),
    loop_count_hint: r.optInt('loop_count_hint'),
    entity_count: r.optInt('entity_count'),
    bbox: r.optBbox('bbox'),
    smallest_feature_mm: r.optNum('smallest_feature_mm'),
    material_id: r.optStr('material_id'),
    material_hardness: r.optHardness('material_hardness'),
    material_thickness_mm: r.optNum('material_thickness_mm'),
    material_resinous: r.optBool('material_resinous'),
    geometry_width_mm: r.optNum('geometry_width_mm'),
    geometry_length_mm: r.optNum('geometry_length_mm'),
    geometry_depth_mm: r.optNum('geometry_depth_mm'),
    wall_thickness_mm: r.optNum('wall_thickness_mm'),
    tool_flute_length_mm: r.optNum('tool_flute_length_mm'),
    tool_stickout_mm: r.optNum('tool_stickout_mm'),
    coolant_enabled: r.optBool('coolant_enabled'),
    floor_thickness_mm: r.optNum('floor_thickness_mm'),
    geometry_complex: r.optBool('geometry_complex'),
    feed_override_percent: r.optNum('feed_override_percent'),
  };
}
