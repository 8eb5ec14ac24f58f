/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * Everything Clearance hashes or signs is serialised here, so that one value has exactly one byte
 * encoding. Input must be plain JSON data: anything JSON.stringify would silently drop or coerce
 * (undefined, functions, symbols, bigint, NaN, Infinity, Dates, Maps, class instances, cycles) and
 * strings with lone surrogates are refused with CANONICALIZATION_FAILED instead.
 */
import { ClearanceError } from './errors.js';
import { hasLoneSurrogate } from './unicode.js';

const MAX_DEPTH = 512;

/** Canonical JSON text of `value` (RFC 8785). */
export function canonicalize(value: unknown): string {
  return serialize(value, 0, []);
}

/** Canonical JSON of `value` as UTF-8 bytes: exactly what gets hashed and stored. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function fail(message: string, path: readonly (string | number)[]): never {
  throw new ClearanceError('CANONICALIZATION_FAILED', `${message} at ${formatPath(path)}`, {
    detail: { path: formatPath(path) },
  });
}

function formatPath(path: readonly (string | number)[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function serialize(value: unknown, depth: number, path: (string | number)[]): string {
  switch (typeof value) {
    case 'string':
      if (hasLoneSurrogate(value)) fail('lone surrogate in string', path);
      // ES2019+ JSON.stringify produces exactly the RFC 8785 §3.2.2.2 string form.
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) fail('non-finite number', path);
      // Integer-valued doubles from 2^53 up to 1e21 serialise as plain digit strings, which the
      // strict parser (I-JSON) refuses as imprecise integers; refuse them here so that every
      // canonical output parses back. From 1e21 on, the exponent form is used and is fine.
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER && Math.abs(value) < 1e21) {
        fail('integer-valued number outside ±(2^53-1)', path);
      }
      // ECMAScript Number serialisation is the RFC 8785 §3.2.2.3 number form; -0 becomes 0.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) fail('nesting too deep (or a cycle)', path);
      if (Array.isArray(value)) return serializeArray(value, depth, path);
      return serializeObject(value, depth, path);
    default:
      return fail(`unsupported value of type ${typeof value}`, path);
  }
}

function serializeArray(
  value: readonly unknown[],
  depth: number,
  path: (string | number)[],
): string {
  let out = '[';
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ',';
    path.push(i);
    // Holes in sparse arrays read as undefined and are refused like any undefined.
    out += serialize(value[i], depth + 1, path);
    path.pop();
  }
  return out + ']';
}

function serializeObject(value: object, depth: number, path: (string | number)[]): string {
  return `{${objectMembers(value, depth, path)
    .map((m) => m.text)
    .join(',')}}`;
}

/** One `"key":value` member of a canonical object. */
export interface CanonicalMember {
  readonly key: string;
  readonly text: string;
}

function objectMembers(value: object, depth: number, path: (string | number)[]): CanonicalMember[] {
  const proto: unknown = Object.getPrototypeOf(value);
  // Only plain data: class instances (Date, Map, Buffer, …) would otherwise serialise lossily.
  if (proto !== Object.prototype && proto !== null) fail('not a plain object', path);
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the RFC 8785 §3.2.3 property order.
  return Object.keys(record)
    .sort()
    .map((key) => {
      if (hasLoneSurrogate(key)) fail('lone surrogate in property name', path);
      path.push(key);
      const text = JSON.stringify(key) + ':' + serialize(record[key], depth + 1, path);
      path.pop();
      return { key, text };
    });
}

/**
 * The canonical `"key":value` members of a plain object, in RFC 8785 order. Joining them with ","
 * inside braces gives exactly `canonicalize(value)`; leaving some out gives the canonical form of
 * the object without those keys, so a verifier can check a line and hash its unsigned form with a
 * single serialisation.
 */
export function canonicalMembers(value: object): CanonicalMember[] {
  if (Array.isArray(value)) fail('not a plain object', []);
  return objectMembers(value, 0, []);
}
