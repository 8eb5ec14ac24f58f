/** The `engines` section: one strictly validated entry per engine (SEC-4 pins, limits). */
import { isSha256Hex } from '@clearance/protocol';
import { parsePublisher } from './publication.js';
import {
  fail,
  NAME_RE,
  ObjectView,
  pointer,
  readAbsolutePath,
  readArray,
  readInt,
  readString,
  UniqueNames,
} from './reader.js';
import {
  LIMIT_SPECS,
  type EngineEntry,
  type EngineLimits,
  type EngineSecret,
  type LimitKey,
} from './types.js';

const MAX_ENGINES = 256;
const MAX_ARGS = 32;
const MAX_ARG_LENGTH = 4096;
const VERSION_RE = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
// Printable ASCII without spaces: model names end up in plan-tokens and audit lines.
const MODEL_RE = /^[\x21-\x7e]{1,128}$/;
/** Interpreters come from the read-only system tree the sandbox mounts, never from elsewhere. */
const INTERPRETER_ROOT = '/usr/';

const ENGINE_KEYS = {
  required: ['id', 'version', 'executable', 'sha256'],
  optional: ['interpreter', 'args', 'model', 'publisher', 'limits', 'secrets'],
};

const MAX_SECRETS = 32;
const SECRET_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ENV_NAME_RE = /^[A-Z_][A-Z0-9_]{0,127}$/;

function readSecrets(view: ObjectView): readonly EngineSecret[] {
  if (!view.has('secrets')) return [];
  const path = view.at('secrets');
  const names = new UniqueNames();
  return readArray(view.get('secrets'), path, MAX_SECRETS).map((item, i) => {
    const at = pointer(path, i);
    const s = ObjectView.of(item, at, { required: ['name', 'env'], optional: [] });
    const name = readString(s.get('name'), s.at('name'), {
      maxLength: 64,
      pattern: SECRET_NAME_RE,
    });
    const env = readString(s.get('env'), s.at('env'), { maxLength: 128, pattern: ENV_NAME_RE });
    names.add(name, s.at('name'));
    return { name, env };
  });
}

function readLimits(value: unknown, path: string): EngineLimits {
  const keys = Object.keys(LIMIT_SPECS);
  const view = ObjectView.of(value, path, { required: [], optional: keys });
  const read = (key: LimitKey): number => {
    const spec = LIMIT_SPECS[key];
    return view.has(key) ? readInt(view.get(key), view.at(key), spec.min, spec.max) : spec.default;
  };
  return {
    wallTimeMs: read('wall_time_ms'),
    memoryBytes: read('memory_bytes'),
    stdoutBytes: read('stdout_bytes'),
    stderrBytes: read('stderr_bytes'),
    fileSizeBytes: read('file_size_bytes'),
    processes: read('processes'),
    artifactsBytes: read('artifacts_bytes'),
    artifactsCount: read('artifacts_count'),
  };
}

function readArgs(view: ObjectView): readonly string[] {
  if (!view.has('args')) return [];
  const path = view.at('args');
  return readArray(view.get('args'), path, MAX_ARGS).map((arg, i) => {
    const at = pointer(path, i);
    if (typeof arg !== 'string') fail(at, 'must be a string');
    // An empty argument is legitimate argv; only NUL cannot be passed to exec at all.
    if (arg.length > MAX_ARG_LENGTH) fail(at, `must be at most ${MAX_ARG_LENGTH} characters`);
    if (arg.includes('\u0000')) fail(at, 'must not contain NUL');
    return arg;
  });
}

function readInterpreter(view: ObjectView): { interpreter?: string } {
  if (!view.has('interpreter')) return {};
  const interpreter = readAbsolutePath(view.get('interpreter'), view.at('interpreter'));
  if (!interpreter.startsWith(INTERPRETER_ROOT))
    fail(view.at('interpreter'), `must be under ${INTERPRETER_ROOT}`);
  return { interpreter };
}

function readSha256(view: ObjectView): string {
  const sha256 = view.get('sha256');
  if (!isSha256Hex(sha256)) fail(view.at('sha256'), 'must be 64 lowercase hex characters');
  return sha256;
}

function parseEngine(value: unknown, path: string): EngineEntry {
  const view = ObjectView.of(value, path, ENGINE_KEYS);
  const id = readString(view.get('id'), view.at('id'), { maxLength: 64, pattern: NAME_RE });
  const version = readString(view.get('version'), view.at('version'), {
    maxLength: 64,
    pattern: VERSION_RE,
  });
  const executable = readAbsolutePath(view.get('executable'), view.at('executable'));
  const sha256 = readSha256(view);
  const model = view.has('model')
    ? readString(view.get('model'), view.at('model'), { maxLength: 128, pattern: MODEL_RE })
    : 'none';
  const publication = { id, version, sha256 };
  return {
    id,
    version,
    executable,
    sha256,
    ...readInterpreter(view),
    args: readArgs(view),
    model,
    ...(view.has('publisher')
      ? { publisher: parsePublisher(view.get('publisher'), view.at('publisher'), publication) }
      : {}),
    // Absent limits take every default; an explicit null is still refused by ObjectView.
    limits: readLimits(view.has('limits') ? view.get('limits') : {}, view.at('limits')),
    secrets: readSecrets(view),
  };
}

/** Parse the `engines` array; ids are unique. */
export function parseEngines(value: unknown, path: string): readonly EngineEntry[] {
  const ids = new UniqueNames();
  return readArray(value, path, MAX_ENGINES).map((item, i) => {
    const entry = parseEngine(item, pointer(path, i));
    ids.add(entry.id, pointer(pointer(path, i), 'id'));
    return entry;
  });
}
