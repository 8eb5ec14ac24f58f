/**
 * The approval binding rules of spec/cabincrew.md §4.2.7 as one pure decision function. The
 * orchestrator supplies the facts (who is authenticated, the workflow's pending requests, the
 * result of re-verifying the plan-token) and acts on the verdict; nothing here does I/O.
 *
 * Two kinds of refusal (G-35):
 * - `ignore`: the submission is not a valid answer from someone entitled to answer (no
 *   authentication, an unknown or no-longer-pending id, a request from another workflow, a
 *   principal that is not an approver at all, a payload naming someone else, a plan the user did
 *   not see). It is recorded and audited; the workflow state does not change, so a forged or stale
 *   response can never be used to kill a workflow.
 * - `fail`: an authenticated approver gave an answer that the rules forbid (wrong role, own
 *   workflow, expired, plan-token no longer verifies). The workflow ends FAILED.
 */
import type { ErrorCode } from '@clearance/protocol';
import type { PendingApproval } from '../workflow/reducer.js';

/** Roles that never approve anything, whatever a policy asks for. */
export const NON_APPROVER_ROLES: readonly string[] = ['agent', 'auditor'];

/** The facts of one approval submission. */
export interface ApprovalFacts {
  /** Authenticated user, or undefined when authentication failed or was absent. */
  readonly user: { readonly name: string; readonly roles: readonly string[] } | undefined;
  readonly approvalId: string;
  /** `approver` named in the payload, if any. */
  readonly payloadApprover: string | undefined;
  /** Plan-token hash the client says it saw, if it sent one. */
  readonly seenPlanTokenHash: string | undefined;
  /** The workflow the approval id belongs to (undefined: unknown id). */
  readonly workflow:
    | {
        readonly id: string;
        readonly proposer: string;
        readonly awaiting: boolean;
        readonly pending: readonly PendingApproval[];
        readonly planTokenHash: string;
      }
    | undefined;
  /** Workflow the caller addressed (when the route names one): must be the approval's own. */
  readonly addressedWorkflowId: string | undefined;
  readonly nowMs: number;
  readonly ttlMs: number | undefined;
  /** V3: the stored plan-token still verifies against the stored artifacts. */
  readonly tokenVerifies: () => Promise<boolean>;
}

/** What to do with a submission. */
export type ApprovalVerdict =
  | { readonly kind: 'accept'; readonly pending: PendingApproval }
  | {
      readonly kind: 'ignore' | 'fail';
      readonly code: ErrorCode;
      readonly reason: string;
      readonly eventType: string;
      readonly pending?: PendingApproval;
    };

const ignore = (code: ErrorCode, reason: string, eventType = 'approval_mismatch') =>
  ({ kind: 'ignore', code, reason, eventType }) as const;

/**
 * Judge one submission (§4.2.7 conditions 1–7, in order). The plan-token is re-verified (V3) only
 * once every cheaper condition holds, so unauthenticated floods cost no hashing.
 */
export async function judgeApproval(f: ApprovalFacts): Promise<ApprovalVerdict> {
  if (f.user === undefined) return ignore('AUTH_REQUIRED', 'unauthenticated approval submission');
  if (f.payloadApprover !== undefined && f.payloadApprover !== f.user.name) {
    return ignore('APPROVAL_INVALID', 'payload names an approver other than the signed-in user');
  }
  const wf = f.workflow;
  if (wf === undefined) return ignore('APPROVAL_NOT_FOUND', 'unknown approval id');
  if (f.addressedWorkflowId !== undefined && f.addressedWorkflowId !== wf.id) {
    return ignore('APPROVAL_NOT_FOUND', 'approval id belongs to another workflow');
  }
  const pending = wf.pending.find((p) => p.approval_id === f.approvalId);
  if (pending === undefined || !wf.awaiting) {
    return ignore(
      'APPROVAL_NOT_PENDING',
      'approval is not pending (answered, superseded or ended)',
    );
  }
  if (f.user.roles.every((r) => NON_APPROVER_ROLES.includes(r))) {
    return ignore('FORBIDDEN', `${f.user.roles.join(',')} may not approve`);
  }
  if (f.seenPlanTokenHash !== undefined && f.seenPlanTokenHash !== pending.plan_token_hash) {
    return ignore('APPROVAL_TOKEN_MISMATCH', 'the plan the approver saw is not the one pending');
  }
  const fail = (code: ErrorCode, reason: string, eventType: string) =>
    ({ kind: 'fail', code, reason, eventType, pending }) as const;
  if (f.user.name === wf.proposer) {
    return fail('APPROVAL_BY_PROPOSER', 'the proposer may not approve', 'approval_mismatch');
  }
  if (!f.user.roles.includes(pending.required_role)) {
    return fail(
      'APPROVAL_ROLE_MISSING',
      `approver lacks the required role ${pending.required_role}`,
      'approval_mismatch',
    );
  }
  if (f.ttlMs !== undefined && f.nowMs > Date.parse(pending.requested_at) + f.ttlMs) {
    return fail('APPROVAL_EXPIRED', 'approval request has expired', 'approval_expired');
  }
  if (pending.plan_token_hash !== wf.planTokenHash || !(await f.tokenVerifies())) {
    return fail(
      'APPROVAL_TOKEN_MISMATCH',
      'plan-token no longer verifies against the stored artifacts',
      'plan_token_verification',
    );
  }
  return { kind: 'accept', pending };
}
