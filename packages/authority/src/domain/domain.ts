/**
 * The seam between the orchestrator and the domains (DESIGN "Extension seams"). The orchestrator
 * knows workflows, not domains: a built-in engine such as `cnc` or `patch` registers one
 * {@link Domain} that says what its plans always get and what its take-offs must prove, and the
 * orchestrator asks the registry at the same few points for every engine:
 *
 *   propose → {@link Domain.checkProposal}; preflight → {@link Domain.policySources} (and every
 *   domain that {@link Domain.claims} the plan); take-off after V5 → {@link Domain.checkOutputs},
 *   then the release it returns; refused take-off → {@link Domain.refusedTakeoffKind} and
 *   {@link Domain.stamps}; open → {@link Domain.recover} before anything is served; the API and
 *   console → {@link Domain.views}.
 *
 * A domain never sees the orchestrator's state: it works through the ports defined here.
 */
import type { JsonObject, State, TypedWALEntry } from '@clearance/protocol';
import type { PolicyInput, PolicySource } from '@clearance/governance';
import type { AuditEventInput } from '../audit/log.js';
import type { ContentStore } from '../cas/store.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import type { WorkflowRequest } from '../orchestrator/records.js';
import type { ArtifactSet } from '../plan/index.js';
import type { RunArtifactBody, RunArtifactStore } from '../runs/run-artifacts.js';
import type { WorkflowView } from '../workflow/reducer.js';

/** The pinned engine a workflow was proposed for. */
export type EngineRef = WorkflowRequest['engine'];

/** A non-WAL audit event a domain writes (the state defaults to the workflow's). */
export type DomainEvent = Omit<AuditEventInput, 'workflow_state'> & { workflow_state?: string };

/**
 * What the orchestrator lends every domain: the stores and its record keeping. Records go through
 * the orchestrator's audit pipe, so they are durable at its next boundary like its own.
 */
export interface DomainHost {
  readonly cas: ContentStore;
  readonly runs: RunArtifactStore;
  /** Record a run artifact and its audit event; returns the run id. */
  recordRun(view: WorkflowView | undefined, body: RunArtifactBody): Promise<string>;
  /** Append a non-WAL audit event (about a workflow when `view` is given). */
  note(view: WorkflowView | undefined, event: DomainEvent): Promise<void>;
  /** Wait until every audit event issued so far is durable (AUDIT_WRITE_FAILED otherwise). */
  settle(): Promise<void>;
  /** The authority's version stamps (and config fingerprint), plus `extra`'s string fields. */
  versions(extra?: JsonObject): Record<string, string>;
}

/** An artifact a domain records in the workflow's WAL (id `main/<name>`). */
export interface DomainArtifact {
  readonly name: string;
  readonly hash: string;
  /** An authority record type: `clearance.<domain>-…` (engine artifact types are refused). */
  readonly type: string;
  /** The audit message of its WAL entry. */
  readonly message: string;
}

/** What take-off offers a domain once the engine ran and V5 passed. */
export interface TakeoffOutputs {
  readonly host: DomainHost;
  readonly request: WorkflowRequest;
  /** The plan's stored artifacts (read from the store, never from the engine). */
  readonly artifacts: ArtifactSet;
  /** The engine's output folder (undefined when the launch had none: the check must refuse). */
  readonly outputDir: string | undefined;
  readonly actor: string;
  /** The workflow as recorded so far (it moves on when {@link recordAhead} records). */
  view(): WorkflowView;
  /** Record an artifact write-ahead: its WAL entry and audit event are durable on return. */
  recordAhead(artifact: DomainArtifact): Promise<void>;
  /** Outputs just left the authority, their completion is not recorded yet (a fault point). */
  published(): void;
}

/** A refusal of take-off outputs: the workflow fails and `run` is its ERROR run artifact. */
export interface OutputRefusal {
  readonly ok: false;
  readonly code: string;
  readonly reason: string;
  readonly run: RunArtifactBody;
}

/** What a release produced: WAL artifacts recorded with the completion, and its run artifact. */
export type ReleaseOutcome =
  | {
      readonly ok: true;
      readonly artifacts: readonly DomainArtifact[];
      readonly run: RunArtifactBody | undefined;
    }
  | OutputRefusal;

/** The result of checking take-off outputs: the release of exactly those outputs, or a refusal. */
export type OutputCheck =
  { readonly ok: true; readonly release: () => Promise<ReleaseOutcome> } | OutputRefusal;

/** A workflow as recovery replayed it, for a domain's reconciliation. */
export interface RecoveredWorkflow {
  readonly id: string;
  readonly state: State;
  readonly log: readonly TypedWALEntry[];
}

/** What a domain reconciles on open: its external effects against these WALs. */
export interface RecoveryPort {
  readonly host: DomainHost;
  /** Every workflow whose WAL replayed (a halted one proves nothing and is absent). */
  readonly workflows: readonly RecoveredWorkflow[];
}

/** One recovery action, as the open authority reports it. */
export interface DomainRecoveryAction {
  readonly workflow_id: string;
  readonly from: string;
  readonly action: string;
}

/** The workflow reads a domain's views build on (the orchestrator's public read face). */
export type WorkflowReads = Pick<Orchestrator, 'get' | 'viewOf'>;

/** One domain. `V` is the type of its read views. */
export interface Domain<V = unknown> {
  /** The domain's name (audit and error texts). */
  readonly name: string;
  /** The engine ids whose workflows belong to this domain (one domain per engine). */
  readonly engines: readonly string[];
  /** Refuse a proposal's config before anything is recorded (throws a ClearanceError). */
  checkProposal(config: JsonObject): void;
  /**
   * Whether a plan of another engine still falls under this domain (e.g. it carries the
   * domain's artifact types): it then gets this domain's policy sources too.
   */
  claims(input: PolicyInput): boolean;
  /** The built-in policy sources every plan of this domain gets, whatever the configuration. */
  readonly policySources: readonly PolicySource[];
  /** Run-artifact kind of a take-off refused before its engine ran. */
  readonly refusedTakeoffKind: string;
  /** Version stamps of this domain's run artifacts, beyond the authority's own. */
  stamps(engine: EngineRef): JsonObject;
  /** Check take-off outputs before anything is released; on success, the release step. */
  checkOutputs(outputs: TakeoffOutputs): Promise<OutputCheck>;
  /** Reconcile external effects with the WALs, on open, before anything is served. */
  recover(port: RecoveryPort): Promise<DomainRecoveryAction[]>;
  /** The domain's read views for the API and console, over the open authority. */
  views(reads: WorkflowReads, host: DomainHost): V;
}
