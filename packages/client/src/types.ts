/** Response types of the public API (packages/server/src/response-schemas.ts and routes). */
import type { AuditEvent, State } from '@clearance/protocol';
import type { JobFeasibility, JobRelease, NormalizedJob, OverrideRecord } from './cnc-types.js';

export type { AuditEvent, State };

/** GET /api/me. */
export interface Me {
  readonly name: string;
  readonly roles: readonly string[];
  /** APR-13: reference of the user's registered approval-signing key, if any. */
  readonly key_ref?: string;
  /** Roles whose approvals must be signed (config `approvals.require_signature`). */
  readonly signature_required_roles: readonly string[];
}

/** APR-13: the approver's signature envelope over the §4.2.7 binding. */
export interface ApproverSignature {
  readonly timestamp: string;
  readonly sig: string;
  readonly key_ref: string;
}

/** A pending approval request of a workflow. */
export interface PendingApproval {
  readonly approval_id: string;
  readonly step_id: string;
  readonly required_role: string;
  readonly plan_token_hash: string;
  readonly requested_at: string;
  readonly sequence?: number;
}

/** One workflow in a listing. */
export interface WorkflowSummary {
  readonly workflow_id: string;
  readonly state: State;
  readonly engine: string;
  readonly workspace: string;
  readonly proposer: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly plan_token_hash?: string;
  readonly last_decision?: string;
  readonly pending_approvals: readonly PendingApproval[];
  readonly failure?: string;
  readonly halted?: string;
}

/** One workflow in full. */
export interface WorkflowDetails extends WorkflowSummary {
  /** The state record, as stored (free-form). */
  readonly record: Readonly<Record<string, unknown>>;
}

/** Filters of GET /api/workflows. */
export interface WorkflowFilter {
  readonly state?: State;
  readonly engine?: string;
  readonly proposer?: string;
}

/** Where a blob lives in the content-addressed store. */
export interface BlobRef {
  readonly address: string;
  readonly size: number;
}

/** One artifact of a workflow. */
export interface ListedArtifact {
  readonly artifact_id: string;
  readonly artifact_hash: string;
  readonly artifact_type: string;
  readonly created_at: string;
  readonly step_id?: string;
  readonly name?: string;
  readonly role?: string;
  readonly action?: string;
  readonly target?: string;
  readonly mime?: string;
  readonly meta?: BlobRef;
  readonly body?: BlobRef | null;
}

/** GET /api/workflows/{id}/artifacts. */
export interface ArtifactListing {
  readonly workflow_id: string;
  readonly plan_token_hash: string;
  readonly artifact_set: string | null;
  readonly artifacts: readonly ListedArtifact[];
}

/** What an approver sends. */
export interface ApprovalAnswer {
  readonly approved: boolean;
  readonly reason?: string;
  /** The plan-token hash the approver was shown; the server refuses a mismatch. */
  readonly planTokenHash?: string;
  /** APR-13: required when the approver has a registered key. */
  readonly signature?: ApproverSignature;
}

/** An accepted approval submission. */
export interface ApprovalResult {
  readonly status: string;
  readonly run_id: string;
  readonly workflow_id: string | null;
  readonly state: string | null;
  readonly reason?: string;
}

/** One run-artifact index entry. */
export interface RunEntry {
  readonly run_id: string;
  readonly address: string;
  readonly kind: string;
  readonly status: string;
  readonly workflow_id: string | null;
  readonly created_at: string;
}

/** Filters of GET /api/runs. */
export interface RunFilter {
  readonly workflowId?: string;
  readonly kind?: string;
  readonly status?: string;
}

/** A stored run artifact (free-form, as stored). */
export type RunArtifact = Readonly<Record<string, unknown>>;

/** Query of GET /api/audit/events. */
export interface AuditQuery {
  readonly from?: number;
  readonly limit?: number;
  readonly workflowId?: string;
  readonly eventType?: string;
  readonly severity?: string;
}

/** GET /api/audit/events. */
export interface EventPage {
  readonly from: number;
  readonly size: number;
  readonly next?: number;
  readonly events: readonly AuditEvent[];
  /** Log index of each returned event. */
  readonly indices: readonly number[];
}

/** A signed audit checkpoint. */
export interface Checkpoint {
  readonly log_id: string;
  readonly tree_size: number;
  readonly root_hash: string;
  readonly timestamp: string;
  readonly key_ref: string;
  readonly signature: string;
}

/** GET /api/audit/checkpoints. */
export interface CheckpointList {
  readonly size: number;
  readonly checkpoints: readonly Checkpoint[];
}

/** POST /api/audit/verify. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly events: number;
  readonly checkpoints: number;
  readonly break?: { readonly index: number; readonly code: string; readonly reason: string };
}

/** GET /api/rmos/jobs/{id} (and POST /api/rmos/jobs). */
export interface JobView {
  readonly workflow: WorkflowDetails;
  /** The normalised job (millimetres), null before a plan exists. */
  readonly job: NormalizedJob | null;
  readonly job_hash: string | null;
  readonly feasibility: JobFeasibility | null;
  readonly override: OverrideRecord | null;
  readonly runs: readonly RunEntry[];
  readonly release: JobRelease | null;
  readonly stripped?: readonly string[];
}

/** A supervisor's override request. */
export interface OverrideRequest {
  readonly reason: string;
  readonly scope?: 'YELLOW' | 'RED';
  readonly acknowledgeRisk?: boolean;
}
