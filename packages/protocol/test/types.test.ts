/**
 * The hand-written protocol types (packages/protocol/src/types) and the vendored CabinCrew schema agree.
 *
 * The compiler proves that the runtime tables (DEFINITION_SHAPES, DEFINITION_ENUMS, INLINE_ENUMS, …)
 * describe the TypeScript types exactly; this test proves that the same tables describe the schema.
 * The second half holds type-level checks (expectTypeOf), enforced by `tsc -p tsconfig.test.json`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AGGREGATION_METHODS,
  AUDIT_SEVERITIES,
  DECISIONS,
  DECISION_SEVERITIES,
  DEFINITION_ENUMS,
  DEFINITION_NAMES,
  DEFINITION_SHAPES,
  ENGINE_STATUSES,
  INLINE_ENUMS,
  MAP_DEFINITIONS,
  MODES,
  POLICY_SOURCES,
  STATES,
  UNION_DEFINITIONS,
  WAL_DATA_DEFINITION,
  WAL_ENTRY_TYPES,
  type ApprovalReceivedData,
  type Decision,
  type DecisionSeverity,
  type DefinitionName,
  type EngineOutput,
  type JsonValue,
  type PlanToken,
  type PreflightOutput,
  type RecordStringAny,
  type StepCompletedData,
  type TypedWALEntry,
  type WALEntry,
  type WalEntryOf,
  type WorkflowFailedData,
  type WorkflowStartedData,
} from '../src/types/index.js';

/** The subset of JSON Schema draft-07 the vendored file uses. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaNode;
  readonly enum?: readonly (string | number)[];
  readonly anyOf?: readonly SchemaNode[];
  readonly $ref?: string;
}

interface SchemaFile {
  readonly $schema: string;
  readonly definitions: { readonly [name: string]: SchemaNode };
}

const schema = JSON.parse(
  readFileSync(new URL('../schema/cabincrew.schema.json', import.meta.url), 'utf8'),
) as SchemaFile;

const schemaNames = Object.keys(schema.definitions);

function definition(name: string): SchemaNode {
  const node = schema.definitions[name];
  if (node === undefined) throw new Error(`schema has no definition ${name}`);
  return node;
}

function sorted<T extends string | number>(values: readonly T[]): T[] {
  return [...values].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

const refName = (node: SchemaNode): string => (node.$ref ?? '').replace('#/definitions/', '');

/** Every JSON pointer (below /definitions) at which an `enum` keyword occurs. */
function enumPointers(node: unknown, pointer: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((child, i) => enumPointers(child, `${pointer}/${i}`, out));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, child] of Object.entries(node)) {
      if (key === 'enum') out.push(pointer);
      else enumPointers(child, `${pointer}/${key}`, out);
    }
  }
  return out;
}

const objectNames = Object.keys(DEFINITION_SHAPES) as (keyof typeof DEFINITION_SHAPES)[];
const enumNames = Object.keys(DEFINITION_ENUMS) as (keyof typeof DEFINITION_ENUMS)[];
const unionNames = Object.keys(UNION_DEFINITIONS) as (keyof typeof UNION_DEFINITIONS)[];

describe('definition names', () => {
  it('the schema is one draft-07 file with 57 definitions', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema).sort()).toEqual(['$schema', 'definitions']);
    expect(schemaNames).toHaveLength(57);
  });

  it('DEFINITION_NAMES lists exactly the schema definitions, each once, in file order', () => {
    expect(DEFINITION_NAMES).toHaveLength(57);
    expect(new Set(DEFINITION_NAMES).size).toBe(57);
    expect([...DEFINITION_NAMES]).toEqual(schemaNames);
  });

  it('object, enum, map and union tables partition the names (48 + 6 + 2 + 1)', () => {
    expect(objectNames).toHaveLength(48);
    expect(enumNames).toHaveLength(6);
    expect(MAP_DEFINITIONS).toHaveLength(2);
    expect(unionNames).toHaveLength(1);
    const all = [...objectNames, ...enumNames, ...MAP_DEFINITIONS, ...unionNames];
    expect(sorted(all)).toEqual(sorted(schemaNames));
  });

  it('every $ref points at an existing definition', () => {
    const refs = JSON.stringify(schema).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/definitions/'.length, -1);
      expect(ref.startsWith('"$ref":"#/definitions/')).toBe(true);
      expect(DEFINITION_NAMES).toContain(name);
    }
  });
});

