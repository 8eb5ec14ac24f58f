/**
 * The engine's edge: argv, environment and EngineInput (stdin) are parsed and narrowed here once,
 * strictly; everything past this module takes typed values.
 */
import { isAbsolute } from 'node:path';

import { PatchError } from './errors.js';
import type { Limits } from './types.js';

/** The two CabinCrew modes. */
export type EngineMode = 'flight-plan' | 'take-off';

/** Defaults and hard maxima for EngineInput.config limits. */
export const DEFAULT_MAX_PATCH_BYTES = 1024 * 1024;
export const HARD_MAX_PATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
export const HARD_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The subset of EngineInput the patch engine uses. */
export type PatchInput = {
  readonly protocolVersion: string;
  readonly mode: EngineMode;
  /** The unified diff (required in flight-plan; take-off applies the artifacts, not this). */
  readonly patch: string | null;
  readonly limits: Limits;
};

/** Directories the orchestrator hands the engine through CABINCREW_* variables. */
export type EnginePaths = {
  readonly workspace: string;
  readonly artifactsDir: string;
  readonly tempDir: string;
};

function refuse(reason: string, message: string): PatchError {
  return new PatchError('VALIDATION_FAILED', reason, message);
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Narrow a string to a mode, or null. */
export function asMode(value: unknown): EngineMode | null {
  return value === 'flight-plan' || value === 'take-off' ? value : null;
}

/** The mode from argv, which must be exactly `--mode <mode>`. */
export function modeFromArgv(argv: readonly string[]): EngineMode {
  const mode = argv.length === 2 && argv[0] === '--mode' ? asMode(argv[1]) : null;
  if (mode === null) throw refuse('argv', 'usage: patch.mjs --mode <flight-plan|take-off>');
  return mode;
}

function absoluteVar(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (value === undefined || !isAbsolute(value)) throw refuse('env', `${name} must be absolute`);
  return value;
}

/** The mode and directories from the environment. */
export function readEnv(env: Readonly<Record<string, string | undefined>>): {
  readonly mode: EngineMode;
  readonly paths: EnginePaths;
} {
  const mode = asMode(env['CABINCREW_MODE']);
  if (mode === null) throw refuse('env', 'CABINCREW_MODE is missing or invalid');
  const paths = {
    workspace: absoluteVar(env, 'CABINCREW_WORKSPACE'),
    artifactsDir: absoluteVar(env, 'CABINCREW_ARTIFACTS_DIR'),
    tempDir: absoluteVar(env, 'CABINCREW_TEMP_DIR'),
  };
  return { mode, paths };
}

function limit(
  config: Record<string, unknown>,
  key: string,
  fallback: number,
  max: number,
): number {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw refuse('config', `config.${key} must be an integer in [1, ${max}]`);
  }
  return value;
}

const CONFIG_KEYS = new Set(['patch', 'max_patch_bytes', 'max_file_bytes']);

/** True when the string has no lone UTF-16 surrogate (it would not survive UTF-8 encoding). */
function isWellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

function parseConfig(config: unknown, mode: EngineMode): Pick<PatchInput, 'patch' | 'limits'> {
  const cfg = config === undefined ? {} : config;
  if (!isRecord(cfg)) throw refuse('config', 'config must be an object');
  const unknown = Object.keys(cfg).find((key) => !CONFIG_KEYS.has(key));
  if (unknown !== undefined)
    throw refuse('config', `unknown config key ${JSON.stringify(unknown)}`);
  const patch = cfg['patch'];
  if (patch !== undefined && (typeof patch !== 'string' || !isWellFormed(patch))) {
    throw refuse('config', 'config.patch must be a well-formed string');
  }
  if (mode === 'flight-plan' && patch === undefined)
    throw refuse('config', 'config.patch is required');
  const limits = {
    maxPatchBytes: limit(cfg, 'max_patch_bytes', DEFAULT_MAX_PATCH_BYTES, HARD_MAX_PATCH_BYTES),
    maxFileBytes: limit(cfg, 'max_file_bytes', DEFAULT_MAX_FILE_BYTES, HARD_MAX_FILE_BYTES),
  };
  return { patch: patch ?? null, limits };
}

/** Parse EngineInput bytes (UTF-8 JSON) into what this engine needs, refusing malformed input. */
export function parseInput(bytes: Uint8Array): PatchInput {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new PatchError('VALIDATION_FAILED', 'input', 'EngineInput is not UTF-8 JSON', {
      cause: err,
    });
  }
  if (!isRecord(value)) throw refuse('input', 'EngineInput must be an object');
  const protocolVersion = value['protocol_version'];
  const mode = asMode(value['mode']);
  const meta = value['meta'];
  if (typeof protocolVersion !== 'string' || mode === null || !isRecord(meta)) {
    throw refuse('input', 'EngineInput needs protocol_version, mode and meta');
  }
  if (typeof meta['workflow_id'] !== 'string' || typeof meta['step_id'] !== 'string') {
    throw refuse('input', 'EngineInput.meta needs workflow_id and step_id');
  }
  return { protocolVersion, mode, ...parseConfig(value['config'], mode) };
}
