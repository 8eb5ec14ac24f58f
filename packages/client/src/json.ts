/**
 * Narrowing helpers for JSON the server answered: every response is checked against its
 * documented shape before it is typed; a mismatch is `RESPONSE_INVALID`, never a silent cast.
 */
import { ApiError } from './errors.js';

/** A JSON object as parsed (members not yet checked). */
export type UnknownRecord = Readonly<Record<string, unknown>>;

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown when an answer does not have its documented shape. */
export function invalid(what: string): never {
  throw new ApiError({
    status: 0,
    code: 'RESPONSE_INVALID',
    title: 'Unexpected response',
    detail: `the server's answer does not have the expected shape (${what})`,
  });
}

/** `value` as an object, or RESPONSE_INVALID. */
export function record(value: unknown, what: string): UnknownRecord {
  return isRecord(value) ? value : invalid(what);
}

/** `value` as an array, or RESPONSE_INVALID. */
export function array(value: unknown, what: string): readonly unknown[] {
  return Array.isArray(value) ? value : invalid(what);
}

/** Member `key` of `o` as a string. */
export function str(o: UnknownRecord, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : invalid(key);
}

/** Member `key` as a string when present (undefined when absent or null). */
export function optStr(o: UnknownRecord, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : invalid(key);
}

/** Member `key` as a string or null (absent → null). */
export function strOrNull(o: UnknownRecord, key: string): string | null {
  return optStr(o, key) ?? null;
}

/** Member `key` as a finite number. */
export function num(o: UnknownRecord, key: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : invalid(key);
}

/** Member `key` as a finite number when present. */
export function optNum(o: UnknownRecord, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : invalid(key);
}

/** Member `key` as a boolean. */
export function bool(o: UnknownRecord, key: string): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : invalid(key);
}

/** Member `key` as an array of strings (absent → empty). */
export function strList(o: UnknownRecord, key: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  return array(v, key).map((item) => (typeof item === 'string' ? item : invalid(key)));
}

/** Member `key` as an array decoded item by item (absent → empty). */
export function list<T>(o: UnknownRecord, key: string, decode: (item: unknown) => T): T[] {
  const v = o[key];
  if (v === undefined) return [];
  return array(v, key).map(decode);
}

/** `{...}` with `key: value` only when value is defined (exactOptionalPropertyTypes). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  if (value === undefined) return {};
  const out: { [P in K]?: V } = {};
  out[key] = value;
  return out;
}
