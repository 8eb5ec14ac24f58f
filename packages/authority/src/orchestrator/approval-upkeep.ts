/**
 * What happens to approvals outside an answer: a submission too malformed to judge is still
 * recorded (every attempt leaves a record), and a request that outlived its TTL fails its
 * workflow (G-31: expiry = reject).
 */
import type { PendingApproval, WorkflowView } from '../workflow/reducer.js';
import {
  failWorkflow,
  note,
  recordRun,
  versionStamp,
  type OrchestratorContext,
} from './context.js';
import type { Principal } from './types.js';
import type { WorkflowFiles } from './workflow-files.js';

/** A submission that could not even be parsed (malformed body). */
export interface MalformedApproval {
  readonly approvalId?: string;
  readonly user: Principal | undefined;
  readonly reason: string;
}

/** An ERROR run artifact and an audit event for a malformed submission; no workflow change. */
export async function recordMalformed(
  ctx: OrchestratorContext,
  view: WorkflowView | undefined,
  info: MalformedApproval,
): Promise<string> {
  await note(ctx, view, {
    event_type: 'approval_mismatch',
    severity: 'warning',
    message: `malformed approval submission${info.approvalId === undefined ? '' : ` for ${info.approvalId.slice(0, 80)}`} refused: ${info.reason.slice(0, 300)}`,
  });
  return recordRun(ctx, view, {
    kind: 'approval',
    status: 'ERROR',
    workflow_id: view?.workflow_id ?? null,
    actor: info.user?.name ?? null,
    code: 'APPROVAL_INVALID',
    reason: info.reason.slice(0, 500),
    request: { approval_id: info.approvalId?.slice(0, 80) ?? null, malformed: true },
    versions: versionStamp(ctx),
  });
}

/** The first request of a workflow awaiting approval that is past its TTL (pure). */
export function lateApproval(
  view: WorkflowView,
  nowMs: number,
  ttlMs: number,
): PendingApproval | undefined {
  if (view.state !== 'AWAITING_APPROVAL') return undefined;
  return view.pending.find((p) => nowMs > Date.parse(p.requested_at) + ttlMs);
}

/**
 * Fail the workflow for its expired request, if that request is still pending (an answer may
 * have come in while the expiry waited in the queue). True when the workflow was failed.
 */
export async function expireApproval(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  late: PendingApproval,
  ttlMs: number,
): Promise<boolean> {
  const current = files.view.pending.find((p) => p.approval_id === late.approval_id);
  if (files.view.state !== 'AWAITING_APPROVAL' || current === undefined) return false;
  await note(ctx, files.view, {
    event_type: 'approval_expired',
    severity: 'warning',
    message: `approval ${late.approval_id} (role ${late.required_role}) expired unanswered after ${ttlMs} ms`,
  });
  await failWorkflow(ctx, files, `approval ${late.approval_id} expired`, { severity: 'warning' });
  return true;
}
