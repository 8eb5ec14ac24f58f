/**
 * Validators for the vendored CabinCrew schema (draft-07, ajv 8 + ajv-formats).
 *
 * `validate(name, value)` checks any object against `#/definitions/<name>`; `assertValid` throws
 * SCHEMA_INVALID listing every failing path. Rules the schema cannot express live in profile.ts.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ClearanceError } from './errors.js';
import { DEFINITION_NAMES, type DefinitionName } from './types/index.js';

/** One schema violation: JSON pointer into the value and ajv's message. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** Result of validating a value against a definition. */
export type SchemaResult =
  { readonly ok: true } | { readonly ok: false; readonly issues: readonly SchemaIssue[] };

const SCHEMA_ID = 'cabincrew';

// The schema is a package asset next to src/ and dist/; it is read once, at load, never written.
const schemaDocument: unknown = JSON.parse(
  readFileSync(new URL('../schema/cabincrew.schema.json', import.meta.url), 'utf8'),
);

let ajvInstance: Ajv | undefined;
const compiled = new Map<DefinitionName, ValidateFunction>();

function ajv(): Ajv {
  if (ajvInstance === undefined) {
    const instance = new Ajv({ allErrors: true, strict: true, strictTuples: false });
    // ajv-formats is CommonJS: under NodeNext its default import is the module object.
    addFormatsModule.default(instance, ['date-time']);
    instance.addSchema(schemaDocument as object, SCHEMA_ID);
    ajvInstance = instance;
  }
  return ajvInstance;
}

function validatorFor(name: DefinitionName): ValidateFunction {
  let fn = compiled.get(name);
  if (fn === undefined) {
    fn = ajv().compile({ $ref: `${SCHEMA_ID}#/definitions/${name}` });
    compiled.set(name, fn);
  }
  return fn;
}

function isDefinitionName(name: string): name is DefinitionName {
  return (DEFINITION_NAMES as readonly string[]).includes(name);
}

function toIssue(e: ErrorObject): SchemaIssue {
  const extra =
    e.keyword === 'additionalProperties'
      ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
      : '';
  return {
    path: e.instancePath === '' ? '/' : e.instancePath,
    message: `${e.message ?? e.keyword}${extra}`,
  };
}

/** Validate `value` against `#/definitions/<name>` of the vendored CabinCrew schema. */
export function validate(name: DefinitionName, value: unknown): SchemaResult {
  if (!isDefinitionName(name)) {
    // Fail closed: an unknown definition name must never mean "anything goes".
    throw new ClearanceError('INTERNAL', `unknown schema definition ${JSON.stringify(name)}`);
  }
  const fn = validatorFor(name);
  if (fn(value)) return { ok: true };
  return { ok: false, issues: (fn.errors ?? []).map(toIssue) };
}

/** Throw SCHEMA_INVALID (listing every failing path) unless `value` validates against `name`. */
export function assertValid(name: DefinitionName, value: unknown, what: string = name): void {
  const result = validate(name, value);
  if (!result.ok) {
    const summary = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new ClearanceError('SCHEMA_INVALID', `${what} is not a valid ${name}: ${summary}`, {
      detail: { definition: name, first_path: result.issues[0]?.path ?? '/' },
    });
  }
}
