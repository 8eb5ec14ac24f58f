/**
 * The JSON-schema subset the wire declarations use, and its checker. The server hands the same
 * schema objects to ajv; the client and the console, which must not bundle ajv, check with
 * `wireProblem`. Imports nothing (browser-safe, see `cnc-wire.ts`).
 */

/** A JSON schema of the subset below (draft-07 keywords). */
export interface WireSchema {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly WireSchema[];
  readonly properties?: Readonly<Record<string, WireSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  readonly items?: WireSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  /** Lengths count UTF-16 units, as the authority's `String.length` checks do. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Compiled without the `u` flag, as the server's ajv does. */
  readonly pattern?: string;
}

function escape(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOk(type: NonNullable<WireSchema['type']>, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'null':
      return v === null;
    default:
      return typeof v === type;
  }
}

function numberProblem(s: WireSchema, v: number): boolean {
  return (
    (s.minimum !== undefined && v < s.minimum) ||
    (s.maximum !== undefined && v > s.maximum) ||
    (s.exclusiveMinimum !== undefined && v <= s.exclusiveMinimum)
  );
}

function stringProblem(s: WireSchema, v: string): boolean {
  return (
    (s.minLength !== undefined && v.length < s.minLength) ||
    (s.maxLength !== undefined && v.length > s.maxLength) ||
    (s.pattern !== undefined && !new RegExp(s.pattern).test(v))
  );
}

function objectProblem(
  s: WireSchema,
  o: Readonly<Record<string, unknown>>,
  at: string,
): string | undefined {
  const props = s.properties ?? {};
  for (const key of s.required ?? []) {
    if (!Object.hasOwn(o, key)) return `${at}/${escape(key)}`;
  }
  for (const key of Object.keys(o).sort()) {
    const sub = Object.hasOwn(props, key) ? props[key] : undefined;
    if (sub === undefined) {
      if (s.additionalProperties === false) return `${at}/${escape(key)}`;
      continue;
    }
    const found = wireProblem(sub, o[key], `${at}/${escape(key)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function arrayProblem(s: WireSchema, a: readonly unknown[], at: string): string | undefined {
  if (s.minItems !== undefined && a.length < s.minItems) return at;
  if (s.maxItems !== undefined && a.length > s.maxItems) return at;
  if (s.items === undefined) return undefined;
  for (let i = 0; i < a.length; i += 1) {
    const found = wireProblem(s.items, a[i], `${at}/${String(i)}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The JSON pointer of the first place `value` breaks `schema`, or undefined when it conforms.
 * `oneOf` needs exactly one branch to match; a miss points at the value itself.
 */
export function wireProblem(schema: WireSchema, value: unknown, at = ''): string | undefined {
  if (schema.oneOf !== undefined) {
    const matches = schema.oneOf.filter((b) => wireProblem(b, value, at) === undefined).length;
    if (matches !== 1) return at;
  }
  if (schema.type !== undefined && !typeOk(schema.type, value)) return at;
  if (schema.enum !== undefined && !schema.enum.includes(value)) return at;
  if (typeof value === 'number' && numberProblem(schema, value)) return at;
  if (typeof value === 'string' && stringProblem(schema, value)) return at;
  if (schema.type === 'array' && Array.isArray(value)) return arrayProblem(schema, value, at);
  if (schema.type === 'object' && isObject(value)) return objectProblem(schema, value, at);
  return undefined;
}

/** A schema tagged with the type of the values it accepts (a phantom member, never set). */
export interface TypedSchema<T> extends WireSchema {
  readonly __accepts?: T;
}

/**
 * Whether `value` conforms to `schema`, narrowing it to the schema's type. The golden tests hold
 * each wire schema to its type and to what the authority accepts.
 */
export function conforms<T>(schema: TypedSchema<T>, value: unknown): value is T {
  return wireProblem(schema, value) === undefined;
}
