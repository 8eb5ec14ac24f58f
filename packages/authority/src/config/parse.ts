/**
 * parseConfig: the one place the configuration file is turned into trusted values. Pure: no I/O
 * (publisher signatures are checked here too, so a config with a bad signature never loads).
 */
import {
  HASH_DOMAINS,
  ClearanceError,
  H,
  hasCode,
  parseJsonStrict,
  type JsonObject,
} from '@clearance/protocol';
import { auditJson, parseAudit, rateLimitsJson } from './audit.js';
import { cncJson, DEFAULT_CNC, parseCnc } from './cnc.js';
import { parseEngines } from './engines.js';
import { DEFAULT_SANDBOX, parseSandbox, sandboxJson } from './sandbox.js';
import { configError, fail, ObjectView } from './reader.js';
import {
  DEFAULT_SERVER,
  approvalsJson,
  parseApprovals,
  parsePolicy,
  parseServer,
  parseWorkspaces,
} from './sections.js';
import type { ClearanceConfig, EngineEntry, WorkspaceEntry } from './types.js';

/** Hash domain of the config fingerprint. */
export const CONFIG_DOMAIN = HASH_DOMAINS.CONFIG;
/** Largest accepted configuration file (policy sources may carry rule tables). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 64;

const TOP_KEYS = {
  required: ['version', 'engines', 'policy'],
  optional: ['workspaces', 'approvals', 'server', 'cnc', 'audit', 'sandbox'],
};

function parseJson(text: string | Uint8Array): unknown {
  try {
    return parseJsonStrict(text, { maxLength: MAX_CONFIG_BYTES, maxDepth: MAX_DEPTH });
  } catch (err) {
    if (!hasCode(err)) throw err;
    // Keep one code for every config problem; the JSON code and offset stay in the detail.
    const offset = err.detail?.['offset'];
    throw new ClearanceError('CONFIG_INVALID', `config is not strict JSON: ${err.message}`, {
      cause: err,
      detail: { pointer: '', reason: err.code, ...(typeof offset === 'number' ? { offset } : {}) },
    });
  }
}

function engineJson(e: EngineEntry): JsonObject {
  const l = e.limits;
  return {
    id: e.id,
    version: e.version,
    executable: e.executable,
    sha256: e.sha256,
    ...(e.interpreter === undefined ? {} : { interpreter: e.interpreter }),
    args: e.args,
    model: e.model,
    ...(e.publisher === undefined
      ? {}
      : { publisher: { key: e.publisher.key, signature: e.publisher.signature } }),
    limits: {
      wall_time_ms: l.wallTimeMs,
      memory_bytes: l.memoryBytes,
      stdout_bytes: l.stdoutBytes,
      stderr_bytes: l.stderrBytes,
      file_size_bytes: l.fileSizeBytes,
      processes: l.processes,
      artifacts_bytes: l.artifactsBytes,
      artifacts_count: l.artifactsCount,
    },
    ...(e.secrets.length === 0
      ? {}
      : { secrets: e.secrets.map((s) => ({ name: s.name, env: s.env })) }),
  };
}

function workspaceJson(w: WorkspaceEntry): JsonObject {
  return { name: w.name, path: w.path, exclude: w.exclude };
}

/**
 * The normalised file form of a parsed config: every default filled in, aliases resolved, derived
 * values (key references, the digest) left out. Its hash is the config fingerprint, so two files
 * that configure the same behaviour have the same fingerprint whatever their key order, spacing or
 * spelled-out defaults. The form is pinned: changing it changes every recorded fingerprint.
 */
export function configJson(config: Omit<ClearanceConfig, 'digest'>): JsonObject {
  const { policy, approvals, server } = config;
  const cnc = cncJson(config.cnc);
  const sandbox = sandboxJson(config.sandbox);
  return {
    version: config.version,
    engines: config.engines.map(engineJson),
    workspaces: config.workspaces.map(workspaceJson),
    policy: {
      timeout_ms: policy.timeoutMs,
      aggregation: policy.aggregation,
      sources: policy.sources.map((s) => ({ name: s.name, kind: s.kind, config: s.config })),
    },
    approvals: approvalsJson(approvals),
    server: {
      host: server.host,
      port: server.port,
      // Only when configured: fingerprints of files without the key stay what they were.
      ...(server.rateLimits === undefined
        ? {}
        : { rate_limits: rateLimitsJson(server.rateLimits) }),
    },
    ...(cnc === undefined ? {} : { cnc }),
    ...(config.audit === undefined ? {} : { audit: auditJson(config.audit) }),
    ...(sandbox === undefined ? {} : { sandbox }),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    const children: unknown[] = Object.values(value);
    for (const child of children) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parse and validate configuration text (or UTF-8 bytes). Every problem is CONFIG_INVALID with a
 * JSON pointer in `detail.path`, except a publisher signature that does not verify
 * (ENGINE_SIGNATURE_INVALID). The result is deeply frozen.
 */
export function parseConfig(text: string | Uint8Array): ClearanceConfig {
  const view = ObjectView.of(parseJson(text), '', TOP_KEYS);
  if (view.get('version') !== 1) fail(view.at('version'), 'must be 1');
  const body: Omit<ClearanceConfig, 'digest'> = {
    version: 1,
    engines: parseEngines(view.get('engines'), view.at('engines')),
    workspaces: view.has('workspaces')
      ? parseWorkspaces(view.get('workspaces'), view.at('workspaces'))
      : [],
    policy: parsePolicy(view.get('policy'), view.at('policy')),
    approvals: view.has('approvals')
      ? parseApprovals(view.get('approvals'), view.at('approvals'))
      : {},
    server: view.has('server')
      ? parseServer(view.get('server'), view.at('server'))
      : DEFAULT_SERVER,
    cnc: view.has('cnc') ? parseCnc(view.get('cnc'), view.at('cnc')) : DEFAULT_CNC,
    ...(view.has('audit') ? { audit: parseAudit(view.get('audit'), view.at('audit')) } : {}),
    sandbox: view.has('sandbox')
      ? parseSandbox(view.get('sandbox'), view.at('sandbox'))
      : DEFAULT_SANDBOX,
  };
  let digest: string;
  try {
    digest = H(CONFIG_DOMAIN, configJson(body));
  } catch (cause) {
    // Unreachable for strictly parsed input; kept so a canonicalisation bug cannot escape untyped.
    throw configError('', 'cannot be canonicalised', cause);
  }
  return deepFreeze({
    ...body,
    server: { ...body.server },
    cnc: { ...body.cnc },
    sandbox: { ...body.sandbox },
    digest,
  });
}
