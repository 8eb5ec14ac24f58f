/** The typed client of the Clearance HTTP API: one method per endpoint. */
import type { CncJob, FeasibilityCheck, OverrideRecord } from './cnc-types.js';
import {
  decodeApproval,
  decodeArtifacts,
  decodeDetails,
  decodeMe,
  decodeRunList,
  decodeWorkflowList,
} from './decode.js';
import {
  decodeCheckpoints,
  decodeEventList,
  decodeEventPage,
  decodeVerify,
} from './decode-audit.js';
import { decodeFeasibilityCheck, decodeJobView, decodeOverride } from './decode-cnc.js';
import { send, sendJson, seg, type Transport } from './http.js';
import { record } from './json.js';
import type {
  ApprovalAnswer,
  ApprovalResult,
  ArtifactListing,
  AuditEvent,
  AuditQuery,
  CheckpointList,
  EventPage,
  JobView,
  Me,
  OverrideRequest,
  RunArtifact,
  RunEntry,
  RunFilter,
  VerifyReport,
  WorkflowDetails,
  WorkflowFilter,
  WorkflowSummary,
} from './types.js';

/** Options of a {@link ClearanceClient}. */
export interface ClientOptions {
  /** Origin (and optional path prefix) of the server; '' (default) = same origin. */
  readonly baseUrl?: string;
  /** The bearer token. Sent only in the Authorization header, never in a URL. */
  readonly token: string;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** The input of POST /api/rmos/feasibility: a FeasibilityInput object, or a whole job. */
export type FeasibilityRequest = Readonly<Record<string, unknown>> | { readonly job: CncJob };

/** A typed client of one server, signed in with one token. */
export class ClearanceClient {
  readonly #t: Transport;

  constructor(options: ClientOptions) {
    const f = options.fetch ?? globalThis.fetch;
    // Bound so a browser's window.fetch is not called with the client as `this`.
    this.#t = { baseUrl: options.baseUrl ?? '', token: options.token, fetch: f.bind(globalThis) };
  }

