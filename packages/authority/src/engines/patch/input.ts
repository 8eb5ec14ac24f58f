/**
 * The engine's edge: EngineInput (stdin) is parsed and narrowed here once, strictly; everything
 * past this module takes typed values. argv, environment and the envelope are the engine kit's
 * (kit/input.ts).
 */
import { refusal } from '../kit/errors.js';
import { isRecord, readEnvelope } from '../kit/input.js';
import type { EngineEnvelope, EngineMode } from '../kit/input.js';
import type { Limits } from './types.js';

/** Defaults and hard maxima for EngineInput.config limits. */
export const DEFAULT_MAX_PATCH_BYTES = 1024 * 1024;
export const HARD_MAX_PATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
export const HARD_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The subset of EngineInput the patch engine uses. */
export type PatchInput = Pick<EngineEnvelope, 'protocolVersion' | 'mode'> & {
  /** The unified diff (required in flight-plan; take-off applies the artifacts, not this). */
  readonly patch: string | null;
  readonly limits: Limits;
};

function refuse(reason: string, message: string): never {
  return refusal('VALIDATION_FAILED', reason, message);
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
    refuse('config', `config.${key} must be an integer in [1, ${max}]`);
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
  if (!isRecord(cfg)) refuse('config', 'config must be an object');
  const unknown = Object.keys(cfg).find((key) => !CONFIG_KEYS.has(key));
  if (unknown !== undefined) refuse('config', `unknown config key ${JSON.stringify(unknown)}`);
  const patch = cfg['patch'];
  if (patch !== undefined && (typeof patch !== 'string' || !isWellFormed(patch))) {
    refuse('config', 'config.patch must be a well-formed string');
  }
  if (mode === 'flight-plan' && patch === undefined) refuse('config', 'config.patch is required');
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
    return refusal('VALIDATION_FAILED', 'input', 'EngineInput is not UTF-8 JSON', err);
  }
  const { protocolVersion, mode, config } = readEnvelope(value);
  return { protocolVersion, mode, ...parseConfig(config, mode) };
}
