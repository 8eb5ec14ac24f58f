import {
  AGGREGATION_METHODS,
  AUDIT_SEVERITIES,
  DECISION_SEVERITIES,
  POLICY_SOURCES,
  type AggregationMethod,
  type AuditEvent,
  type AuditGateway,
  type AuditPolicy,
  type DecisionSeverity,
  type PolicyEvaluation,
} from './audit.js';
import { ENGINE_STATUSES, MODES, type EngineOutput, type Mode } from './engine.js';
import type { DefinitionName } from './names.js';
import {
  DECISIONS,
  STATES,
  type Decision,
  type PreflightInput,
  type State,
  type WorkflowState,
} from './orchestrator.js';
import { enumOf } from './shape.js';
import { WAL_ENTRY_TYPES, type WALEntryType } from './wal.js';

/** Value of property `K` of `T` with the optionality removed. */
type Prop<T, K extends keyof T> = Exclude<T[K], undefined>;

/** The values of each enumeration definition; the compiler checks each list against its type. */
export const DEFINITION_ENUMS = {
  Decision: enumOf<Decision>()(DECISIONS),
  State: enumOf<State>()(STATES),
  WALEntryType: enumOf<WALEntryType>()(WAL_ENTRY_TYPES),
  AggregationMethod: enumOf<AggregationMethod>()(AGGREGATION_METHODS),
  DecisionSeverity: enumOf<DecisionSeverity>()(DECISION_SEVERITIES),
  Mode: enumOf<Mode>()(MODES),
} as const satisfies { readonly [N in DefinitionName]?: readonly (string | number)[] };

/** Name of an enumeration definition. */
export type EnumDefinitionName = keyof typeof DEFINITION_ENUMS;

/**
 * The values of every enum declared inline on an object property (definition → property → values);
 * the compiler checks each list against the property's type.
 */
export const INLINE_ENUMS = {
  PreflightInput: { mode: enumOf<Prop<PreflightInput, 'mode'>>()(MODES) },
  WorkflowState: { last_decision: enumOf<Prop<WorkflowState, 'last_decision'>>()(DECISIONS) },
  EngineOutput: { status: enumOf<Prop<EngineOutput, 'status'>>()(ENGINE_STATUSES) },
  AuditPolicy: {
    aggregation_method: enumOf<Prop<AuditPolicy, 'aggregation_method'>>()(AGGREGATION_METHODS),
  },
  PolicyEvaluation: { source: enumOf<Prop<PolicyEvaluation, 'source'>>()(POLICY_SOURCES) },
  AuditGateway: { policy_decision: enumOf<Prop<AuditGateway, 'policy_decision'>>()(DECISIONS) },
  AuditEvent: { severity: enumOf<Prop<AuditEvent, 'severity'>>()(AUDIT_SEVERITIES) },
} as const satisfies {
  readonly [N in DefinitionName]?: { readonly [property: string]: readonly string[] };
};
