/**
 * Strict readers for the configuration file, on the protocol's strict reader. Every failure is
 * CONFIG_INVALID with the JSON pointer (RFC 6901) of the offending value in `detail.pointer`, so an
 * operator can find it without the message having to echo the (possibly long or hostile) value.
 */
import { posix } from 'node:path';
import { ClearanceError, jsonPointer, strictObject, type KeySet } from '@clearance/protocol';

export type { KeySet } from '@clearance/protocol';

/** CONFIG_INVALID pointing at `path`. */
export function configError(path: string, message: string, cause?: unknown): ClearanceError {
  const where = path === '' ? 'config' : `config${path}`;
  return new ClearanceError('CONFIG_INVALID', `${where}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    detail: { pointer: path },
  });
}

/** Throw CONFIG_INVALID pointing at `path`. */
export function fail(path: string, message: string): never {
  throw configError(path, message);
}

/** JSON pointer of `key` below `base` (`~` and `/` escaped per RFC 6901). */
export const pointer = jsonPointer;

/** A JSON object whose key set has been checked; values are read by key and narrowed by the caller. */
export class ObjectView {
  private constructor(
    /** JSON pointer of this object. */
    readonly path: string,
    private readonly record: Readonly<Record<string, unknown>>,
  ) {}

  /** Check that `value` is an object with exactly the allowed keys and every required one. */
  static of(value: unknown, path: string, keys: KeySet): ObjectView {
    return new ObjectView(path, strictObject(value, path, keys, fail));
  }

  /** JSON pointer of `key` in this object. */
  at(key: string): string {
    return pointer(this.path, key);
  }

  /** True when `key` is present. */
  has(key: string): boolean {
    return Object.hasOwn(this.record, key);
  }

  /** The value at `key`, or undefined when absent. */
  get(key: string): unknown {
    return Object.hasOwn(this.record, key) ? this.record[key] : undefined;
  }
}

/** Constraints of {@link readString}. */
export interface StringRule {
  readonly pattern?: RegExp;
  readonly maxLength: number;
}

/** A string of 1..maxLength characters, matching `pattern` when given. */
export function readString(value: unknown, path: string, rule: StringRule): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (value.length === 0 || value.length > rule.maxLength)
    fail(path, `must be 1..${rule.maxLength} characters`);
  if (rule.pattern !== undefined && !rule.pattern.test(value))
    fail(path, `must match ${String(rule.pattern)}`);
  return value;
}

/** A safe integer in [min, max]. */
export function readInt(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, 'must be an integer');
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}`);
  return value;
}

/** An array of at most `maxItems` items. */
export function readArray(value: unknown, path: string, maxItems: number): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  const items: readonly unknown[] = value;
  if (items.length > maxItems) fail(path, `must have at most ${maxItems} items`);
  return items;
}

const MAX_PATH_LENGTH = 4096;
// NUL is refused by the kernel anyway; the other control characters only ever serve to forge
// log lines, so they are refused too.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** An absolute, normalised POSIX path below `/` (no `.`/`..` segments, no `//`, no trailing `/`). */
export function readAbsolutePath(value: unknown, path: string): string {
  const p = readString(value, path, { maxLength: MAX_PATH_LENGTH });
  if (CONTROL_RE.test(p)) fail(path, 'must not contain control characters');
  if (!p.startsWith('/')) fail(path, 'must be an absolute path');
  if (p === '/' || p.endsWith('/') || posix.normalize(p) !== p)
    fail(path, 'must be a normalised absolute path below /');
  return p;
}

/**
 * A relative, normalised POSIX path that stays inside its root: no leading `/`, no `.` or `..`
 * segment, no empty segment, no trailing `/`.
 */
export function readRelativePath(value: unknown, path: string): string {
  const p = readString(value, path, { maxLength: MAX_PATH_LENGTH });
  if (CONTROL_RE.test(p)) fail(path, 'must not contain control characters');
  const segments = p.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    fail(path, 'must be a normalised relative path without . or .. segments');
  return p;
}

/** Refuse a second occurrence of the same name in a list (ids, workspace and source names). */
export class UniqueNames {
  private readonly seen = new Set<string>();

  /** Record `name`; CONFIG_INVALID at `path` when it was seen before. */
  add(name: string, path: string): void {
    if (this.seen.has(name)) fail(path, `duplicate ${JSON.stringify(name)}`);
    this.seen.add(name);
  }
}

/** Names of engines, workspaces and policy sources: a lowercase slug. */
export const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
