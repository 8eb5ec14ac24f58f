/**
 * `parseJob`: the strict edge of the job model. Unknown keys, client verdict fields, non-finite
 * numbers, non-positive sizes, out-of-range fractions, oversized lists and unusable DXF geometry
 * are refused with VALIDATION_FAILED and a JSON pointer; nothing is silently dropped.
 */
import { ClearanceError } from '@clearance/protocol';
import { TOOL_TYPES, UNITS } from '@clearance/protocol/portable';

import { MATERIAL_HARDNESSES } from '../feasibility/types.js';
import { machineProfile } from '../gcode/machines.js';
import type { MachineProfile } from '../gcode/types.js';
import { CLIENT_VERDICT_KEYS, JOB_LIMITS, MM_PER_INCH } from './limits.js';
import { parseOperation } from './operations.js';
import type { PointBudget } from './operations.js';
import { asArray, asObject, fail, pointer, Reader, refuseUnknownKeys } from './reader.js';
import type {
  CncJob,
  JobCutting,
  JobMaterial,
  JobStock,
  JobTool,
} from '@clearance/protocol/portable';

const JOB_KEYS = ['units', 'machine', 'tool', 'material', 'cutting', 'operations', 'stock'];

function section(parent: Reader, key: string, keys: readonly string[]): Reader {
  const at = parent.ptr(key);
  const obj = asObject(parent.get(key), at);
  refuseUnknownKeys(obj, keys, at);
  return new Reader(obj, at);
}

function tool(job: Reader): JobTool {
  const r = section(job, 'tool', ['type', 'diameter', 'flutes', 'flute_length', 'stickout']);
  const flutes = r.pos('flutes');
  if (!Number.isSafeInteger(flutes)) fail(r.ptr('flutes'), 'must be an integer');
  return {
    type: r.oneOf('type', TOOL_TYPES),
    diameter: r.pos('diameter'),
    flutes,
    flute_length: r.pos('flute_length'),
    stickout: r.pos('stickout'),
  };
}

function material(job: Reader): JobMaterial {
  const r = section(job, 'material', ['id', 'hardness', 'thickness', 'resinous']);
  const id = r.str('id', JOB_LIMITS.string_chars);
  if (id.length === 0) fail(r.ptr('id'), 'must not be empty');
  return {
    id,
    hardness: r.oneOf('hardness', MATERIAL_HARDNESSES),
    thickness: r.pos('thickness'),
    resinous: r.bool('resinous'),
  };
}

/** Cutting parameters; rpm and feeds (converted to mm/min) must be within the machine's range. */
function cutting(job: Reader, machine: MachineProfile, scale: number): JobCutting {
  const keys = ['stepover', 'stepdown', 'final_depth', 'feed_xy', 'feed_z', 'rpm', 'safe_z'];
  const r = section(job, 'cutting', [...keys, 'climb', 'coolant']);
  const stepover = r.pos('stepover');
  if (stepover > 1) fail(r.ptr('stepover'), 'must be in (0, 1]');
  const [feedXy, feedZ, rpm] = [r.pos('feed_xy'), r.pos('feed_z'), r.pos('rpm')];
  if (feedXy * scale > machine.max_feed_xy) fail(r.ptr('feed_xy'), 'above the machine maximum');
  if (feedZ * scale > machine.max_feed_z) fail(r.ptr('feed_z'), 'above the machine maximum');
  if (rpm < machine.min_rpm || rpm > machine.max_rpm) {
    fail(r.ptr('rpm'), `must be within ${machine.min_rpm}..${machine.max_rpm}`);
  }
  const base = {
    stepover,
    stepdown: r.pos('stepdown'),
    final_depth: r.pos('final_depth'),
    feed_xy: feedXy,
    feed_z: feedZ,
    rpm,
    safe_z: r.pos('safe_z'),
    climb: r.bool('climb'),
  };
  return r.has('coolant') ? { ...base, coolant: r.bool('coolant') } : base;
}

function stock(job: Reader): JobStock {
  const r = section(job, 'stock', ['x', 'y', 'width', 'length']);
  return { x: r.num('x'), y: r.num('y'), width: r.pos('width'), length: r.pos('length') };
}

function machineOf(r: Reader): MachineProfile {
  const id = r.str('machine', JOB_LIMITS.string_chars);
  try {
    return machineProfile(id);
  } catch (err) {
    if (err instanceof ClearanceError) fail(r.ptr('machine'), 'unknown machine profile');
    throw err;
  }
}

/**
 * Parses an untrusted job (already JSON-decoded, e.g. by `parseJsonStrict`) into a `CncJob`.
 * Lengths stay in the job's units; DXF geometry is resolved once here to refuse bad files early.
 *
 * @throws ClearanceError VALIDATION_FAILED with `detail.pointer` naming the offending field.
 */
export function parseJob(value: unknown): CncJob {
  const obj = asObject(value, '');
  const verdict = CLIENT_VERDICT_KEYS.filter((key) => Object.hasOwn(obj, key)).sort()[0];
  if (verdict !== undefined) fail(pointer('', verdict), 'client verdict fields are refused');
  refuseUnknownKeys(obj, JOB_KEYS, '');
  const r = new Reader(obj, '');
  const units = r.oneOf('units', UNITS);
  const scale = units === 'inch' ? MM_PER_INCH : 1;
  const machine = machineOf(r);
  const opsAt = r.ptr('operations');
  const list = asArray(r.get('operations'), opsAt, JOB_LIMITS.operations);
  if (list.length === 0) fail(opsAt, 'at least one operation');
  const budget: PointBudget = { used: 0 };
  const job = {
    units,
    machine: machine.id,
    tool: tool(r),
    material: material(r),
    cutting: cutting(r, machine, scale),
    operations: list.map((op, i) => parseOperation(op, pointer(opsAt, i), scale, budget)),
  };
  return r.has('stock') ? { ...job, stock: stock(r) } : job;
}
