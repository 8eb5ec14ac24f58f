/**
 * The engine's edge: argv, environment and EngineInput (stdin) are parsed and narrowed here once,
 * strictly; everything past this module takes typed values. `config` is exactly `{ job }`.
 */
import { isAbsolute } from 'node:path';

import { ClearanceError, parseJsonStrict } from '@clearance/protocol';
import type { JsonObject, JsonValue } from '@clearance/protocol';

import { refusal } from './errors.js';

/** The two CabinCrew modes. */
export type EngineMode = 'flight-plan' | 'take-off';

/** Largest EngineInput accepted (a job may carry a 16 MiB DXF, JSON-escaped). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Directories the orchestrator hands the engine through CABINCREW_* variables. */
export type EnginePaths = {
  readonly workspace: string;
  readonly artifactsDir: string;
  readonly tempDir: string;
};

/** The subset of EngineInput the cnc engine uses. */
export type CncInput = {
  readonly protocolVersion: string;
  readonly mode: EngineMode;
  readonly workflowId: string;
  /** The job exactly as the client sent it (hashed into the request hash). */
  readonly job: JsonValue;
};

type Env = Readonly<Record<string, string | undefined>>;

function refuse(reason: string, message: string): never {
  return refusal('VALIDATION_FAILED', reason, message);
}

/** Narrow a value to a mode, or null. */
export function asMode(value: unknown): EngineMode | null {
  return value === 'flight-plan' || value === 'take-off' ? value : null;
}

/** The mode from argv, which must be exactly `--mode <mode>`. */
export function modeFromArgv(argv: readonly string[]): EngineMode {
  const mode = argv.length === 2 && argv[0] === '--mode' ? asMode(argv[1]) : null;
  if (mode === null) refuse('argv', 'usage: cnc.mjs --mode <flight-plan|take-off>');
  return mode;
}

function absoluteVar(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || !isAbsolute(value)) refuse('env', `${name} must be absolute`);
  return value;
}

/** The mode and directories from the environment. */
export function readEnv(env: Env): { readonly mode: EngineMode; readonly paths: EnginePaths } {
  const mode = asMode(env['CABINCREW_MODE']);
  if (mode === null) refuse('env', 'CABINCREW_MODE is missing or invalid');
  return {
    mode,
    paths: {
      workspace: absoluteVar(env, 'CABINCREW_WORKSPACE'),
      artifactsDir: absoluteVar(env, 'CABINCREW_ARTIFACTS_DIR'),
      tempDir: absoluteVar(env, 'CABINCREW_TEMP_DIR'),
    },
  };
}

/** True for a JSON object (not null, not an array). */
export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `config` must be exactly `{ "job": <object> }`. */
function jobOf(config: JsonValue | undefined): JsonObject {
  if (!isObject(config)) refuse('config', 'config must be an object');
  const extra = Object.keys(config).filter((key) => key !== 'job');
  if (extra.length > 0) refuse('config', `unknown config key ${JSON.stringify(extra.sort()[0])}`);
  const job = config['job'];
  if (!isObject(job)) refuse('config', 'config.job must be a JSON object');
  return job;
}

/** Parse EngineInput bytes (strict UTF-8 JSON) into what this engine needs. */
export function parseInput(bytes: Uint8Array): CncInput {
  let value: JsonValue;
  try {
    value = parseJsonStrict(bytes, { maxLength: MAX_INPUT_BYTES });
  } catch (err) {
    if (!(err instanceof ClearanceError)) throw err;
    return refusal('VALIDATION_FAILED', 'input', 'EngineInput is not strict UTF-8 JSON', err);
  }
  if (!isObject(value)) refuse('input', 'EngineInput must be an object');
  const protocolVersion = value['protocol_version'];
  const mode = asMode(value['mode']);
  const meta = value['meta'];
  if (typeof protocolVersion !== 'string' || mode === null || !isObject(meta)) {
    refuse('input', 'EngineInput needs protocol_version, mode and meta');
  }
  const workflowId = meta['workflow_id'];
  if (typeof workflowId !== 'string' || typeof meta['step_id'] !== 'string') {
    refuse('input', 'EngineInput.meta needs workflow_id and step_id');
  }
  return { protocolVersion, mode, workflowId, job: jobOf(value['config']) };
}
