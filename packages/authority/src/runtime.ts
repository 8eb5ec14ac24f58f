/**
 * Injected sources of time and identity (DESIGN convention 4): production uses the system clock
 * and the CSPRNG; tests pass deterministic ones so that logs and hashes are byte-stable.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** Milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

/** Identifiers and secret material. */
export interface IdSource {
  /** A random (v4) UUID, used for event ids. */
  uuid(): string;
  /** `n` unpredictable bytes, used for tokens and approval ids. */
  secretBytes(n: number): Buffer;
}

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** The CSPRNG. */
export const randomIds: IdSource = { uuid: () => randomUUID(), secretBytes: (n) => randomBytes(n) };

/** A clock that starts at `start` and advances `stepMs` on every reading (tests). */
export function steppingClock(start: number, stepMs = 1): Clock {
  let t = start - stepMs;
  return { now: () => (t += stepMs) };
}

/** Deterministic ids for tests: counters, never for production secrets. */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
    secretBytes: (len) => Buffer.alloc(len, ++n % 256),
  };
}
