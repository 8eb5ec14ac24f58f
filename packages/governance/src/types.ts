/**
 * The contract between the authority and every policy source (rules, Rego, ONNX, secret scanning…),
 * and the shape of an aggregated preflight outcome (spec/cabincrew.md §2.6, §4.2.6).
 */
import type {
  Decision,
  DecisionSeverity,
  JsonObject,
  JsonValue,
  PolicyEvaluation,
  PolicySource as PolicySourceKind,
  PreflightInput,
} from '@clearance/protocol';

export type { PolicySourceKind };

/** Artifact roles (§4.2.2 step 4): the only values the authority admits. */
export const ARTIFACT_ROLES = ['evidence', 'state', 'log'] as const;

/** Role of an artifact, taken from the validated receipt. */
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];

/** What a policy sees about one artifact (built by the authority from the content-addressed copy). */
export interface PolicyArtifact {
  readonly name: string;
  readonly role: ArtifactRole;
  readonly artifact_type: string;
  readonly action: string;
  readonly target?: string;
  readonly mime: string;
  readonly metadata: Readonly<Record<string, JsonValue>>;
  /** H(descriptor): the plan-token artifact hash. */
  readonly hash: string;
  /** bytes(artifact.json) + bytes(body). */
  readonly size: number;
  /** Body bytes; 0 when there is no body. */
  readonly body_size: number;
  /** Workspace-relative POSIX paths this artifact touches (may be empty). */
  readonly paths: readonly string[];
  /** Body as UTF-8, when small enough and policy-visible (the authority decides). */
  readonly body_text?: string;
}

/** Everything a policy source may look at. Sources receive a deep-frozen private copy. */
export interface PolicyInput {
  /** The CabinCrew policy input document (schema `PreflightInput`). */
  readonly preflight: PreflightInput;
  readonly engine: { readonly id: string; readonly version: string };
  readonly artifacts: readonly PolicyArtifact[];
  readonly proposer?: string;
  /**
   * The workflow's stored request (config and context as proposed, authority fields already
   * stripped), so that a source can check an artifact against what was actually asked for.
   */
  readonly request?: { readonly config: JsonObject; readonly context: JsonObject };
}

/** What a `require_approval` result requires (G-34: one approval per distinct role). */
export interface ApprovalRequirement {
  readonly role: string;
  readonly reason?: string;
}

/** One evaluation plus what it requires. */
export interface PolicyResult {
  /** Schema `PolicyEvaluation`; its severity must match its decision (G-17). */
  readonly evaluation: PolicyEvaluation;
  /** Present exactly when the decision is `require_approval`. */
  readonly requires?: ApprovalRequirement;
  readonly violations?: readonly string[];
  readonly warnings?: readonly string[];
}

/** Injected by the caller: the clock, and a signal that fires when the source has run out of time. */
export interface EvaluationContext {
  /** RFC 3339 UTC timestamp with milliseconds and Z. */
  readonly now: () => string;
  readonly signal: AbortSignal;
}

/** A policy source: evaluates one preflight input into one or more policy results. */
export interface PolicySource {
  /** Unique among configured sources; the source's policy ids are `${name}/${rule}`. */
  readonly name: string;
  /** Recorded as `PolicyEvaluation.source`; every evaluation of this source must carry it. */
  readonly kind: PolicySourceKind;
  /** H over the source's canonical config (feeds `policy_digest` / `governance_hash`). */
  readonly digest: string;
  /**
   * Evaluate `input`. Must be side-effect free and idempotent (PRE-2): the same input gives equal
   * results apart from `evaluated_at`. Should stop work when `ctx.signal` aborts.
   */
  evaluate(input: PolicyInput, ctx: EvaluationContext): Promise<readonly PolicyResult[]>;
}

/** One approval to request: a distinct role with everything that asked for it. */
export interface ApprovalDemand {
  readonly role: string;
  readonly reasons: readonly string[];
  readonly policy_ids: readonly string[];
}

/** A policy source that could not be evaluated (S-21): it counts as a deny. */
export interface PolicyFailure {
  /** Source name (or `preflight` for a problem with the input itself). */
  readonly source: string;
  /** Redacted, capped description of the loader/evaluator error, timeout or invalid output. */
  readonly error: string;
}

/** The aggregate of a set of policy results (`most_restrictive`, §4.2.6). */
export interface AggregateOutcome {
  readonly decision: Decision;
  readonly severity: DecisionSeverity;
  readonly aggregation_method: 'most_restrictive';
  /** Every evaluation, in source order then rule order, including synthesized denies. */
  readonly results: readonly PolicyResult[];
  /** One entry per distinct role, sorted by role; empty unless the decision is require_approval. */
  readonly approvals: readonly ApprovalDemand[];
  readonly violations: readonly string[];
  readonly warnings: readonly string[];
}

/** The outcome of a preflight run. */
export interface PreflightOutcome extends AggregateOutcome {
  /** Loader/evaluator errors, timeouts and invalid outputs, in source order. */
  readonly failures: readonly PolicyFailure[];
}
