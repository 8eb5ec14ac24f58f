/**
 * Request bodies: one strict JSON parser (duplicate keys, lone surrogates and unsafe integers are
 * refused with their own codes) in place of Fastify's, a size limit, and the stripping of
 * authority fields a client may try to smuggle into a proposal (RMOS trust boundary: feasibility,
 * safety and decisions are computed by the authority, never taken from the client).
 */
import { parseJsonStrict, type JsonObject, type JsonValue } from '@clearance/protocol';
import { CLIENT_VERDICT_KEYS } from '@clearance/protocol/portable';
import type { FastifyInstance } from 'fastify';

/** Default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Deepest nesting accepted in a request body. */
export const MAX_BODY_DEPTH = 64;

/**
 * Replace every content-type parser with the strict JSON one: bodies must be application/json
 * (anything else is 415, answered as VALIDATION_FAILED). The limit is enforced by Fastify while
 * reading, before the parser sees a byte.
 */
export function installStrictJson(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (_request, body, done) => {
      try {
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        done(null, parseJsonStrict(bytes, { maxLength: bodyLimit, maxDepth: MAX_BODY_DEPTH }));
      } catch (err) {
        done(err instanceof Error ? err : new Error('body could not be parsed'), undefined);
      }
    },
  );
}

/**
 * Keys a client must never supply: the authority computes them (RMOS S1, DESIGN step 1). The one
 * list of the CNC wire contract, which the job parser refuses by the same names.
 */
export const AUTHORITY_FIELDS: readonly string[] = CLIENT_VERDICT_KEYS;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy of `o` without the authority fields; removed keys are reported as `${path}.${key}`. */
function without(o: JsonObject, path: string, stripped: string[]): JsonObject {
  const kept: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(o)) {
    if (AUTHORITY_FIELDS.includes(key)) stripped.push(`${path}.${key}`);
    else kept.push([key, value]);
  }
  // fromEntries defines own data properties, so a "__proto__" key stays an ordinary key.
  return Object.fromEntries(kept);
}

/**
 * Remove the authority fields from a proposal body: at its top level, in `input`, and at the top
 * level of `input.config`, `input.config.job` and `input.context`. Returns the cleaned body and the JSONPath of every
 * removed key (`$.input.config.score`). Non-object parts are left for schema validation to refuse.
 */
export function stripAuthorityFields(body: unknown): { body: unknown; stripped: string[] } {
  if (!isObject(body)) return { body, stripped: [] };
  const stripped: string[] = [];
  const top = without(body, '$', stripped);
  const input = top['input'];
  if (!isObject(input)) return { body: top, stripped };
  const inner = without(input, '$.input', stripped);
  const cleanInput = replace(inner, (key, value) => {
    if (key === 'context' && isObject(value)) return without(value, '$.input.context', stripped);
    if (key !== 'config' || !isObject(value)) return value;
    // A cnc job's own top level too (`input.config.job`): a verdict hidden there is removed.
    const config = without(value, '$.input.config', stripped);
    return replace(config, (k, v) =>
      k === 'job' && isObject(v) ? without(v, '$.input.config.job', stripped) : v,
    );
  });
  return { body: replace(top, (key, value) => (key === 'input' ? cleanInput : value)), stripped };
}

/**
 * The same for an RMOS job body `{job, workspace?}`: authority fields are removed at its top level
 * and at the top level of `job`, and reported as `$.risk_level`, `$.job.safety`, ….
 */
export function stripJobFields(body: unknown): { body: unknown; stripped: string[] } {
  if (!isObject(body)) return { body, stripped: [] };
  const stripped: string[] = [];
  const top = without(body, '$', stripped);
  const clean = replace(top, (key, value) =>
    key === 'job' && isObject(value) ? without(value, '$.job', stripped) : value,
  );
  return { body: clean, stripped };
}

function replace(o: JsonObject, fn: (key: string, value: JsonValue) => JsonValue): JsonObject {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(k, v)]));
}
