/**
 * What take-off of a cnc workflow must prove before anything is released (issue 4, item 4):
 *
 *   the stored job artifact is still the normalisation of the request → the authority reproduces
 *   the toolpaths and G-code itself (the generators are deterministic) and validates the program
 *   against the machine profile → the engine's output folder holds exactly those three files with
 *   exactly those bytes → they go into the content-addressed store.
 *
 * Any difference is CNC_OUTPUT_INVALID and nothing is released. Releasing to the spool folder is
 * a separate step the caller takes after this succeeded.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, constantTimeEqual, hasCode, type JsonObject } from '@clearance/protocol';
import {
  cncRequestHash,
  manufactureJob,
  renderValidation,
  type ManufactureResult,
} from '@clearance/cnc';
import type { ContentStore } from '../cas/store.js';
import { readConfinedFile } from '../plan/safe-read.js';
import type { ArtifactSet } from '../plan/index.js';
import {
  assessJob,
  assessmentHash,
  checkJobBody,
  isJobProblem,
  onlyJobArtifact,
  type CheckedJob,
} from './job.js';

/** Largest output file accepted from the engine. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** Output files besides the program. */
export const TOOLPATHS_FILE = 'toolpaths.json';
export const PREVIEW_FILE = 'preview.svg';

/** Stored outputs of a successful generation. */
export interface CncOutputs {
  readonly job: CheckedJob;
  readonly feasibilityHash: string;
  readonly riskLevel: string;
  readonly result: ManufactureResult;
  readonly gcode: string;
  readonly toolpaths: string;
  readonly preview: string;
}

/** A refused generation: nothing is stored or released. */
export interface CncRefusal {
  readonly code: 'CNC_JOB_INVALID' | 'CNC_OUTPUT_INVALID';
  readonly reason: string;
}

/** The stored job of a plan, checked against the request (CNC_JOB_INVALID otherwise). */
export async function storedJob(
  cas: ContentStore,
  set: ArtifactSet,
  config: JsonObject,
): Promise<CheckedJob> {
  const found = onlyJobArtifact(set.artifacts);
  if (isJobProblem(found)) throw new ClearanceError('CNC_JOB_INVALID', found.reason);
  const body = found.body === null ? undefined : (await cas.get(found.body.address)).toString();
  const checked = checkJobBody(body, config);
  if (isJobProblem(checked)) throw new ClearanceError('CNC_JOB_INVALID', checked.reason);
  return checked;
}

/** Reproduce, validate and compare the engine's output; store it on success. */
export async function collectCncOutput(
  cas: ContentStore,
  set: ArtifactSet,
  request: { readonly workflow_id: string; readonly config: JsonObject; readonly version: string },
  outputDir: string | undefined,
): Promise<CncOutputs | CncRefusal> {
  let job: CheckedJob;
  try {
    job = await storedJob(cas, set, request.config);
  } catch (err) {
    if (!hasCode(err, 'CNC_JOB_INVALID')) throw err;
    return { code: 'CNC_JOB_INVALID', reason: err.message };
  }
  let result: ManufactureResult;
  try {
    result = manufactureJob(job.job, {
      workflow_id: request.workflow_id,
      request_hash: cncRequestHash(request.config['job'] ?? null),
      engine_version: request.version,
    });
  } catch (err) {
    if (!hasCode(err)) throw err;
    return { code: 'CNC_JOB_INVALID', reason: `toolpaths cannot be generated: ${err.message}` };
  }
  if (!result.validation.ok) {
    return {
      code: 'CNC_OUTPUT_INVALID',
      reason: `G-code validation failed: ${renderValidation(result.validation, result.machine).slice(0, 1500)}`,
    };
  }
  const expected = new Map<string, string>([
    [result.gcode_file, result.gcode],
    [TOOLPATHS_FILE, result.toolpaths_json],
    [PREVIEW_FILE, result.preview_svg],
  ]);
  const mismatch = await compareOutput(outputDir, expected);
  if (mismatch !== undefined) return { code: 'CNC_OUTPUT_INVALID', reason: mismatch };
  const store = async (text: string): Promise<string> =>
    (await cas.put(Buffer.from(text, 'utf8'))).address;
  const [gcode, toolpaths, preview] = await Promise.all([
    store(result.gcode),
    store(result.toolpaths_json),
    store(result.preview_svg),
  ]);
  const outcome = assessJob(job.job);
  return {
    job,
    feasibilityHash: assessmentHash(outcome),
    riskLevel: outcome.risk_level,
    result,
    gcode,
    toolpaths,
    preview,
  };
}

/** Undefined when the folder holds exactly the expected files with exactly the expected bytes. */
async function compareOutput(
  dir: string | undefined,
  expected: ReadonlyMap<string, string>,
): Promise<string | undefined> {
  if (dir === undefined) return 'engine output folder is missing';
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return 'engine output folder is missing';
  }
  const wanted = [...expected.keys()].sort();
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i])) {
    return `engine output holds ${names.length} file(s), expected exactly ${wanted.join(', ')}`;
  }
  for (const [name, text] of expected) {
    let bytes: Buffer;
    try {
      bytes = await readConfinedFile(join(dir, name), MAX_OUTPUT_BYTES, {
        code: 'CNC_OUTPUT_INVALID',
        name,
      });
    } catch (err) {
      if (!hasCode(err)) throw err;
      return `engine output ${name} unreadable: ${err.message}`;
    }
    const want = Buffer.from(text, 'utf8');
    if (bytes.length !== want.length || !constantTimeEqual(bytes, want)) {
      return `engine output ${name} differs from the authority's reproduction`;
    }
  }
  return undefined;
}

/** True for a refusal. */
export function isRefusal(v: CncOutputs | CncRefusal): v is CncRefusal {
  return 'code' in v;
}
