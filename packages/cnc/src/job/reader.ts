/**
 * Strict readers for untrusted job JSON. Every refusal is VALIDATION_FAILED with an RFC 6901
 * pointer in `detail.pointer`, so a client can see exactly which field was wrong.
 */
import { ClearanceError } from '@clearance/protocol';

/** A plain object copied to its own enumerable string keys. */
export type Obj = Readonly<Record<string, unknown>>;

/** RFC 6901 pointer to `key` under `base`. */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** Throws VALIDATION_FAILED naming `at`. */
export function fail(at: string, message: string): never {
  throw new ClearanceError('VALIDATION_FAILED', `cnc job ${at || '/'}: ${message}`, {
    detail: { pointer: at },
  });
}

/** A plain JSON-like object (not null, not an array). */
export function asObject(value: unknown, at: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(at, 'must be a JSON object');
  }
  // Own enumerable string keys only: prototype keys never leak in.
  return Object.fromEntries(Object.entries(value));
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
  const first = Object.keys(obj)
    .filter((key) => !allowed.includes(key))
    .sort()[0];
  if (first !== undefined) fail(pointer(at, first), 'unknown key');
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
