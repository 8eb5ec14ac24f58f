/**
 * Strict readers for untrusted job JSON. Every refusal is VALIDATION_FAILED with an RFC 6901
 * pointer in `detail.pointer`, so a client can see exactly which field was wrong.
 */
import {
  asObject as objectAt,
  failWith,
  jsonPointer,
  refuseUnknownKeys as refuseKeys,
  type FailAt,
  type PlainObject,
} from '@clearance/protocol';

/** A plain object copied to its own enumerable string keys. */
export type Obj = PlainObject;

/** RFC 6901 pointer to `key` under `base`. */
export const pointer = jsonPointer;

/** Throws VALIDATION_FAILED naming `at` (the protocol's strict reader). */
export const fail: FailAt = failWith('VALIDATION_FAILED', 'cnc job');

/** A plain JSON-like object (not null, not an array), copied to its own enumerable string keys. */
export function asObject(value: unknown, at: string): Obj {
  return objectAt(value, at, fail);
}

/** An array of at most `max` items. */
export function asArray(value: unknown, at: string, max: number): readonly unknown[] {
  if (!Array.isArray(value)) fail(at, 'must be an array');
  const items: readonly unknown[] = value;
  if (items.length > max) fail(at, `at most ${max} items`);
  return items;
}

/** Refuses any key outside `allowed` (the smallest one in code-unit order, for stability). */
export function refuseUnknownKeys(obj: Obj, allowed: readonly string[], at: string): void {
  refuseKeys(obj, allowed, at, fail);
}

/** Typed field readers over one object; `at` is the object's own pointer. */
export class Reader {
  constructor(
    readonly obj: Obj,
    readonly at: string,
  ) {}

  /** Pointer to `key` of this object. */
  ptr(key: string): string {
    return pointer(this.at, key);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  get(key: string): unknown {
    if (!this.has(key)) fail(this.ptr(key), 'required');
    return this.obj[key];
  }

  num(key: string): number {
    const value = this.get(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(this.ptr(key), 'must be a finite number');
    }
    return value;
  }

  /** A finite number > 0. */
  pos(key: string): number {
    const value = this.num(key);
    if (value <= 0) fail(this.ptr(key), 'must be > 0');
    return value;
  }

  /** A finite number ≥ 0. */
  nonNeg(key: string): number {
    const value = this.num(key);
    if (value < 0) fail(this.ptr(key), 'must be >= 0');
    return value;
  }

  str(key: string, maxLength: number): string {
    const value = this.get(key);
    if (typeof value !== 'string') fail(this.ptr(key), 'must be a string');
    if (value.length > maxLength) fail(this.ptr(key), `at most ${maxLength} characters`);
    return value;
  }

  bool(key: string): boolean {
    const value = this.get(key);
    if (typeof value !== 'boolean') fail(this.ptr(key), 'must be a boolean');
    return value;
  }

  /** One of `choices`. */
  oneOf<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.get(key);
    const found = choices.find((c) => c === value);
    if (found === undefined) fail(this.ptr(key), `must be one of ${choices.join(', ')}`);
    return found;
  }
}
