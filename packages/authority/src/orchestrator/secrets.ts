/**
 * Engine secrets (SEC-2, SEC-3, S-26). A workflow names the secrets it needs (`allowed_secrets`);
 * each must be mapped for the engine in config (`engines[].secrets: [{name, env}]`). Values are
 * read from the authority's environment at each launch and travel only in `EngineInput.secrets`
 * on the engine's stdin: never in the WAL, the store, the plan-token or the audit log.
 *
 * Anything an engine hands back (receipt text, stderr) is scrubbed of the values before it is
 * stored or audited, and preflight denies a plan whose artifacts contain one (known-secret scan).
 */
import { H, type JsonArray, type JsonValue } from '@clearance/protocol';
import type { PolicySource } from '@clearance/governance';
import type { EngineEntry } from '../config/index.js';
import type { ContentStore } from '../cas/store.js';
import type { ArtifactSet } from '../plan/index.js';
import { inputDigest } from '../plan/index.js';
import type { WorkflowRequest } from './records.js';

/** Marker left where a secret value was. */
export const SECRET_MARK = '[REDACTED:engine-secret]';
/** Shorter values are not scrubbed by substring (they would match everywhere); config warns. */
const MIN_SCRUB_LENGTH = 4;

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

/** Replace every occurrence of every secret value in `text`. */
export function scrubText(text: string, values: Readonly<Record<string, string>>): string {
  let out = text;
  for (const v of Object.values(values)) {
    if (v.length >= MIN_SCRUB_LENGTH) out = out.split(v).join(SECRET_MARK);
  }
  return out;
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
  for (const a of set.artifacts) {
    const blobs = [await cas.get(a.meta.address)];
    if (a.body !== null) blobs.push(await cas.get(a.body.address));
    for (const [name, value] of Object.entries(values)) {
      if (value.length > 0 && blobs.some((b) => b.includes(Buffer.from(value, 'utf8')))) {
        hits.push({ artifact: a.name, secret: name });
      }
    }
  }
  const names = Object.keys(values).sort();
  return {
    name: 'secrets',
    kind: 'custom',
    digest: H('clearance.secret-scan.v1', { secrets: names }),
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
