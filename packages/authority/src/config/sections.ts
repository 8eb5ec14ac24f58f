/** The `workspaces`, `policy`, `approvals` and `server` sections of the configuration. */
import { isIP } from 'node:net';
import { ROLE_NAME_RE, type JsonObject, type JsonValue } from '@clearance/protocol';
import { isRecord } from '../narrow.js';
import { parseRateLimits } from './audit.js';
import {
  fail,
  NAME_RE,
  ObjectView,
  pointer,
  readAbsolutePath,
  readArray,
  readInt,
  readRelativePath,
  readString,
  UniqueNames,
} from './reader.js';
import type {
  ApprovalsConfig,
  PolicyConfig,
  PolicySourceConfig,
  ServerConfig,
  WorkspaceEntry,
} from './types.js';

const MAX_WORKSPACES = 256;
const MAX_EXCLUDES = 256;
const MAX_SOURCES = 64;
const RESERVED_SOURCE_NAME = 'preflight';
const KIND_RE = /^[a-z][a-z0-9_-]{0,31}$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Policy defaults and bounds. */
export const POLICY_TIMEOUT = { min: 10, max: 300_000, default: 5000 } as const;
/** Approval TTL bounds: one second to one year. */
export const APPROVAL_TTL = { min: 1000, max: 365 * 24 * 3_600_000 } as const;
/** Default listen address: loopback only. */
export const DEFAULT_SERVER: ServerConfig = Object.freeze({ host: '127.0.0.1', port: 8787 });

/**
 * Aggregation names accepted in the file. `unanimous` and `all_allow` reduce to the same result as
 * most_restrictive (§4.2.6); `majority` can let an allow outvote a deny, `any_deny` leaves the
 * non-deny case undefined and `custom` is undefined, so those three are refused (G-16, PRE-6).
 */
const AGGREGATION_ALIASES: ReadonlySet<string> = new Set([
  'most_restrictive',
  'unanimous',
  'all_allow',
]);

/** Parse `workspaces` (absent means none); names are unique. */
export function parseWorkspaces(value: unknown, path: string): readonly WorkspaceEntry[] {
  const names = new UniqueNames();
  return readArray(value, path, MAX_WORKSPACES).map((item, i) => {
    const view = ObjectView.of(item, pointer(path, i), {
      required: ['name', 'path'],
      optional: ['exclude'],
    });
    const name = readString(view.get('name'), view.at('name'), { maxLength: 64, pattern: NAME_RE });
    names.add(name, view.at('name'));
    const excludes = new UniqueNames();
    const exclude = view.has('exclude')
      ? readArray(view.get('exclude'), view.at('exclude'), MAX_EXCLUDES).map((e, j) => {
          const at = pointer(view.at('exclude'), j);
          const rel = readRelativePath(e, at);
          excludes.add(rel, at);
          return rel;
        })
      : [];
    return { name, path: readAbsolutePath(view.get('path'), view.at('path')), exclude };
  });
}

/** A deep copy of parsed JSON, typed as JSON (the value came from parseJsonStrict). */
function copyJson(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) {
    const items: readonly unknown[] = value;
    return items.map((v, i) => copyJson(v, pointer(path, i)));
  }
  if (isRecord(value)) return copyObject(value, path);
  return fail(path, 'must be JSON');
}

