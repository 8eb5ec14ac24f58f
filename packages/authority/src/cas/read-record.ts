/**
 * The one reader of typed records read back from the content-addressed store (workflow requests,
 * plan records, stored plan-tokens, artifact sets, run artifacts, receipts, release records).
 *
 * Every record goes through the same checks, in the same order, so no reader is laxer than
 * another: the CAS re-verifies the address (CAS_NOT_FOUND, CAS_CORRUPT); the bytes must be strict
 * JSON (protocol parser: no duplicate keys, no lone surrogates), an object, and exactly their own
 * RFC 8785 canonical form (the stored bytes are the hashed bytes); the `domain` member must be the
 * expected registered tag; and the typed parse refuses unknown keys. A record failing any check
 * is CAS_CORRUPT with `detail.pointer` (artifact sets keep their pinned ARTIFACT_INVALID).
 */
import {
  canonicalBytes,
  ClearanceError,
  failWith,
  isPlainObject,
  jsonPointer,
  parseJsonStrict,
  type FailAt,
  type HashDomain,
  type JsonObject,
  type JsonValue,
} from '@clearance/protocol';
import type { ContentAddress, ContentStore } from './store.js';

/** The codes a bad record may carry: CAS_CORRUPT, or the artifact set's pinned ARTIFACT_INVALID. */
export type RecordErrorCode = 'CAS_CORRUPT' | 'ARTIFACT_INVALID';

/** Options of {@link readRecord}. */
export interface ReadRecordOptions {
  /** Code of a bad record (default CAS_CORRUPT). */
  readonly code?: RecordErrorCode;
}

/**
 * Parse of one record kind: gets the checked JSON object and a {@link FailAt} throwing the
 * record's code; must refuse unknown keys (see FieldReader.strict).
 */
export type RecordParser<T> = (record: JsonObject, fail: FailAt) => T;

/**
 * Read the record at `address`, check it (see the module comment) and return `parse(record)`.
 * `domain` is the registered tag the record's `domain` member must equal; `null` only for the
 * protocol-defined PlanToken, whose schema has no `domain` member.
 */
export async function readRecord<T>(
  cas: ContentStore,
  address: ContentAddress,
  domain: HashDomain | null,
  parse: RecordParser<T>,
  options: ReadRecordOptions = {},
): Promise<T> {
  const code = options.code ?? 'CAS_CORRUPT';
  const fail = failWith(code, `stored ${domain ?? 'record'} ${address}`);
  const bytes = await cas.get(address);
  let value: JsonValue;
  try {
    value = parseJsonStrict(bytes);
  } catch (cause) {
    if (!(cause instanceof ClearanceError)) throw cause;
    throw new ClearanceError(code, `stored record ${address} is not strict JSON`, {
      cause,
      detail: { pointer: '' },
    });
  }
  if (!isJsonObject(value)) return fail('', 'must be a JSON object');
  if (!canonicalBytes(value).equals(bytes)) fail('', 'is not canonical JSON');
  if (domain !== null && value['domain'] !== domain) fail('/domain', 'is not the expected domain');
  try {
    return parse(value, fail);
  } catch (cause) {
    // A parser's own error (e.g. a schema check) becomes the record's code; detail kept.
    if (!(cause instanceof ClearanceError) || cause.code === code) throw cause;
    throw new ClearanceError(code, `stored record ${address} is malformed`, {
      cause,
      detail: cause.detail ?? { pointer: '' },
    });
  }
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return isPlainObject(value);
}

/** The JSON object member `key` of a checked record, or `fail`. */
export function jsonObjectAt(
  record: JsonObject,
  key: string,
  at: string,
  fail: FailAt,
): JsonObject {
  const v = Object.hasOwn(record, key) ? record[key] : undefined;
  if (v === undefined || !isJsonObject(v)) return fail(jsonPointer(at, key), 'must be an object');
  return v;
}
