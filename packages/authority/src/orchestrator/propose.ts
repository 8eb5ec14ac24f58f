/**
 * The start of a workflow (DESIGN "The flow", step 1): the authority's request record, built from
 * a checked proposal, stored, and the workflow's WAL created on it with its first audit events.
 */
import type { JsonObject } from '@clearance/protocol';
import { ClearanceError } from '@clearance/protocol';
import type { EngineEntry } from '../config/index.js';
import { note, now, trackAudit, type OrchestratorContext } from './context.js';
import { putRequest, REQUEST_TYPE, type WorkflowRequest } from './records.js';
import type { Proposal } from './types.js';
import { walEvent } from './wal-events.js';
import { isWorkflowId, WorkflowFiles } from './workflow-files.js';

/**
 * B3: only the authority links a workflow to the one it retries; a client-sent link is removed
 * (and recorded as stripped) so it can neither claim nor hide a retry chain.
 */
export function stripRetryLink(proposal: Proposal): Proposal {
  if (!Object.hasOwn(proposal.context, 'retry_of')) return proposal;
  const context: JsonObject = Object.fromEntries(
    Object.entries(proposal.context).filter(([k]) => k !== 'retry_of'),
  );
  return { ...proposal, context, stripped: [...proposal.stripped, '$.input.context.retry_of'] };
}

/** The request record of a new workflow; VALIDATION_FAILED for a secret the engine has not mapped. */
export function newRequest(
  ctx: OrchestratorContext,
  proposal: Proposal,
  proposer: string,
  engine: EngineEntry,
  retryOf: string | undefined,
): WorkflowRequest {
  const allowed = [...new Set(proposal.allowedSecrets ?? [])].sort();
  const unknown = allowed.filter((n) => !engine.secrets.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new ClearanceError(
      'VALIDATION_FAILED',
      `engine ${engine.id} has no mapped secret ${unknown.join(', ').slice(0, 200)}`,
    );
  }
  const id = `wf-${ctx.home.ids.uuid().replace(/-/g, '')}`;
  if (!isWorkflowId(id)) throw new ClearanceError('INTERNAL', 'id source produced a bad id');
  return {
    workflow_id: id,
    engine: { id: engine.id, version: engine.version, sha256: engine.sha256 },
    workspace: proposal.workspace,
    config: proposal.config,
    context: proposal.context,
    allowed_secrets: allowed,
    proposer,
    stripped: proposal.stripped,
    created_at: now(ctx),
    ...(retryOf === undefined ? {} : { retry_of: retryOf }),
  };
}

/** Store the request and create the workflow's WAL on it (workflow_started, request recorded). */
export async function createWorkflow(
  ctx: OrchestratorContext,
  request: WorkflowRequest,
  hooks: { beforeSync?: () => void },
): Promise<{ files: WorkflowFiles; address: string }> {
  const address = await putRequest(ctx.home.cas, request);
  const files = await WorkflowFiles.create(
    ctx.workflowsDir,
    request.workflow_id,
    ctx.home.clock,
    ctx.home.walKey,
    [
      {
        type: 'artifact_created',
        data: { artifact_id: 'main/request', artifact_hash: address, artifact_type: REQUEST_TYPE },
      },
    ],
    hooks,
  );
  return { files, address };
}

/** The audit events of the new WAL's entries, and a warning for stripped client fields. */
export async function announceProposal(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  address: string,
): Promise<void> {
  const id = request.workflow_id;
  const engine = request.engine;
  files.log.forEach((entry, i) => {
    ctx.faults?.('wal-appended', { workflowId: id, sequence: i, state: 'INIT' });
    trackAudit(
      ctx,
      ctx.home.audit.append(
        walEvent(entry, 'INIT', undefined, {
          message:
            i === 0
              ? `workflow proposed by ${request.proposer}: engine ${engine.id}@${engine.version}, workspace ${request.workspace}`
              : `wal ${i}: request recorded (${address})`,
        }),
      ),
    );
  });
  if (request.stripped.length > 0) {
    await note(ctx, files.view, {
      event_type: 'client_feasibility_stripped',
      severity: 'warning',
      message: `client-sent authority fields were removed before evaluation: ${request.stripped.join(', ')}`,
    });
  }
}
