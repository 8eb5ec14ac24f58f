/**
 * `manufactureJob`: toolpaths, G-code in the machine's dialect, its validation, a summary, a
 * toolpaths file and an SVG preview for one normalized job. Pure and deterministic: no clock, no
 * randomness, no I/O; the same job and stamp give the same bytes.
 */
import { canonicalize, ClearanceError, isSha256Hex } from '@clearance/protocol';

import {
  machineProfile,
  postProcess,
  validateGcode,
  type Dialect,
  type GcodeValidation,
  type MachineProfile,
  type MotionProgram,
} from '../gcode/index.js';
import { jobHash } from '../job/normalize.js';
import type { NormalizedJob } from '@clearance/protocol/portable';
import {
  buildProgram,
  toolpathSummary,
  toolpathSvg,
  type ToolpathSummary,
} from '../toolpath/index.js';
import { jobOperations } from './operations.js';
import { CNC_TOOLCHAIN_VERSION, CNC_TOOLPATHS_DOMAIN, postProcessorVersion } from './versions.js';

/** Who asked, for which request, with which engine: printed into the G-code header. */
export interface ManufactureStamp {
  readonly workflow_id: string;
  /** `cncRequestHash` of the client job. */
  readonly request_hash: string;
  /** The engine's version string (e.g. CNC_ENGINE_VERSION). */
  readonly engine_version: string;
}

/** Everything take-off releases for one job, plus the validator's verdict on the program. */
export interface ManufactureResult {
  readonly job_hash: string;
  readonly machine: MachineProfile;
  readonly dialect: Dialect;
  readonly program: MotionProgram;
  /** The posted program text. */
  readonly gcode: string;
  /** `program.gcode` (grbl), `program.ngc` (linuxcnc) or `program.nc` (fanuc). */
  readonly gcode_file: string;
  /** `validateGcode(gcode, machine)`. */
  readonly validation: GcodeValidation;
  readonly summary: ToolpathSummary;
  /** Canonical JSON: domain, job_hash, dialect, versions, summary and toolpath operations. */
  readonly toolpaths_json: string;
  /** `toolpathSvg(program, machine)`. */
  readonly preview_svg: string;
  /** `engine`, `toolchain` and `post_processor` versions. */
  readonly versions: Readonly<Record<string, string>>;
}

const GCODE_FILES: Readonly<Record<Dialect, string>> = Object.freeze({
  grbl: 'program.gcode',
  linuxcnc: 'program.ngc',
  fanuc: 'program.nc',
});

/** Stamp values end up in comments: only a plain token is accepted (no comment injection). */
const STAMP_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$/;

function checkStamp(stamp: ManufactureStamp): void {
  const bad = (field: string): never => {
    throw new ClearanceError('VALIDATION_FAILED', `manufacture stamp: invalid ${field}`, {
      detail: { field },
    });
  };
  if (!STAMP_TOKEN.test(stamp.workflow_id)) bad('workflow_id');
  if (!isSha256Hex(stamp.request_hash)) bad('request_hash');
  if (!STAMP_TOKEN.test(stamp.engine_version)) bad('engine_version');
}

/**
 * Deterministic: the same job and stamp give byte-identical gcode/toolpaths_json/preview_svg.
 * Header: title, workflow id, job hash (jobHash(job)), request hash, versions (engine, toolchain,
 * post). Throws VALIDATION_FAILED for geometry the tool cannot cut or an unusable stamp; a
 * program that fails validation is returned with validation.ok === false (the caller refuses to
 * release it).
 */
export function manufactureJob(job: NormalizedJob, stamp: ManufactureStamp): ManufactureResult {
  checkStamp(stamp);
  const machine = machineProfile(job.machine);
  const dialect = machine.dialect;
  const job_hash = jobHash(job);
  const versions = {
    engine: stamp.engine_version,
    toolchain: CNC_TOOLCHAIN_VERSION,
    post_processor: postProcessorVersion(dialect),
  };
  const operations = jobOperations(job);
  const { coolant, ...cutting } = job.cutting;
  const header = {
    title: `clearance cnc job ${job_hash.slice(0, 16)}`,
    workflow_id: stamp.workflow_id,
    job_hash,
    request_hash: stamp.request_hash,
    versions,
  };
  const built = buildProgram(
    operations,
    { diameter: job.tool.diameter, type: job.tool.type },
    cutting,
    header,
  );
  const program: MotionProgram = coolant === true ? { ...built, coolant: true } : built;
  const gcode = postProcess(program, dialect);
  const summary = toolpathSummary(program);
  const toolpaths_json = canonicalize({
    domain: CNC_TOOLPATHS_DOMAIN,
    job_hash,
    dialect,
    versions,
    summary,
    operations,
  });
  return {
    job_hash,
    machine,
    dialect,
    program,
    gcode,
    gcode_file: GCODE_FILES[dialect],
    validation: validateGcode(gcode, machine),
    summary,
    toolpaths_json,
    preview_svg: toolpathSvg(program, machine),
    versions,
  };
}
