/**
 * The one strict reader of untrusted JSON objects (configuration, policy rules, CNC jobs,
 * feasibility input, records read back from the store): RFC 6901 pointers, exact key sets, and
 * one error shape — a ClearanceError whose `detail.pointer` names the offending value, so a
 * caller can find it without the message echoing the (possibly long or hostile) value.
 *
 * Import-free apart from the error table, so browser code may use it through
 * `@clearance/protocol/portable`.
 */
import { ClearanceError, type ErrorCode } from './errors.js';

/** A plain object copied to its own enumerable string keys. */
export type PlainObject = Readonly<Record<string, unknown>>;

/** Throws for the value at `pointer`; never returns. */
export type FailAt = (pointer: string, message: string) => never;

/** The keys an object may carry. Anything else is refused: nothing unknown carries authority. */
export interface KeySet {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
}

/** RFC 6901 escaping of one reference token (`~` → `~0`, `/` → `~1`). */
export function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** JSON pointer of `key` below `base` (`''` is the whole document). */
export function jsonPointer(base: string, key: string | number): string {
  return `${base}/${pointerToken(key)}`;
}

/**
 * The ClearanceError of a bad value: `code`, a message `<subject> <pointer>: <message>` (`/` for
 * the whole document) and `detail.pointer`.
 */
export function pointerError(
  code: ErrorCode,
  subject: string,
  pointer: string,
  message: string,
  cause?: unknown,
): ClearanceError {
  return new ClearanceError(code, `${subject} ${pointer || '/'}: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    detail: { pointer },
  });
}

/** A {@link FailAt} that throws {@link pointerError} with `code` and `subject`. */
export function failWith(code: ErrorCode, subject: string): FailAt {
  return (pointer, message) => {
    throw pointerError(code, subject, pointer, message);
  };
}

/** True for a non-null, non-array object. */
export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object copied to its own enumerable string keys (prototype keys never leak in). */
export function asObject(value: unknown, at: string, fail: FailAt): PlainObject {
  if (!isPlainObject(value)) fail(at, 'must be a JSON object');
  return Object.fromEntries(Object.entries(value));
}

/**
 * Refuse any key outside `allowed`, reporting the smallest one in code-unit order so the pointer
 * does not depend on the sender's key order.
 */
export function refuseUnknownKeys(
  obj: PlainObject,
  allowed: readonly string[] | ReadonlySet<string>,
  at: string,
  fail: FailAt,
): void {
  const known = (key: string): boolean =>
    Array.isArray(allowed) ? allowed.includes(key) : (allowed as ReadonlySet<string>).has(key);
  const first = Object.keys(obj)
    .filter((key) => !known(key))
    .sort()[0];
  if (first !== undefined) fail(jsonPointer(at, first), 'unknown key');
}

/** `value` as an object with exactly the keys of `keys`: no unknown key, every required one. */
export function strictObject(value: unknown, at: string, keys: KeySet, fail: FailAt): PlainObject {
  const obj = asObject(value, at, fail);
  refuseUnknownKeys(obj, [...keys.required, ...(keys.optional ?? [])], at, fail);
  for (const key of keys.required) {
    if (!Object.hasOwn(obj, key)) fail(jsonPointer(at, key), 'is required');
  }
  return obj;
}

/** Typed member readers over one checked object; `at` is the object's own pointer. */
export class FieldReader {
  constructor(
    readonly obj: PlainObject,
    readonly at: string,
    private readonly fail: FailAt,
  ) {}

  /** A reader over `value` after {@link strictObject}. */
  static strict(value: unknown, at: string, keys: KeySet, fail: FailAt): FieldReader {
    return new FieldReader(strictObject(value, at, keys, fail), at, fail);
  }

  /** Pointer of `key` in this object. */
  ptr(key: string): string {
    return jsonPointer(this.at, key);
  }

  /** True when `key` is an own member. */
  has(key: string): boolean {
    return Object.hasOwn(this.obj, key);
  }

  /** The member `key`, or undefined when absent (never an inherited property). */
  get(key: string): unknown {
    return this.has(key) ? this.obj[key] : undefined;
  }

  /** The member `key`; refused when absent. */
  required(key: string): unknown {
    if (!this.has(key)) this.fail(this.ptr(key), 'is required');
    return this.obj[key];
  }

  /** A string member. */
  str(key: string): string {
    const v = this.required(key);
    if (typeof v !== 'string') this.fail(this.ptr(key), 'must be a string');
    return v;
  }

  /** A string member, or undefined when absent. */
  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  /** A finite number member. */
  num(key: string): number {
    const v = this.required(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.fail(this.ptr(key), 'must be a finite number');
    }
    return v;
  }

  /** A safe integer member in [min, max]. */
  int(key: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.required(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.fail(this.ptr(key), `must be an integer between ${min} and ${max}`);
    }
    return v;
  }

  /** A boolean member. */
  bool(key: string): boolean {
    const v = this.required(key);
    if (typeof v !== 'boolean') this.fail(this.ptr(key), 'must be a boolean');
    return v;
  }

  /** An array member whose items are all strings. */
  strList(key: string): string[] {
    const v = this.required(key);
    if (!Array.isArray(v)) this.fail(this.ptr(key), 'must be an array');
    const items: readonly unknown[] = v;
    return items.map((item, i) => {
      if (typeof item !== 'string') this.fail(jsonPointer(this.ptr(key), i), 'must be a string');
      return item;
    });
  }

  /** A reader over the object member `key`, with exactly the keys of `keys`. */
  child(key: string, keys: KeySet): FieldReader {
    return FieldReader.strict(this.required(key), this.ptr(key), keys, this.fail);
  }
}
