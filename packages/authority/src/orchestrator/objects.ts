/**
 * Small JSON objects the orchestrator keeps in the content-addressed store (the workflow request,
 * the plan record, the stored plan-token, approval requests, receipts). They are stored as
 * canonical JSON — the stored bytes are the hashed bytes — carry a `domain` tag, and are read back
 * through the CAS, which re-verifies the address on every read.
 */
import {
  canonicalize,
  ClearanceError,
  HASH_DOMAINS,
  strictObject,
  type HashDomain,
  type KeySet,
  type JsonObject,
  type JsonValue,
} from '@clearance/protocol';
import { readRecord } from '../cas/read-record.js';
import type { ContentStore } from '../cas/store.js';
import type { WorkflowView } from '../workflow/reducer.js';
import { isRecord } from '../narrow.js';

/** Store `value` (which must carry `domain`) and return its content address. */
export async function putObject(cas: ContentStore, value: JsonObject): Promise<string> {
  if (typeof value['domain'] !== 'string') {
    throw new ClearanceError('INTERNAL', 'stored objects must carry a domain tag');
  }
  return (await cas.put(Buffer.from(canonicalize(value), 'utf8'))).address;
}

/**
 * The top-level keys of the records read back through {@link getObject}, exactly as their writers
 * store them (plan-phase, preflight-phase, cnc/takeoff): a record with any other key is refused.
 */
const OBJECT_KEYS = {
  [HASH_DOMAINS.ENGINE_RECEIPT]: { required: ['domain', 'receipt'] },
  // `requested_by` since APR-3; outcomes stored before it have none.
  [HASH_DOMAINS.PREFLIGHT_OUTCOME]: {
    required: ['domain', 'decision', 'approvals', 'evidence'],
    optional: ['requested_by'],
  },
  [HASH_DOMAINS.CNC_RELEASE_INTENT]: {
    required: ['domain', 'workflow_id', 'spool_file', 'gcode_sha256'],
  },
  [HASH_DOMAINS.CNC_RELEASE]: {
    required: [
      'domain',
      'job_hash',
      'feasibility_hash',
      'risk_level',
      'machine',
      'dialect',
      'gcode',
      'toolpaths',
      'preview',
      'spool_path',
      'versions',
    ],
  },
} as const satisfies Partial<Record<HashDomain, KeySet>>;

/** The domains of records read back through {@link getObject}. */
export type ObjectDomain = keyof typeof OBJECT_KEYS;

/**
 * Read an object back through {@link readRecord} (address, strict canonical JSON, domain tag,
 * exactly the keys its writer stores); the members are narrowed by the caller, which reads them
 * with {@link str}/{@link obj} (CAS_CORRUPT when malformed).
 */
export async function getObject(
  cas: ContentStore,
  address: string,
  domain: ObjectDomain,
): Promise<Record<string, JsonValue>> {
  return readRecord(cas, address, domain, (record, fail) => {
    strictObject(record, '', OBJECT_KEYS[domain], fail);
    return record;
  });
}

function isJsonRecord(value: unknown): value is Record<string, JsonValue> {
  return isRecord(value);
}

/** A string member, or CAS_CORRUPT. */
export function str(o: Record<string, JsonValue>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ClearanceError('CAS_CORRUPT', `stored ${key} is missing`);
  return v;
}

/** An object member, or CAS_CORRUPT. */
export function obj(o: Record<string, JsonValue>, key: string): Record<string, JsonValue> {
  const v = o[key];
  if (!isJsonRecord(v)) throw new ClearanceError('CAS_CORRUPT', `stored ${key} is missing`);
  return v;
}

/** A JSON object (not null, not an array). */
export function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

/** The content address of a recorded `clearance.*` object, or WAL_CORRUPT. */
export function requireObject(view: WorkflowView, type: string): string {
  const address = view.objects[type];
  if (address === undefined) throw new ClearanceError('WAL_CORRUPT', `workflow has no ${type}`);
  return address;
}
