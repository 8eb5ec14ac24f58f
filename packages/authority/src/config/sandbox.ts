/**
 * The `sandbox` section: how many engines may run at once and which host uids flight-plan
 * launches get (issue 10, U4). Every key is optional; an absent key takes the sandbox's default
 * at run time (the launch bound depends on the core count, which must not change the config
 * fingerprint).
 */
import type { JsonObject } from '@clearance/protocol';
import { fail, ObjectView, readInt } from './reader.js';
import type { SandboxConfig } from './types.js';

/** Bounds of `max_concurrent_launches`. */
export const MAX_CONCURRENT_LAUNCHES = { min: 1, max: 1024 } as const;
/** Bounds of the per-launch uid range (uid 0–999 are system accounts; 2^31-2 the last usable). */
export const LAUNCH_UID_BOUNDS = { min: 1000, max: 2 ** 31 - 2 } as const;

/** Nothing configured: every value is the sandbox default. */
export const DEFAULT_SANDBOX: SandboxConfig = Object.freeze({});

/** Parse `sandbox` (absent: {@link DEFAULT_SANDBOX}). */
export function parseSandbox(value: unknown, path: string): SandboxConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['max_concurrent_launches', 'launch_uid_first', 'launch_uid_count'],
  });
  const int = (key: string, min: number, max: number): number | undefined =>
    view.has(key) ? readInt(view.get(key), view.at(key), min, max) : undefined;
  const max = int(
    'max_concurrent_launches',
    MAX_CONCURRENT_LAUNCHES.min,
    MAX_CONCURRENT_LAUNCHES.max,
  );
  const first = int('launch_uid_first', LAUNCH_UID_BOUNDS.min, LAUNCH_UID_BOUNDS.max);
  const count = int('launch_uid_count', 1, LAUNCH_UID_BOUNDS.max);
  if ((first === undefined) !== (count === undefined)) {
    fail(
      view.at(first === undefined ? 'launch_uid_first' : 'launch_uid_count'),
      'set both or neither',
    );
  }
  if (first !== undefined && count !== undefined) {
    if (first + count - 1 > LAUNCH_UID_BOUNDS.max)
      fail(view.at('launch_uid_count'), 'range too large');
    // 65534 runs take-off and owns the workspaces: a flight-plan must never share it.
    if (first <= 65534 && 65534 < first + count) {
      fail(view.at('launch_uid_first'), 'range must not include 65534');
    }
    if (max !== undefined && count < max) {
      fail(view.at('launch_uid_count'), 'must be at least max_concurrent_launches');
    }
  }
  return {
    ...(max === undefined ? {} : { maxConcurrentLaunches: max }),
    ...(first === undefined || count === undefined ? {} : { launchUids: { first, count } }),
  };
}

/** The normalised form for the fingerprint, or undefined when nothing is configured. */
export function sandboxJson(s: SandboxConfig): JsonObject | undefined {
  if (s.maxConcurrentLaunches === undefined && s.launchUids === undefined) return undefined;
  return {
    ...(s.maxConcurrentLaunches === undefined
      ? {}
      : { max_concurrent_launches: s.maxConcurrentLaunches }),
    ...(s.launchUids === undefined
      ? {}
      : { launch_uid_first: s.launchUids.first, launch_uid_count: s.launchUids.count }),
  };
}
