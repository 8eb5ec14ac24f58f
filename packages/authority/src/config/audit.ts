/**
 * The `audit` section (checkpoint cadence and the checkpoint witness, issue 10 U1) and
 * `server.rate_limits` (issue 10 U3). Both are optional and strict: unknown keys are refused.
 */
import type { JsonObject } from '@clearance/protocol';
import { fail, ObjectView, readAbsolutePath, readArray, readInt, readString } from './reader.js';
import type { AuditConfig, RateLimitsConfig, WitnessConfig } from './types.js';

/** Bounds of `audit.checkpoint_every` (events between two signed checkpoints). */
export const CHECKPOINT_EVERY = { min: 1, max: 1_000_000, default: 1000 } as const;
/** Bounds of a witness command's wall time. */
export const WITNESS_TIMEOUT = { min: 100, max: 300_000, default: 10_000 } as const;
const MAX_ARGV = 64;
const MAX_ARG_LENGTH = 4096;

/**
 * Default rate limits: per client and fixed window, 60 unauthenticated (or failed-auth) requests
 * and 6000 authenticated requests per minute.
 */
export const DEFAULT_RATE_LIMITS: RateLimitsConfig = Object.freeze({
  windowMs: 60_000,
  unauthenticated: 60,
  authenticated: 6000,
});
/** Bounds of the rate-limit keys. */
export const RATE_LIMIT_BOUNDS = {
  window_ms: { min: 100, max: 3_600_000 },
  requests: { min: 1, max: 10_000_000 },
} as const;

function readArgv(value: unknown, path: string): readonly string[] {
  const items = readArray(value, path, MAX_ARGV);
  if (items.length === 0) fail(path, 'must name a program');
  const argv = items.map((a, i) => readString(a, `${path}/${i}`, { maxLength: MAX_ARG_LENGTH }));
  // The program is run without a shell and without PATH lookup: an absolute path only.
  readAbsolutePath(argv[0], `${path}/0`);
  return argv;
}

function parseWitness(value: unknown, path: string): WitnessConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['dir', 'command', 'latest', 'timeout_ms'],
  });
  if (view.has('dir') === view.has('command')) fail(path, 'must have exactly one of dir, command');
  if (view.has('dir')) {
    if (view.has('latest') || view.has('timeout_ms'))
      fail(path, 'latest and timeout_ms apply to a command witness only');
    return { kind: 'dir', dir: readAbsolutePath(view.get('dir'), view.at('dir')) };
  }
  return {
    kind: 'command',
    command: readArgv(view.get('command'), view.at('command')),
    ...(view.has('latest') ? { latest: readArgv(view.get('latest'), view.at('latest')) } : {}),
    timeoutMs: view.has('timeout_ms')
      ? readInt(
          view.get('timeout_ms'),
          view.at('timeout_ms'),
          WITNESS_TIMEOUT.min,
          WITNESS_TIMEOUT.max,
        )
      : WITNESS_TIMEOUT.default,
  };
}

/** Parse `audit` (absent: a checkpoint every 1000 events, no witness). */
export function parseAudit(value: unknown, path: string): AuditConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['checkpoint_every', 'witness'],
  });
  return {
    checkpointEvery: view.has('checkpoint_every')
      ? readInt(
          view.get('checkpoint_every'),
          view.at('checkpoint_every'),
          CHECKPOINT_EVERY.min,
          CHECKPOINT_EVERY.max,
        )
      : CHECKPOINT_EVERY.default,
    ...(view.has('witness')
      ? { witness: parseWitness(view.get('witness'), view.at('witness')) }
      : {}),
  };
}

/** Parse `server.rate_limits`; absent keys take their default. */
export function parseRateLimits(value: unknown, path: string): RateLimitsConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['window_ms', 'unauthenticated', 'authenticated'],
  });
  const { window_ms: w, requests: r } = RATE_LIMIT_BOUNDS;
  const read = (key: 'unauthenticated' | 'authenticated'): number =>
    view.has(key) ? readInt(view.get(key), view.at(key), r.min, r.max) : DEFAULT_RATE_LIMITS[key];
  const limits = {
    windowMs: view.has('window_ms')
      ? readInt(view.get('window_ms'), view.at('window_ms'), w.min, w.max)
      : DEFAULT_RATE_LIMITS.windowMs,
    unauthenticated: read('unauthenticated'),
    authenticated: read('authenticated'),
  };
  if (limits.authenticated < limits.unauthenticated)
    fail(view.at('authenticated'), 'must be at least the unauthenticated limit');
  return limits;
}

/** Normalised file form of `audit` (for the config fingerprint). */
export function auditJson(audit: AuditConfig): JsonObject {
  const w = audit.witness;
  return {
    checkpoint_every: audit.checkpointEvery,
    ...(w === undefined
      ? {}
      : {
          witness:
            w.kind === 'dir'
              ? { dir: w.dir }
              : {
                  command: [...w.command],
                  ...(w.latest === undefined ? {} : { latest: [...w.latest] }),
                  timeout_ms: w.timeoutMs,
                },
        }),
  };
}

/** Normalised file form of `server.rate_limits`. */
export function rateLimitsJson(r: RateLimitsConfig): JsonObject {
  return {
    window_ms: r.windowMs,
    unauthenticated: r.unauthenticated,
    authenticated: r.authenticated,
  };
}