describe('object definitions', () => {
  it.each(objectNames)('%s: properties, required and additionalProperties match', (name) => {
    const node = definition(name);
    const shape = DEFINITION_SHAPES[name];
    expect(node.type).toBe('object');
    expect(sorted(Object.keys(node.properties ?? {}))).toEqual(sorted(shape.properties));
    expect(sorted(node.required ?? [])).toEqual(sorted(shape.required));
    expect(node.additionalProperties).toBe(false);
  });

  it('the two free-form maps are open objects without declared properties', () => {
    expect(definition('RecordStringAny')).toMatchObject({
      type: 'object',
      additionalProperties: true,
    });
    expect(definition('AnyMap')).toEqual({ type: 'object', additionalProperties: {} });
    for (const name of MAP_DEFINITIONS) expect(definition(name).properties).toBeUndefined();
  });

  it('no other definition leaves additionalProperties open', () => {
    const open = schemaNames.filter((name) => definition(name).additionalProperties !== false);
    expect(sorted(open)).toEqual(sorted([...MAP_DEFINITIONS, ...enumNames, ...unionNames]));
    for (const name of [...enumNames, ...unionNames]) {
      expect(definition(name).additionalProperties).toBeUndefined();
    }
  });
});

describe('enumerations', () => {
  it.each(enumNames)('%s: values match the schema enum', (name) => {
    const node = definition(name);
    const values: readonly (string | number)[] = DEFINITION_ENUMS[name];
    expect(sorted(node.enum ?? [])).toEqual(sorted(values));
    expect(node.type).toBe(name === 'DecisionSeverity' ? 'number' : 'string');
    for (const value of values) expect(typeof value).toBe(node.type);
  });

  it('the exported const arrays are the enumeration tables', () => {
    expect(DEFINITION_ENUMS).toEqual({
      Decision: DECISIONS,
      State: STATES,
      WALEntryType: WAL_ENTRY_TYPES,
      AggregationMethod: AGGREGATION_METHODS,
      DecisionSeverity: DECISION_SEVERITIES,
      Mode: MODES,
    });
    expect(DECISION_SEVERITIES).toEqual([0, 1, 2, 3]);
  });

  const inline = Object.entries(INLINE_ENUMS).flatMap(([def, props]) =>
    Object.entries(props).map(([prop, values]) => [def, prop, values] as const),
  );

  it.each(inline)('%s.%s: inline enum matches the schema', (def, prop, values) => {
    const node = definition(def).properties?.[prop];
    expect(node?.type).toBe('string');
    expect(sorted(node?.enum ?? [])).toEqual(sorted(values));
  });

  it('INLINE_ENUMS covers every inline enum of the schema, and there are no nested enums', () => {
    const pointers = enumPointers(schema.definitions, '/definitions', []);
    const expected = [
      ...enumNames.map((name) => `/definitions/${name}`),
      ...inline.map(([def, prop]) => `/definitions/${def}/properties/${prop}`),
    ];
    expect(sorted(pointers)).toEqual(sorted(expected));
    expect(inline).toHaveLength(7);
  });

  it('inline enums reuse the named value lists where the schema repeats them', () => {
    expect(INLINE_ENUMS.PreflightInput.mode).toBe(MODES);
    expect(INLINE_ENUMS.WorkflowState.last_decision).toBe(DECISIONS);
    expect(INLINE_ENUMS.AuditGateway.policy_decision).toBe(DECISIONS);
    expect(INLINE_ENUMS.AuditPolicy.aggregation_method).toBe(AGGREGATION_METHODS);
    expect(INLINE_ENUMS.EngineOutput.status).toBe(ENGINE_STATUSES);
    expect(INLINE_ENUMS.PolicyEvaluation.source).toBe(POLICY_SOURCES);
    expect(INLINE_ENUMS.AuditEvent.severity).toBe(AUDIT_SEVERITIES);
  });
});

