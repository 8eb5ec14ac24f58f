/**
 * The engine's edge: EngineInput (stdin) is parsed and narrowed here once, strictly; everything
 * past this module takes typed values. argv, environment and the envelope are the engine kit's
 * (kit/input.ts). `config` is exactly `{ job }`.
 */
import { ClearanceError, parseJsonStrict } from '@clearance/protocol';
import type { JsonObject, JsonValue } from '@clearance/protocol';

import { refusal } from '../kit/errors.js';
import { readEnvelope } from '../kit/input.js';
import type { EngineEnvelope } from '../kit/input.js';

/** Largest EngineInput accepted (a job may carry a 16 MiB DXF, JSON-escaped). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** The subset of EngineInput the cnc engine uses: the envelope, and the job from `config`. */
export type CncInput = Omit<EngineEnvelope, 'config'> & {
  /** The job exactly as the client sent it (hashed into the request hash). */
  readonly job: JsonValue;
};

function refuse(reason: string, message: string): never {
  return refusal('VALIDATION_FAILED', reason, message);
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
  const { protocolVersion, mode, workflowId } = readEnvelope(value);
  // The envelope came from parseJsonStrict, so config is JSON data (or absent).
  const config = isObject(value) ? value['config'] : undefined;
  return { protocolVersion, mode, workflowId, job: jobOf(config) };
}
