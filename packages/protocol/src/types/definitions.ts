import type { EnumDefinitionName } from './enumerations.js';
import type { JsonObject, JsonValue } from './json.js';
import type {
  DefinitionName,
  DefinitionTypes,
  MapDefinitionName,
  UnionDefinitionName,
} from './names.js';
import type { Assert, DefinitionShape, Equal, ShapeOf } from './shape.js';
import { AUDIT_SHAPES } from './shapes-audit.js';
import { ENGINE_SHAPES } from './shapes-engine.js';
import { ORCHESTRATOR_SHAPES } from './shapes-orchestrator.js';
import type { WAL_DATA_DEFINITION, WALDataMap, WALEntryType } from './wal.js';

export { DEFINITION_ENUMS, INLINE_ENUMS } from './enumerations.js';
export type { EnumDefinitionName } from './enumerations.js';
export { DEFINITION_NAMES, MAP_DEFINITIONS, UNION_DEFINITIONS } from './names.js';
export type {
  DefinitionName,
  DefinitionTypes,
  MapDefinitionName,
  UnionDefinitionName,
} from './names.js';

/**
 * Property names and required property names of every object definition (all but the two free-form
 * maps, the six enumerations and `WALEntryData`); each entry is compiler-checked against its type.
 */
export const DEFINITION_SHAPES = {
  ...ENGINE_SHAPES,
  ...ORCHESTRATOR_SHAPES,
  ...AUDIT_SHAPES,
} as const satisfies { readonly [N in DefinitionName]?: DefinitionShape };

/** Name of an object definition with declared properties. */
export type ObjectDefinitionName = keyof typeof DEFINITION_SHAPES;

/** Static proof that each `DEFINITION_SHAPES` entry is the shape of the type of the same name. */
export type ShapesMatchTypes = Assert<
  Equal<
    {
      [N in ObjectDefinitionName]: (typeof DEFINITION_SHAPES)[N] extends ShapeOf<DefinitionTypes[N]>
        ? Equal<(typeof DEFINITION_SHAPES)[N]['properties'][number], keyof DefinitionTypes[N]>
        : false;
    }[ObjectDefinitionName],
    true
  >
>;

/** Static proof that object, enum, map and union names partition `DefinitionName` (48 + 6 + 2 + 1). */
export type DefinitionKindsPartition = Assert<
  Equal<
    [
      ObjectDefinitionName | EnumDefinitionName | MapDefinitionName | UnionDefinitionName,
      ObjectDefinitionName & (EnumDefinitionName | MapDefinitionName | UnionDefinitionName),
      EnumDefinitionName & (MapDefinitionName | UnionDefinitionName),
      MapDefinitionName & UnionDefinitionName,
    ],
    [DefinitionName, never, never, never]
  >
>;

/** Static proof that every definition type is plain JSON (assignable to `JsonValue`). */
export type DefinitionsAreJson = Assert<
  { [N in DefinitionName]: DefinitionTypes[N] extends JsonValue ? true : false }[DefinitionName]
>;

/** Static proof that the two free-form maps are exactly `JsonObject`. */
export type MapsAreJsonObjects = Assert<
  Equal<
    { [N in MapDefinitionName]: Equal<DefinitionTypes[N], JsonObject> }[MapDefinitionName],
    true
  >
>;

/** Static proof that `WAL_DATA_DEFINITION` names, for each entry type, the definition of its payload. */
export type WalDataDefinitionMatches = Assert<
  Equal<
    {
      [K in WALEntryType]: Equal<DefinitionTypes[(typeof WAL_DATA_DEFINITION)[K]], WALDataMap[K]>;
    }[WALEntryType],
    true
  >
>;