  /** GET /api/me: who the token belongs to. */
  async me(): Promise<Me> {
    return decodeMe(await sendJson(this.#t, 'GET', '/api/me'));
  }

  /** GET /api/workflows, newest first. */
  async workflows(filter: WorkflowFilter = {}): Promise<WorkflowSummary[]> {
    const query = { state: filter.state, engine: filter.engine, proposer: filter.proposer };
    return decodeWorkflowList(await sendJson(this.#t, 'GET', '/api/workflows', { query }));
  }

  /** GET /api/workflows/{id}. */
  async workflow(id: string): Promise<WorkflowDetails> {
    return decodeDetails(await sendJson(this.#t, 'GET', `/api/workflows/${seg(id)}`));
  }

  /** GET /api/workflows/{id}/events: the workflow's audit events, oldest first. */
  async workflowEvents(id: string): Promise<AuditEvent[]> {
    return decodeEventList(await sendJson(this.#t, 'GET', `/api/workflows/${seg(id)}/events`));
  }

  /** GET /api/workflows/{id}/artifacts. */
  async artifacts(id: string): Promise<ArtifactListing> {
    return decodeArtifacts(await sendJson(this.#t, 'GET', `/api/workflows/${seg(id)}/artifacts`));
  }

  /** POST /api/approvals/{approvalId}: approve or reject one request. */
  async approve(approvalId: string, answer: ApprovalAnswer): Promise<ApprovalResult> {
    const body = {
      approved: answer.approved,
      ...(answer.reason === undefined ? {} : { reason: answer.reason }),
      ...(answer.planTokenHash === undefined ? {} : { plan_token_hash: answer.planTokenHash }),
      ...(answer.signature === undefined ? {} : { signature: { ...answer.signature } }),
    };
    const path = `/api/approvals/${seg(approvalId)}`;
    return decodeApproval(await sendJson(this.#t, 'POST', path, { body }));
  }

  /** POST /api/workflows/{id}/retry (operator): a FAILED workflow proposed again, as a new one. */
  async retry(id: string): Promise<WorkflowDetails> {
    const path = `/api/workflows/${seg(id)}/retry`;
    return decodeDetails(await sendJson(this.#t, 'POST', path, { body: {} }));
  }

  /** POST /api/workflows/{id}/takeoff (operator). */
  async takeoff(id: string): Promise<WorkflowDetails> {
    const path = `/api/workflows/${seg(id)}/takeoff`;
    return decodeDetails(await sendJson(this.#t, 'POST', path, { body: {} }));
  }

  /** GET /api/runs. */
  async runs(filter: RunFilter = {}): Promise<RunEntry[]> {
    const query = { workflow_id: filter.workflowId, kind: filter.kind, status: filter.status };
    return decodeRunList(await sendJson(this.#t, 'GET', '/api/runs', { query }));
  }

  /** GET /api/runs/{runId}: the stored run artifact. */
  async run(runId: string): Promise<RunArtifact> {
    return record(await sendJson(this.#t, 'GET', `/api/runs/${seg(runId)}`), 'run artifact');
  }

  /** GET /api/cas/{sha256}: raw stored bytes. */
  async casBytes(sha256: string): Promise<Uint8Array<ArrayBuffer>> {
    const path = `/api/cas/${seg(sha256)}`;
    const response = await send(this.#t, 'GET', path, { accept: 'application/octet-stream' });
    return new Uint8Array(await response.arrayBuffer());
  }

  /** GET /api/cas/{sha256} decoded as UTF-8 (invalid sequences become U+FFFD). */
  async casText(sha256: string): Promise<string> {
    return new TextDecoder('utf-8').decode(await this.casBytes(sha256));
  }

  /** GET /api/audit/events: one page, optionally filtered. */
  async auditEvents(query: AuditQuery = {}): Promise<EventPage> {
    const q = {
      from: query.from,
      limit: query.limit,
      workflow_id: query.workflowId,
      event_type: query.eventType,
      severity: query.severity,
    };
    return decodeEventPage(await sendJson(this.#t, 'GET', '/api/audit/events', { query: q }));
  }

  /** GET /api/audit/checkpoints, oldest first. */
  async checkpoints(): Promise<CheckpointList> {
    return decodeCheckpoints(await sendJson(this.#t, 'GET', '/api/audit/checkpoints'));
  }

  /** POST /api/audit/verify: the server verifies the whole log. */
  async verifyAudit(): Promise<VerifyReport> {
    return decodeVerify(await sendJson(this.#t, 'POST', '/api/audit/verify', { body: {} }));
  }

  /** POST /api/rmos/feasibility (no state change). */
  async feasibility(input: FeasibilityRequest): Promise<FeasibilityCheck> {
    const answer = await sendJson(this.#t, 'POST', '/api/rmos/feasibility', { body: input });
    return decodeFeasibilityCheck(answer);
  }

  /** POST /api/rmos/jobs: propose a CNC job; answers with its job view. */
  async proposeJob(job: CncJob, workspace?: string): Promise<JobView> {
    const body = workspace === undefined ? { job } : { job, workspace };
    return decodeJobView(await sendJson(this.#t, 'POST', '/api/rmos/jobs', { body }));
  }

  /** GET /api/rmos/jobs/{id}. */
  async job(id: string): Promise<JobView> {
    return decodeJobView(await sendJson(this.#t, 'GET', `/api/rmos/jobs/${seg(id)}`));
  }

  /** POST /api/rmos/jobs/{id}/override (supervisor). */
  async override(id: string, request: OverrideRequest): Promise<OverrideRecord> {
    const body = {
      reason: request.reason,
      ...(request.scope === undefined ? {} : { scope: request.scope }),
      ...(request.acknowledgeRisk === undefined
        ? {}
        : { acknowledge_risk: request.acknowledgeRisk }),
    };
    const path = `/api/rmos/jobs/${seg(id)}/override`;
    return decodeOverride(await sendJson(this.#t, 'POST', path, { body }));
  }
}
