import type { AnyMap, JsonValue } from './json.js';

/** Values of schema `Mode`, in execution order. */
export const MODES = ['flight-plan', 'take-off'] as const;

/** Execution mode of an engine run. */
export type Mode = (typeof MODES)[number];

/** Values of the inline enum `EngineOutput.status`. */
export const ENGINE_STATUSES = ['success', 'failure'] as const;

/** Execution status reported in an engine receipt (`EngineOutput.status`). */
export type EngineStatus = (typeof ENGINE_STATUSES)[number];

/** Identifies the workflow step an engine invocation belongs to. */
export type EngineMeta = {
  readonly workflow_id: string;
  readonly step_id: string;
};

/** Orchestrator-supplied execution context for an engine run. */
export type EngineOrchestrator = {
  /** Orchestrator run index for this execution; integer ≥ 0. */
  readonly run_index?: number;
  readonly workspace_hash?: string;
  readonly artifacts_salt?: string;
};

/** Engine input, delivered via STDIN or `CABINCREW_INPUT_FILE`. */
export type EngineInput = {
  readonly protocol_version: string;
  /** Execution mode: 'flight-plan' or 'take-off'. */
  readonly mode: Mode;
  readonly meta: EngineMeta;
  readonly config?: AnyMap;
  readonly secrets?: AnyMap;
  readonly allowed_secrets?: readonly string[];
  readonly context?: AnyMap;
  /** Ephemeral identity token (e.g. OIDC, JWT) for the workload; preferred over static secrets. */
  readonly identity_token?: string;
  readonly orchestrator?: EngineOrchestrator;
  /** Take-off only: must match the flight-plan token. */
  readonly expected_plan_token?: string;
};

/** An artifact listed in an engine receipt. */
export type EngineArtifact = {
  readonly name: string;
  /** Free-form role (prose values: evidence, state, log). */
  readonly role: string;
  /** Relative path to the artifact's `artifact.json`. */
  readonly path: string;
  readonly hash: string;
  /** Total size in bytes (schema type `number`). */
  readonly size?: number;
};

/** A metric reported by an engine. */
export type EngineMetric = {
  readonly name: string;
  readonly value: number;
  readonly tags?: AnyMap;
};

/** Engine output (the receipt), delivered via STDOUT or `CABINCREW_OUTPUT_FILE`. */
export type EngineOutput = {
  readonly protocol_version: string;
  readonly engine_id: string;
  readonly mode: Mode;
  /** Unique per invocation. */
  readonly receipt_id: string;
  /** Execution status: 'success' or 'failure'. */
  readonly status: EngineStatus;
  readonly error?: string;
  readonly warnings?: readonly string[];
  /** Unconstrained in the schema (any JSON value). */
  readonly diagnostics?: JsonValue;
  readonly artifacts?: readonly EngineArtifact[];
  readonly metrics?: readonly EngineMetric[];
  /** SHA-256 hash referencing a plan-token.json file. */
  readonly plan_token?: string;
};
