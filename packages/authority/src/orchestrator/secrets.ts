/**
 * Engine secrets (SEC-2, SEC-3, S-26). A workflow names the secrets it needs (`allowed_secrets`);
 * each must be mapped for the engine in config (`engines[].secrets: [{name, env}]`). Values are
 * read from the authority's environment at each launch and travel only in `EngineInput.secrets`
 * on the engine's stdin: never in the WAL, the store, the plan-token or the audit log.
 *
 * Anything an engine hands back (receipt text, stderr) is scrubbed of the values — in every
 * encoding secret-scan.ts knows — before it is stored or audited. Collected artifacts are scanned
 * before anything is stored (scanCollected): a leaking plan fails with only names, hashes and
 * findings, and its bytes never reach the store (issue 10 B5). Preflight's known-secret source
 * stays as a second net over what is stored.
 */
import { HASH_DOMAINS, H, type JsonArray, type JsonValue } from '@clearance/protocol';
import type { PolicySource } from '@clearance/governance';
import type { EngineEntry } from '../config/index.js';
import type { ContentStore } from '../cas/store.js';
import type { ArtifactSet } from '../plan/index.js';
import { inputDigest } from '../plan/index.js';
import type { WorkflowRequest } from './records.js';
import { findSecrets, redactSecrets, secretNeedles, type SecretFinding } from './secret-scan.js';

/** Marker left where a secret value was. */
export const SECRET_MARK = '[REDACTED:engine-secret]';

/** The secret values of a launch, or the names that are not available. */
export type ResolvedSecrets =
  | { readonly ok: true; readonly values: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly missing: readonly string[] };

/** Read the allowed secrets of a request from the environment (at launch time only). */
export function resolveSecrets(
  engine: EngineEntry,
  request: WorkflowRequest,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSecrets {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of request.allowed_secrets) {
    const mapping = engine.secrets.find((s) => s.name === name);
    const value = mapping === undefined ? undefined : env[mapping.env];
    if (value === undefined || value === '') missing.push(name);
    else values[name] = value;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, values };
}

/**
 * Replace every occurrence of every secret value in `text`, in any encoding the scanner knows
 * (base64, hex, percent-encoding, case changes, whitespace splits, JSON escapes, reversed; U5).
 */
export function scrubText(text: string, values: Readonly<Record<string, string>>): string {
  return redactSecrets(text, values, SECRET_MARK);
}

/** `text` scrubbed of the values of a request's secrets (unchanged when it has none). */
export function scrubRequestSecrets(
  engine: EngineEntry,
  request: WorkflowRequest,
  text: string,
): string {
  if (request.allowed_secrets.length === 0) return text;
  const secrets = resolveSecrets(engine, request);
  return secrets.ok ? scrubText(text, secrets.values) : text;
}

/** Deep copy of a JSON value with every string scrubbed. */
export function scrubJson(value: JsonValue, values: Readonly<Record<string, string>>): JsonValue {
  if (Object.keys(values).length === 0) return value;
  if (typeof value === 'string') return scrubText(value, values);
  if (isList(value)) return value.map((v) => scrubJson(v, values));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[scrubText(k, values)] = scrubJson(v, values);
    return out;
  }
  return value;
}

function isList(v: JsonValue): v is JsonArray {
  return Array.isArray(v);
}

/** The input digest of a request (§4.2.3): config, context and the secret names, never values. */
export function requestDigest(request: WorkflowRequest): string {
  return inputDigest({
    config: request.config,
    context: request.context,
    ...(request.allowed_secrets.length === 0 ? {} : { allowed_secrets: request.allowed_secrets }),
  });
}

/**
 * A policy source for one preflight: deny when any stored artifact (artifact.json or body)
 * contains the value of a secret the engine was given (ART-10, S-26).
 */