function copyObject(value: Readonly<Record<string, unknown>>, path: string): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a "__proto__" key stays an ordinary own property of the copy.
    Object.defineProperty(out, k, {
      value: copyJson(v, pointer(path, k)),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function parseSource(value: unknown, path: string): PolicySourceConfig {
  const view = ObjectView.of(value, path, { required: ['name', 'kind'], optional: ['config'] });
  const name = readString(view.get('name'), view.at('name'), { maxLength: 64, pattern: NAME_RE });
  // `preflight/…` policy ids are synthesised by governance itself (PRE-14 deny, invalid input);
  // a configured source must not be able to forge them.
  if (name === RESERVED_SOURCE_NAME) fail(view.at('name'), 'is reserved');
  // The kind is checked against the governance package's list when the sources are built.
  const kind = readString(view.get('kind'), view.at('kind'), { maxLength: 32, pattern: KIND_RE });
  const raw = view.has('config') ? view.get('config') : {};
  if (!isRecord(raw)) fail(view.at('config'), 'must be an object');
  return { name, kind, config: copyObject(raw, view.at('config')) };
}

/**
 * Parse `policy`. There is no key that disables preflight (PRE-1): unknown keys such as
 * `skip_preflight` are refused like any other.
 */
export function parsePolicy(value: unknown, path: string): PolicyConfig {
  const view = ObjectView.of(value, path, {
    required: ['sources'],
    optional: ['timeout_ms', 'aggregation'],
  });
  const timeoutMs = view.has('timeout_ms')
    ? readInt(view.get('timeout_ms'), view.at('timeout_ms'), POLICY_TIMEOUT.min, POLICY_TIMEOUT.max)
    : POLICY_TIMEOUT.default;
  if (view.has('aggregation')) {
    const aggregation = view.get('aggregation');
    if (typeof aggregation !== 'string' || !AGGREGATION_ALIASES.has(aggregation))
      fail(
        view.at('aggregation'),
        'must be most_restrictive (or its aliases unanimous, all_allow)',
      );
  }
  const names = new UniqueNames();
  const sources = readArray(view.get('sources'), view.at('sources'), MAX_SOURCES).map((s, i) => {
    const source = parseSource(s, pointer(view.at('sources'), i));
    names.add(source.name, pointer(pointer(view.at('sources'), i), 'name'));
    return source;
  });
  return { timeoutMs, aggregation: 'most_restrictive', sources };
}

/** Parse `approvals` (absent: no TTL, no signature required, rejecters may not re-approve). */
export function parseApprovals(value: unknown, path: string): ApprovalsConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['ttl_ms', 'require_signature', 'allow_rejecter_reapproval'],
  });
  let requireSignature: string[] | undefined;
  if (view.has('require_signature')) {
    const at = view.at('require_signature');
    const roles = readArray(view.get('require_signature'), at, 64).map((r, i) =>
      readString(r, pointer(at, i), { maxLength: 32, pattern: ROLE_NAME_RE }),
    );
    // Sorted and de-duplicated, so the config fingerprint does not depend on spelling.
    if (roles.length > 0) requireSignature = [...new Set(roles)].sort();
  }
  let allowRejecterReapproval = false;
  if (view.has('allow_rejecter_reapproval')) {
    const v = view.get('allow_rejecter_reapproval');
    if (typeof v !== 'boolean') fail(view.at('allow_rejecter_reapproval'), 'must be a boolean');
    allowRejecterReapproval = v;
  }
  return {
    ...(view.has('ttl_ms')
      ? {
          ttlMs: readInt(view.get('ttl_ms'), view.at('ttl_ms'), APPROVAL_TTL.min, APPROVAL_TTL.max),
        }
      : {}),
    ...(requireSignature === undefined ? {} : { requireSignature }),
    ...(allowRejecterReapproval ? { allowRejecterReapproval } : {}),
  };
}

/** The file form of `approvals` (defaults left out, so older fingerprints are unchanged). */
export function approvalsJson(a: ApprovalsConfig): JsonObject {
  return {
    ...(a.ttlMs === undefined ? {} : { ttl_ms: a.ttlMs }),
    ...(a.requireSignature === undefined ? {} : { require_signature: [...a.requireSignature] }),
    ...(a.allowRejecterReapproval === true ? { allow_rejecter_reapproval: true } : {}),
  };
}

/** Parse `server` (absent: 127.0.0.1:8787). Port 0 asks the OS for a free port (tests). */
export function parseServer(value: unknown, path: string): ServerConfig {
  const view = ObjectView.of(value, path, {
    required: [],
    optional: ['host', 'port', 'rate_limits'],
  });
  const host = view.has('host')
    ? readString(view.get('host'), view.at('host'), { maxLength: 253 })
    : DEFAULT_SERVER.host;
  if (isIP(host) === 0 && !HOSTNAME_RE.test(host))
    fail(view.at('host'), 'must be an IP address or a host name');
  const port = view.has('port')
    ? readInt(view.get('port'), view.at('port'), 0, 65_535)
    : DEFAULT_SERVER.port;
  if (!view.has('rate_limits')) return { host, port };
  return {
    host,
    port,
    rateLimits: parseRateLimits(view.get('rate_limits'), view.at('rate_limits')),
  };
}
