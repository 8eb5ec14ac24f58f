/**
 * The orchestrator's open workflows: their WAL files, the cached request of each one still
 * running, and the workflows halted at open (WAL corrupt). Read access by id goes through here,
 * so an unknown, malformed or halted id is refused the same way everywhere.
 */
import { ClearanceError } from '@clearance/protocol';
import type { ContentStore } from '../cas/store.js';
import { isTerminal } from '../workflow/states.js';
import { toStateRecord, type WorkflowView } from '../workflow/reducer.js';
import { getRequest, REQUEST_TYPE, type WorkflowRequest } from './records.js';
import type { WorkflowDetails } from './types.js';
import { isWorkflowId, type WorkflowFiles } from './workflow-files.js';

/** Open workflows by id. */
export class WorkflowTable {
  private readonly files = new Map<string, WorkflowFiles>();
  private readonly requests = new Map<string, WorkflowRequest>();
  private readonly halted = new Map<string, string>();

  constructor(private readonly cas: ContentStore) {}

  /** Add an opened or created workflow (with its request when the caller has it in hand). */
  add(files: WorkflowFiles, request?: WorkflowRequest): void {
    this.files.set(files.id, files);
    if (request !== undefined) this.requests.set(files.id, request);
  }

  /** Mark a workflow halted: every access answers WAL_CORRUPT with `reason`. */
  halt(workflowId: string, reason: string): void {
    this.halted.set(workflowId, reason);
  }

  /** Drop the cached request of an ended workflow (it is read from the store when needed). */
  settle(files: WorkflowFiles): void {
    if (isTerminal(files.view.state)) this.requests.delete(files.id);
  }

  /** The files of a workflow, or undefined (no refusal: for hooks and chains). */
  peek(workflowId: string): WorkflowFiles | undefined {
    return this.files.get(workflowId);
  }

  /** Every open workflow's files. */
  all(): IterableIterator<WorkflowFiles> {
    return this.files.values();
  }

  /** Every open workflow's id. */
  ids(): string[] {
    return [...this.files.keys()];
  }

  /** Forget every workflow (after closing them). */
  clear(): void {
    this.files.clear();
  }

  /** The files of a workflow; WAL_CORRUPT when halted, WORKFLOW_NOT_FOUND when unknown. */
  filesOf(workflowId: string): WorkflowFiles {
    const halted = this.halted.get(workflowId);
    if (halted !== undefined) throw new ClearanceError('WAL_CORRUPT', halted);
    const files = isWorkflowId(workflowId) ? this.files.get(workflowId) : undefined;
    if (files === undefined) {
      throw new ClearanceError('WORKFLOW_NOT_FOUND', `no workflow ${workflowId.slice(0, 80)}`);
    }
    return files;
  }

  /** The stored request of a workflow (cached while it runs). */
  async requestOf(workflowId: string): Promise<WorkflowRequest> {
    const cached = this.requests.get(workflowId);
    if (cached !== undefined) return cached;
    const address = this.filesOf(workflowId).view.objects[REQUEST_TYPE];
    if (address === undefined) throw new ClearanceError('WAL_CORRUPT', 'workflow has no request');
    const request = await getRequest(this.cas, address);
    this.requests.set(workflowId, request);
    return request;
  }

  /** The stored request of a workflow, or undefined when it has none or is unknown (B3 chains). */
  async storedRequest(workflowId: string): Promise<WorkflowRequest | undefined> {
    const cached = this.requests.get(workflowId);
    if (cached !== undefined) return cached;
    // Ended workflows are not cached (settle() drops them): read the CAS without caching.
    const address = this.files.get(workflowId)?.view.objects[REQUEST_TYPE];
    return address === undefined ? undefined : getRequest(this.cas, address);
  }

  /** One workflow, as callers see it. */
  async details(workflowId: string): Promise<WorkflowDetails> {
    const view: WorkflowView = this.filesOf(workflowId).view;
    // A proposal interrupted before its request was recorded has none (it ends FAILED).
    const request =
      view.objects[REQUEST_TYPE] === undefined
        ? { engine: { id: 'unknown' }, workspace: '', proposer: '' }
        : await this.requestOf(workflowId);
    return {
      workflow_id: workflowId,
      state: view.state,
      engine: request.engine.id,
      workspace: request.workspace,
      proposer: request.proposer,
      created_at: view.created_at,
      updated_at: view.updated_at,
      plan_token_hash: view.planTokenHash,
      ...(view.lastDecision === undefined ? {} : { last_decision: view.lastDecision }),
      pending_approvals: view.pending,
      ...(view.failure === undefined ? {} : { failure: view.failure.error }),
      record: toStateRecord(view),
    };
  }
}
