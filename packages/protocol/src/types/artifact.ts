import type { DateTimeString, JsonArray, JsonObject, RecordStringAny } from './json.js';

/** Canonical artifact (the content of `artifact.json`); no name, role, integrity or type field exists. */
export type Artifact = {
  /** Type of artifact (file, diff, patch, action, message, …); free-form and engine-defined. */
  readonly artifact_type: string;
  /** Operation to perform (create, update, delete, apply, execute, …); free-form and engine-defined. */
  readonly action: string;
  /** Path, resource or identifier this artifact applies to. */
  readonly target?: string;
  /** MIME type describing the content. */
  readonly mime: string;
  /** Inline content for small artifacts: object, array, string or null. */
  readonly body?: JsonObject | JsonArray | string | null;
  /** External data file within the artifact directory. */
  readonly body_file?: string;
  /** Arbitrary metadata. */
  readonly metadata?: RecordStringAny;
};

/** Hash of one plan artifact that contributed to a plan-token. */
export type PlanArtifactHash = {
  readonly name: string;
  readonly hash: string;
  /** Size in bytes (schema type `number`). */
  readonly size?: number;
};

/** Plan-token: binds the flight-plan artifacts to the subsequent take-off. */
export type PlanToken = {
  /** Primary plan token identifier, e.g. SHA-256 over all plan artifacts + context. */
  readonly token: string;
  /** Plan-token format version ("1", "2", …). */
  readonly version: string;
  /** Per-artifact hashes that contributed to this plan token. */
  readonly artifacts: readonly PlanArtifactHash[];
  /** AI model identifier used to generate this plan (provenance). */
  readonly model: string;
  /** Engine identity that produced this plan. */
  readonly engine_id: string;
  /** Engine protocol version used when this plan was produced. */
  readonly protocol_version: string;
  /** Hash of the workspace state when the plan was created. */
  readonly workspace_hash: string;
  /** When the plan was created (RFC 3339). */
  readonly created_at: DateTimeString;
  /** SHA-256 digest of all policy configurations evaluated during flight-plan (recommended). */
  readonly policy_digest?: string;
  /** SHA-256 hash of the governance context: OPA policies, ONNX models, gateway rules (recommended). */
  readonly governance_hash?: string;
};
