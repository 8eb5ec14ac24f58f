/**
 * The approval binding rules of spec/cabincrew.md §4.2.7 as one pure decision function. The
 * orchestrator supplies the facts (who is authenticated, the workflow's pending requests, the
 * result of re-verifying the plan-token) and acts on the verdict; nothing here does I/O.
 *
 * Two kinds of refusal (G-35):
 * - `ignore`: the submission is not a valid answer from someone entitled to answer (no
 *   authentication, an unknown or no-longer-pending id, a request from another workflow, a
 *   principal that is not an approver at all or lacks the request's role, a payload naming
 *   someone else, an answer the user's registered key did not sign). It is recorded and audited;
 *   the workflow state does not change, so a forged or stale response can never be used to kill
 *   a workflow.
 * - `fail`: an authenticated principal holding the request's required role gave an answer that
 *   the rules forbid (a plan other than the pending one, own workflow or one of its retry chain,
 *   re-approval after rejecting it, expired, plan-token no longer verifies). The workflow ends
 *   FAILED.
 *
 * U2: only a holder of the required role can kill a workflow with a wrong answer. Anyone else
 * (wrong role, a key-holder whose answer is unsigned or badly signed) is ignored, so a leaked
 * token of an unrelated user cannot end somebody else's change.
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
        /**
         * B3: every proposer of the workflow's retry chain (the workflow, the one it retries, …),
         * from the authority's stored requests. Each counts as a proposer for the rules.
         */
        readonly chainProposers?: readonly string[];
        /** B3: users who rejected an earlier workflow of the retry chain. */
        readonly rejectedBy?: readonly string[];
      }
    | undefined;
  /** The answer approves (true) or rejects (false). */
  readonly approved?: boolean;
  /** Config rule `approvals.allow_rejecter_reapproval` (default false). */
  readonly allowRejecterReapproval?: boolean;
  /**
   * APR-13 condition 8, evaluated for the pending request once the caller is known to hold its
   * role: `valid` (signed and verifying), `unsigned` (no signature and none required), `missing`
   * (none but required: the user has a key or a role requiring one), `invalid` (bad signature,
   * unknown key, timestamp outside the skew window). Absent: `unsigned`.
   */
  readonly approverSignature?: (
    pending: PendingApproval,
  ) => 'valid' | 'unsigned' | 'missing' | 'invalid';
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
 * Judge one submission (§4.2.7 conditions 1–8; refusals that cannot kill a workflow first). The plan-token is re-verified (V3) only
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
  // U2 (G-35): without the required role the answer is refused and recorded, state unchanged.
  if (!f.user.roles.includes(pending.required_role)) {
    return ignore(
      'APPROVAL_ROLE_MISSING',
      `approver lacks the required role ${pending.required_role}`,
    );
  }
  // APR-13: an answer the user's own key does not vouch for may come from a stolen token.
  const signature = f.approverSignature?.(pending) ?? 'unsigned';
  if (signature === 'missing') {
    return ignore(
      'APPROVAL_SIGNATURE_INVALID',
      'this approver must sign the approval binding (APR-13)',
    );
  }
  if (signature === 'invalid') {
    return ignore('APPROVAL_SIGNATURE_INVALID', 'the approver signature does not verify (APR-13)');
  }
  const fail = (code: ErrorCode, reason: string, eventType: string) =>
    ({ kind: 'fail', code, reason, eventType, pending }) as const;
  if (f.seenPlanTokenHash !== undefined && f.seenPlanTokenHash !== pending.plan_token_hash) {
    return fail(
      'APPROVAL_TOKEN_MISMATCH',
      'the plan the approver saw is not the one pending',
      'approval_mismatch',
    );
  }
  if (f.user.name === wf.proposer) {
    return fail('APPROVAL_BY_PROPOSER', 'the proposer may not approve', 'approval_mismatch');
  }
  // B3: a retry does not launder authorship: every proposer of the chain is a proposer.
  if ((wf.chainProposers ?? []).includes(f.user.name)) {
    return fail(
      'APPROVAL_BY_PROPOSER',
      'a proposer of an earlier workflow of this retry chain may not approve',
      'approval_mismatch',
    );
  }
  // B3: a change rejected once needs a second opinion, not the rejecter changing their mind.
  if (
    f.approved !== false &&
    f.allowRejecterReapproval !== true &&
    (wf.rejectedBy ?? []).includes(f.user.name)
  ) {
    return fail(
      'APPROVAL_SEPARATION',
      'the approver who rejected this change may not approve its retry',
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
