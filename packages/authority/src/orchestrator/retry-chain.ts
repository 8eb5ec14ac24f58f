/**
 * B3: the retry chain of a workflow, for the approval rules. A retry is a new workflow proposed by
 * the operator who retried, linked to the failed one by the authority-set `retry_of` of its stored
 * request. Separation of duties must hold across the chain: every proposer of the chain is a
 * proposer of the retry, and everyone who rejected an earlier workflow of the chain rejected it.
 */
import type { RunArtifactStore } from '../runs/run-artifacts.js';
import type { WorkflowView } from '../workflow/reducer.js';
import type { WorkflowRequest } from './records.js';

/** What the approval rules need of a chain. */
export interface RetryChainFacts {
  /** Proposers of every workflow of the chain, the workflow itself first. */
  readonly proposers: readonly string[];
  /** Users who rejected a request of any workflow of the chain. */
  readonly rejectedBy: readonly string[];
}

/** Lookups into the orchestrator's records (undefined: not known, e.g. a halted workflow). */
export interface ChainSources {
  request(workflowId: string): Promise<WorkflowRequest | undefined>;
  view(workflowId: string): WorkflowView | undefined;
  /**
   * Users whose invalid `approved: false` answer failed the workflow (e.g. a stale plan-token
   * hash from the required role): they meant to reject it, so for separation of duties they
   * count as rejecters too.
   */
  failedRejections?(workflowId: string): Promise<readonly string[]>;
}

/**
 * The workflow a request retries: the request's own `retry_of` (set only by the authority, B3),
 * else the `context.retry_of` earlier versions put there. Propose strips a client-sent
 * `context.retry_of` before storing, so neither can be chosen by a client; following a legacy
 * link can only add proposers and rejecters, never remove a restriction.
 */
export function retryOf(request: WorkflowRequest): string | undefined {
  if (request.retry_of !== undefined) return request.retry_of;
  const legacy = request.context['retry_of'];
  return typeof legacy === 'string' ? legacy : undefined;
}

/** Follow `retry_of` links from `workflowId` through the stored requests. */
export async function retryChain(
  workflowId: string,
  sources: ChainSources,
): Promise<RetryChainFacts> {
  const proposers: string[] = [];
  const rejectedBy: string[] = [];
  const seen = new Set<string>();
  let id: string | undefined = workflowId;
  // Followed to the origin: a cap would silently drop the original author and rejecters once an
  // operator had retried often enough (ids are fresh, and `seen` stops a loop anyway).
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const request = await sources.request(id);
    if (request === undefined) break;
    proposers.push(request.proposer);
    for (const a of sources.view(id)?.approvals ?? []) {
      if (!a.approved) rejectedBy.push(a.approver);
    }
    rejectedBy.push(...((await sources.failedRejections?.(id)) ?? []));
    id = retryOf(request);
  }
  return { proposers: [...new Set(proposers)], rejectedBy: [...new Set(rejectedBy)] };
}

/**
 * The actors of a workflow's refused approval answers that failed it while saying "reject":
 * BLOCKED approval runs bound to the plan (only an answer that fails the workflow carries
 * `plan_token_hash`; an ignored one does not) whose request had `approved: false`.
 */
export async function failedRejections(
  runs: RunArtifactStore,
  workflowId: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const e of runs.list({ workflowId })) {
    if (e.kind !== 'approval' || e.status !== 'BLOCKED') continue;
    const run = await runs.get(e.run_id);
    if (run.plan_token_hash === undefined || run.actor === null) continue;
    if (run.request['approved'] === false) out.push(run.actor);
  }
  return out;
}