export async function knownSecretSource(
  cas: ContentStore,
  set: ArtifactSet,
  values: Readonly<Record<string, string>>,
): Promise<PolicySource> {
  const hits: { artifact: string; secret: string }[] = [];
  const needles = secretNeedles(values);
  for (const a of set.artifacts) {
    const blobs = [await cas.get(a.meta.address)];
    if (a.body !== null) blobs.push(await cas.get(a.body.address));
    const names = new Set(blobs.flatMap((b) => findSecrets(b, needles).map((f) => f.secret)));
    for (const secret of [...names].sort()) hits.push({ artifact: a.name, secret });
  }
  const names = Object.keys(values).sort();
  return {
    name: 'secrets',
    kind: 'custom',
    digest: H(HASH_DOMAINS.SECRET_SCAN, { secrets: names }),
    evaluate: (_input, ctx) =>
      Promise.resolve([
        {
          evaluation: {
            source: 'custom',
            policy_id: 'secrets/known-value',
            decision: hits.length > 0 ? 'deny' : 'allow',
            severity: hits.length > 0 ? 3 : 0,
            reason:
              hits.length > 0
                ? `artifacts contain the value of an engine secret: ${hits.map((h) => `${h.artifact} (${h.secret})`).join(', ')}`
                : `no artifact contains the value of the ${names.length} secret(s) given to the engine`,
            evaluated_at: ctx.now(),
          },
          ...(hits.length > 0 ? { violations: ['artifact contains an engine secret'] } : {}),
        },
      ]),
  };
}

/** What the scan before storing found in one artifact: everything but the value (B5). */
export interface ArtifactLeak {
  readonly artifact: string;
  /** The artifact hash (§4.2.2), which the plan would have carried. */
  readonly hash: string;
  readonly size: number;
  /** Where the engine wrote it, relative to its artifacts folder. */
  readonly path: string;
  readonly findings: readonly SecretFinding[];
}

/**
 * Scan every collected artifact (artifact.json and body) for the values the engine was given,
 * in every encoding, before anything is stored (SEC-3, S-26). Pure over the collected bytes.
 */
export function scanCollected(
  collected: readonly {
    readonly name: string;
    readonly metaBytes: Uint8Array;
    /** artifact.json as parsed: its strings decoded (JSON `\u` escapes resolved). */
    readonly artifact?: object;
    readonly body: Uint8Array | null;
    readonly hash: string;
    readonly descriptor: { readonly size: number };
  }[],
  values: Readonly<Record<string, string>>,
): ArtifactLeak[] {
  const needles = secretNeedles(values);
  if (needles.length === 0) return [];
  const leaks: ArtifactLeak[] = [];
  for (const c of collected) {
    const parts = [
      // The folder name too: it becomes a WAL artifact id.
      { file: '', bytes: Buffer.from(c.name, 'utf8') },
      { file: 'artifact.json', bytes: c.metaBytes },
      // Parsed, as its fields (target, action, …) are stored in the artifact set: `\u` escapes
      // hide a value from the raw bytes only.
      ...(c.artifact === undefined
        ? []
        : [{ file: 'artifact.json', bytes: Buffer.from(JSON.stringify(c.artifact), 'utf8') }]),
      ...(c.body === null ? [] : [{ file: 'body.data', bytes: c.body }]),
    ];
    const reported = new Set<string>();
    for (const p of parts) {
      if (reported.has(p.file)) continue;
      const findings = findSecrets(p.bytes, needles);
      if (findings.length > 0) {
        // A leaking name is never repeated: the artifact is named by its hash instead.
        reported.add(p.file);
        const shown = p.file === '' ? `(name of artifact ${c.hash.slice(0, 16)})` : c.name;
        leaks.push({
          artifact: shown,
          hash: c.hash,
          size: c.descriptor.size,
          path: p.file === '' ? shown : `${c.name}/${p.file}`,
          findings,
        });
        if (p.file === '') break;
      }
    }
  }
  return leaks;
}

/** One line per leak for the WAL and audit: names and encodings, never a value. */
export function describeLeaks(leaks: readonly ArtifactLeak[]): string {
  return leaks
    .map(
      (l) =>
        `${l.path} (artifact ${l.artifact}, hash ${l.hash}, ${l.size} bytes): ${l.findings.map((f) => `${f.secret} as ${f.encoding}`).join(', ')}`,
    )
    .join('; ');
}