describe('unions and the WAL', () => {
  it.each(unionNames)('%s: anyOf members match UNION_DEFINITIONS', (name) => {
    const node = definition(name);
    expect(Object.keys(node)).toEqual(['anyOf']);
    expect((node.anyOf ?? []).map(refName)).toEqual([...UNION_DEFINITIONS[name]]);
  });

  it('WAL_DATA_DEFINITION maps each entry type to a distinct WALEntryData member', () => {
    expect(Object.keys(WAL_DATA_DEFINITION)).toEqual([...WAL_ENTRY_TYPES]);
    const targets: DefinitionName[] = Object.values(WAL_DATA_DEFINITION);
    expect(sorted(targets)).toEqual(sorted(UNION_DEFINITIONS.WALEntryData));
  });

  it.each(WAL_ENTRY_TYPES)('%s: payload definition is named after the entry type', (type) => {
    const camel = type.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
    expect(WAL_DATA_DEFINITION[type]).toBe(`${camel}Data`);
  });

  it('WALEntry references the entry-type enum and the payload union', () => {
    const props = definition('WALEntry').properties ?? {};
    expect(props['entry_type']?.$ref).toBe('#/definitions/WALEntryType');
    expect(props['data']?.$ref).toBe('#/definitions/WALEntryData');
  });
});

describe('type-level checks', () => {
  const entry = {
    sequence: 0,
    timestamp: '2025-01-01T00:00:00.000Z',
    workflow_id: 'wf',
    entry_type: 'workflow_started',
    data: { plan_token_hash: 'h', initial_state: 'INIT' },
    checksum: 'c',
  } as TypedWALEntry;

  it('narrowing TypedWALEntry on entry_type yields the matching payload', () => {
    if (entry.entry_type === 'workflow_started') {
      expectTypeOf(entry.data).toEqualTypeOf<WorkflowStartedData>();
    }
    if (entry.entry_type === 'workflow_failed') {
      expectTypeOf(entry.data).toEqualTypeOf<WorkflowFailedData>();
      expectTypeOf(entry.data.failed_step).toEqualTypeOf<string | undefined>();
    }
    switch (entry.entry_type) {
      case 'approval_received':
        expectTypeOf(entry.data).toEqualTypeOf<ApprovalReceivedData>();
        expectTypeOf(entry.data.approved).toEqualTypeOf<boolean>();
        break;
      case 'step_completed':
        expectTypeOf(entry).toEqualTypeOf<WalEntryOf<'step_completed'>>();
        expectTypeOf(entry.data).toEqualTypeOf<StepCompletedData>();
        break;
      default:
        expectTypeOf(entry.entry_type).not.toEqualTypeOf<'step_completed'>();
    }
    expect(entry.entry_type).toBe('workflow_started');
  });

  it('TypedWALEntry is a WALEntry, but not the other way round', () => {
    expectTypeOf<TypedWALEntry>().toExtend<WALEntry>();
    expectTypeOf<WALEntry>().not.toExtend<TypedWALEntry>();
    expectTypeOf<WalEntryOf<'workflow_started'>['data']>().toEqualTypeOf<WorkflowStartedData>();
    const stepStarted = { step_id: 's', step_type: 't' };
    // @ts-expect-error a step_started payload cannot ride on a workflow_started entry (G-10)
    const wrong: TypedWALEntry = { ...entry, entry_type: 'workflow_started', data: stepStarted };
    expect(wrong.entry_type).toBe('workflow_started');
  });

  it('timestamps are strings, enums are literal unions, optional means absent', () => {
    expectTypeOf<PlanToken['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<DecisionSeverity>().toEqualTypeOf<0 | 1 | 2 | 3>();
    expectTypeOf<Decision>().toEqualTypeOf<'allow' | 'warn' | 'require_approval' | 'deny'>();
    expectTypeOf<EngineOutput['status']>().toEqualTypeOf<'success' | 'failure'>();
    // @ts-expect-error exactOptionalPropertyTypes: an optional property may be absent, not undefined
    const explicitUndefined: PreflightOutput = { decision: 'allow', requires: undefined };
    expect(explicitUndefined.decision).toBe('allow');
  });

  it('protocol objects are JSON values (a receipt can be carried as RecordStringAny)', () => {
    expectTypeOf<EngineOutput>().toExtend<RecordStringAny>();
    expectTypeOf<TypedWALEntry>().toExtend<JsonValue>();
    // @ts-expect-error Date is not JSON
    const notJson: JsonValue = new Date(0);
    expect(notJson).toBeInstanceOf(Date);
  });
});
