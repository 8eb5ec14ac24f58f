/**
 * The `job` artifact: `job/artifact.json` (canonical JSON, schema `Artifact`) and `job/body.data`
 * (the canonical normalized job). Written in flight-plan; read back in take-off from the restored
 * read-only copy, strictly: exact entries, regular files only (O_NOFOLLOW), size caps, canonical
 * bytes, and metadata that agrees with the body.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import {
  canonicalBytes,
  canonicalize,
  ClearanceError,
  Hb,
  parseJsonStrict,
  validate,
} from '@clearance/protocol';
import type { EngineArtifact, JsonValue } from '@clearance/protocol';
import { CNC_JOB_ARTIFACT_TYPE, jobHash, machineProfile, parseNormalizedJob } from '@clearance/cnc';
import type { NormalizedJob } from '@clearance/cnc';

import { refusal } from '../kit/errors.js';
import { isObject } from './input.js';

/** Name of the one artifact of a cnc flight-plan. */
export const JOB_ARTIFACT = 'job';
export const ARTIFACT_FILE = 'artifact.json';
export const BODY_FILE = 'body.data';
export const JOB_MIME = 'application/json';
/** The artifact's `action`: what take-off does with it. */
export const JOB_ACTION = 'manufacture';

const MAX_ARTIFACT_JSON_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** `metadata` of the job artifact. */
export type JobMetadata = {
  readonly job_hash: string;
  readonly machine: string;
  readonly dialect: string;
  readonly operations: number;
  readonly request_hash: string;
};

/** The metadata describing `job`, planned for the request `requestHash`. */
export function jobMetadata(job: NormalizedJob, requestHash: string): JobMetadata {
  const machine = machineProfile(job.machine);
  return {
    job_hash: jobHash(job),
    machine: machine.id,
    dialect: machine.dialect,
    operations: job.operations.length,
    request_hash: requestHash,
  };
}

function artifactValue(metadata: JobMetadata): JsonValue {
  return {
    artifact_type: CNC_JOB_ARTIFACT_TYPE,
    action: JOB_ACTION,
    mime: JOB_MIME,
    body_file: BODY_FILE,
    metadata: { ...metadata },
  };
}

/** Write `<dir>/job/` for `job` and return its receipt entry (hash = Hb(body), G-46). */
export function writeJobArtifact(
  dir: string,
  job: NormalizedJob,
  requestHash: string,
): EngineArtifact {
  const body = canonicalBytes(job);
  const json = canonicalBytes(artifactValue(jobMetadata(job, requestHash)));
  const target = join(dir, JOB_ARTIFACT);
  mkdirSync(target, { mode: 0o755 });
  // 'wx': never follow or reuse anything already there.
  writeFileSync(join(target, ARTIFACT_FILE), json, { flag: 'wx', mode: 0o644 });
  writeFileSync(join(target, BODY_FILE), body, { flag: 'wx', mode: 0o644 });
  return {
    name: JOB_ARTIFACT,
    role: 'evidence',
    path: JOB_ARTIFACT,
    hash: Hb(body),
    size: json.length + body.length,
  };
}

function bad(reason: string, message: string): never {
  return refusal('ARTIFACT_INVALID', reason, `job artifact: ${message}`);
}

/** Read a regular file (never through a symlink) of at most `max` bytes. */
function readRegular(path: string, max: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) bad('not-regular-file', 'not a regular file');
    if (stats.size > max) bad('too-large', 'file too large');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `dir` holds exactly `names`, each of the given kind (no symlinks). */
function exactEntries(dir: string, names: readonly string[], kind: 'dir' | 'file'): void {
  const entries = readdirSync(dir).sort();
  if (entries.join('\u0000') !== [...names].sort().join('\u0000')) {
    bad('entries', `expected exactly ${names.join(', ')}`);
  }
  for (const name of names) {
    const st = lstatSync(join(dir, name));
    if (kind === 'dir' ? !st.isDirectory() : !st.isFile())
      bad('entries', `${name} has the wrong type`);
  }
}

function strictJson(bytes: Buffer, what: string): JsonValue {
  try {
    const value = parseJsonStrict(bytes, { maxLength: bytes.length });
    if (canonicalize(value) !== bytes.toString('utf8'))
      bad('not-canonical', `${what} is not canonical`);
    return value;
  } catch (err) {
    if (err instanceof ClearanceError && err.code === 'ARTIFACT_INVALID') throw err;
    return refusal('ARTIFACT_INVALID', 'json', `job artifact: ${what} is not strict JSON`, err);
  }
}

/** The job and metadata of the restored artifact in `dir`, every cross-check passed. */
export function readJobArtifact(dir: string): { job: NormalizedJob; metadata: JobMetadata } {
  exactEntries(dir, [JOB_ARTIFACT], 'dir');
  const root = join(dir, JOB_ARTIFACT);
  exactEntries(root, [ARTIFACT_FILE, BODY_FILE], 'file');
  const json = readRegular(join(root, ARTIFACT_FILE), MAX_ARTIFACT_JSON_BYTES);
  const body = readRegular(join(root, BODY_FILE), MAX_BODY_BYTES);
  const meta = strictJson(json, ARTIFACT_FILE);
  if (!validate('Artifact', meta).ok) bad('schema', 'artifact.json is not an Artifact');
  let job: NormalizedJob;
  try {
    job = parseNormalizedJob(strictJson(body, BODY_FILE));
  } catch (err) {
    if (err instanceof ClearanceError && err.code === 'ARTIFACT_INVALID') throw err;
    return refusal('ARTIFACT_INVALID', 'job', 'job artifact: body is not a normalized job', err);
  }
  const planned = jobMetadataOf(meta);
  const expected = canonicalize(artifactValue(jobMetadata(job, planned.request_hash)));
  if (expected !== canonicalize(meta)) {
    refusal('ARTIFACT_INTEGRITY', 'metadata', 'job artifact: metadata does not match the job');
  }
  return { job, metadata: planned };
}

/** The metadata fields the checks need, narrowed without assertions. */
function jobMetadataOf(meta: JsonValue): JobMetadata {
  const m = isObject(meta) ? meta['metadata'] : undefined;
  if (!isObject(m)) return bad('metadata', 'no metadata');
  const { job_hash, machine, dialect, operations, request_hash } = m;
  if (
    typeof job_hash !== 'string' ||
    typeof machine !== 'string' ||
    typeof dialect !== 'string' ||
    typeof operations !== 'number' ||
    typeof request_hash !== 'string'
  ) {
    return bad('metadata', 'metadata fields have the wrong types');
  }
  return { job_hash, machine, dialect, operations, request_hash };
}
