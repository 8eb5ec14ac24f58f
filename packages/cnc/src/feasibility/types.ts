/**
 * Types of the feasibility rule engine (spec/rmos.md §3.2, port of `feasibility_engine_v1`).
 * All lengths are millimetres, feeds mm/min.
 */

import { MATERIAL_HARDNESSES } from '@clearance/protocol/portable';

/** Material hardness classes of schema v2. `unknown` is explicit and blocks (F024). */
export type MaterialHardness = (typeof MATERIAL_HARDNESSES)[number];

/** Every accepted hardness value, in spec order (declared in the CNC wire contract). */
export { MATERIAL_HARDNESSES };

/** Pre-CAM bounding box of the selected geometry. */
export interface FeasibilityBbox {
  readonly x_min: number;
  readonly y_min: number;
  readonly x_max: number;
  readonly y_max: number;
}

/**
 * The normalised job description the engine evaluates. Produced only by `parseFeasibilityInput`:
 * identity defaults are filled in and every optional field is present, `null` when unknown.
 */
export interface FeasibilityInput {
  readonly pipeline_id: string;
  readonly post_id: string;
  readonly units: string;
  readonly tool_d: number;
  /** Fraction of the tool diameter, e.g. 0.45. */
  readonly stepover: number;
  readonly stepdown: number;
  /** Final depth; must be negative. */
  readonly z_rough: number;
  readonly feed_xy: number;
  readonly feed_z: number;
  readonly rapid: number;
  readonly safe_z: number;
  /** Free string; exactly `"slot"` (case-sensitive) changes F002, F034 and F035. */
  readonly strategy: string;
  readonly layer_name: string;
  readonly climb: boolean;
  readonly smoothing: number;
  readonly margin: number;
  readonly has_closed_paths: boolean | null;
  readonly loop_count_hint: number | null;
  readonly entity_count: number | null;
  readonly bbox: FeasibilityBbox | null;
  readonly smallest_feature_mm: number | null;
  readonly material_id: string | null;
  readonly material_hardness: MaterialHardness | null;
  readonly material_thickness_mm: number | null;
  readonly material_resinous: boolean | null;
  readonly geometry_width_mm: number | null;
  readonly geometry_length_mm: number | null;
  /** Target cut depth, positive. */
  readonly geometry_depth_mm: number | null;
  readonly wall_thickness_mm: number | null;
  readonly tool_flute_length_mm: number | null;
  readonly tool_stickout_mm: number | null;
  readonly coolant_enabled: boolean | null;
  readonly floor_thickness_mm: number | null;
  readonly geometry_complex: boolean | null;
  /** 100 = nominal. */
  readonly feed_override_percent: number | null;
}

/** Level of a rule: RED blocks, YELLOW requires manual review. */
export type RuleLevel = 'RED' | 'YELLOW';

/** One rule id of the engine, F001–F041 (34 rules). */
export type FeasibilityRuleId =
  | 'F001'
  | 'F002'
  | 'F003'
  | 'F004'
  | 'F005'
  | 'F006'
  | 'F007'
  | 'F020'
  | 'F021'
  | 'F022'
  | 'F023'
  | 'F024'
  | 'F025'
  | 'F026'
  | 'F027'
  | 'F028'
  | 'F029'
  | 'F033'
  | 'F041'
  | 'F010'
  | 'F011'
  | 'F012'
  | 'F013'
  | 'F030'
  | 'F031'
  | 'F032'
  | 'F034'
  | 'F035'
  | 'F036'
  | 'F037'
  | 'F038'
  | 'F039'
  | 'F040';

/** One firing of a rule. A rule may fire more than once (F023 up to 3×, F027 twice). */
export interface RuleHit {
  readonly rule_id: FeasibilityRuleId;
  readonly level: RuleLevel;
  readonly message: string;
  readonly constraint: string | null;
}

/** Risk bucket of a successful evaluation. */
export type FeasibilityRiskLevel = 'GREEN' | 'YELLOW' | 'RED';

/** Engine identifier stamped on every result. */
export const FEASIBILITY_ENGINE_VERSION = 'feasibility_engine_v1';

/** Deterministic identity/pre-CAM facts copied from the input into the result. */
export interface FeasibilityDetails {
  readonly pipeline_id: string;
  readonly post_id: string;
  readonly units: string;
  readonly layer_name: string;
  readonly bbox: FeasibilityBbox | null;
  readonly entity_count: number | null;
  readonly loop_count_hint: number | null;
  readonly has_closed_paths: boolean | null;
}

/** Result of `evaluateFeasibility`. Carries no timestamp: it is a pure function of the input. */
export interface FeasibilityResult {
  readonly risk_level: FeasibilityRiskLevel;
  readonly blocking: boolean;
  /** Ids of every hit in evaluation order, duplicates kept. */
  readonly rules_triggered: readonly FeasibilityRuleId[];
  /** Messages of RED hits, in order. */
  readonly blocking_reasons: readonly string[];
  /** Messages of YELLOW hits, in order. */
  readonly warnings: readonly string[];
  /** Non-null constraint strings of all hits, in order. */
  readonly constraints: readonly string[];
  readonly engine_version: typeof FEASIBILITY_ENGINE_VERSION;
  readonly details: FeasibilityDetails;
}

/**
 * Fail-closed result of `safeEvaluate`: the job could not be assessed. Always blocking.
 * `UNKNOWN` = the input was refused (invalid or not a job); `ERROR` = evaluation itself failed.
 */
export interface FeasibilityFailure {
  readonly risk_level: 'ERROR' | 'UNKNOWN';
  readonly blocking: true;
  readonly rules_triggered: readonly [];
  readonly blocking_reasons: readonly [string];
  readonly warnings: readonly [];
  readonly constraints: readonly [];
  readonly engine_version: typeof FEASIBILITY_ENGINE_VERSION;
  readonly details: null;
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly pointer: string | null;
  };
}

/** Anything `safeEvaluate` returns. */
export type FeasibilityOutcome = FeasibilityResult | FeasibilityFailure;
