/**
 * Narrowing helpers for untrusted data (policy configs, values returned by policy sources): check,
 * never assert. `snapshot` turns an arbitrary value into a private, plain-JSON deep copy first, so
 * later checks cannot be fooled by getters, prototypes or a caller mutating the value afterwards.
 */
import {
  canonicalize,
  parseJsonStrict,
  type JsonObject,
  type JsonValue,
} from '@clearance/protocol';

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a JSON array. */
export function isJsonArray(value: JsonValue | undefined): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** True for an array whose items are all strings. */
export function isStringArray(value: JsonValue | undefined): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** The own keys of `object` that are not in `allowed`, in object order. */
export function unknownKeys(object: JsonObject, allowed: readonly string[]): string[] {
  return Object.keys(object).filter((key) => !allowed.includes(key));
}

/** `object[key]` when `key` is an own property (never an inherited one such as `constructor`). */
export function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * A plain-JSON deep copy of `value` (RFC 8785 round trip through the strict parser). Throws
 * CANONICALIZATION_FAILED for anything that is not plain JSON data: undefined, functions, class
 * instances, non-finite numbers, unsafe integers, lone surrogates, cycles.
 */
export function snapshot(value: unknown): JsonValue {
  return parseJsonStrict(canonicalize(value));
}

/** One member of `values` equal to `value`, typed as the member (narrowing without a cast). */
export function memberOf<T extends string | number>(
  values: readonly T[],
  value: JsonValue | undefined,
): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** RFC 6901 escaping of one JSON pointer token (the protocol's strict reader). */
export { pointerToken } from '@clearance/protocol';
