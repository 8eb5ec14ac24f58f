/**
 * The approval binding rules of spec/cabincrew.md §4.2.7 as one pure, synchronous decision
 * function. The orchestrator gathers the facts first (who is authenticated, the workflow's pending
 * requests, the retry chain, the approver-signature check, the result of re-verifying the
 * plan-token) and acts on the verdict; nothing here does I/O or waits.
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
import { holdsRole, may } from '../authorization.js';
import type { PendingApproval } from '../workflow/reducer.js';

/**
 * APR-13 condition 8 for the pending request: `valid` (signed and verifying), `unsigned` (no
 * signature and none required), `missing` (none but required: the user has a key or a role
 * requiring one), `invalid` (bad signature, unknown key, timestamp outside the skew window).
 */
export type SignatureStatus = 'valid' | 'unsigned' | 'missing' | 'invalid';

/** The facts of one approval submission, all gathered before the judgement. */
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
  /** APR-13 condition 8, checked once the caller is known to hold the role. Absent: `unsigned`. */
  readonly signature?: SignatureStatus;
  /** Workflow the caller addressed (when the route names one): must be the approval's own. */
  readonly addressedWorkflowId: string | undefined;
  readonly nowMs: number;
  readonly ttlMs: number | undefined;
  /**
   * V3: the stored plan-token still verifies against the stored artifacts. Only read when every
   * other condition holds (`needsPlanVerification`); gatherers that skip V3 pass false.
   */
  readonly tokenVerifies: boolean;
}

/** The facts known before any costly check (no signature, no V3). */
export type SubmissionFacts = Omit<ApprovalFacts, 'signature' | 'tokenVerifies'>;

/** A refusal: `ignore` leaves the workflow alone, `fail` ends it (G-35). */
export interface ApprovalRefusal {
  readonly kind: 'ignore' | 'fail';
  readonly code: ErrorCode;
  readonly reason: string;
  readonly eventType: string;
  readonly pending?: PendingApproval;
}

/** What to do with a submission. */
export type ApprovalVerdict =
  { readonly kind: 'accept'; readonly pending: PendingApproval } | ApprovalRefusal;

const ignore = (code: ErrorCode, reason: string, eventType = 'approval_mismatch') =>
  ({ kind: 'ignore', code, reason, eventType }) as const;

/**
 * Judge one submission (§4.2.7 conditions 1–8), as a checklist: refusals that cannot kill a
 * workflow first, then the approver's signature, then the answer's own conditions, then V3.
 */
export function judgeApproval(f: ApprovalFacts): ApprovalVerdict {
  const screened = screenApproval(f);
  if (screened.kind !== 'pending') return screened;
  const { pending } = screened;
  return (
    checkSignature(f.signature ?? 'unsigned') ??
    checkAnswer(f, pending) ??
    checkPlanToken(f, pending) ?? { kind: 'accept', pending }
  );
}

/**
 * Conditions 1–5 and 3 (G-35, U2): the submission must be an answer from someone entitled to
 * answer this pending request. Any refusal here is `ignore`: state unchanged. Needs no I/O.
 */
export function screenApproval(
  f: SubmissionFacts,
): ApprovalRefusal | { readonly kind: 'pending'; readonly pending: PendingApproval } {
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
  if (!may(f.user, 'approve')) {
    return ignore('FORBIDDEN', `${f.user.roles.join(',')} may not approve`);
  }
  // U2 (G-35): without the required role the answer is refused and recorded, state unchanged.
  if (!holdsRole(f.user, pending.required_role)) {
    return ignore(
      'APPROVAL_ROLE_MISSING',
      `approver lacks the required role ${pending.required_role}`,
    );
  }
  return { kind: 'pending', pending };
}

/** Condition 8 (APR-13): an answer the user's own key does not vouch for may be a stolen token. */
function checkSignature(signature: SignatureStatus): ApprovalRefusal | undefined {
  if (signature === 'missing') {
    return ignore(
      'APPROVAL_SIGNATURE_INVALID',
      'this approver must sign the approval binding (APR-13)',
    );
  }
  if (signature === 'invalid') {
    return ignore('APPROVAL_SIGNATURE_INVALID', 'the approver signature does not verify (APR-13)');
  }
  return undefined;
}

/**
 * The answer's own conditions, from a holder of the required role: a wrong answer now ends the
 * workflow (`fail`): another plan than the pending one, proposer or retry-chain proposer (B3),
 * the rejecter re-approving (B3), expired (condition 6).
 */
function checkAnswer(f: ApprovalFacts, pending: PendingApproval): ApprovalRefusal | undefined {
  const wf = f.workflow;
  const name = f.user?.name;
  if (wf === undefined || name === undefined) return undefined; // screened: unreachable
  const fail = (code: ErrorCode, reason: string, eventType = 'approval_mismatch') =>
    ({ kind: 'fail', code, reason, eventType, pending }) as const;
  if (f.seenPlanTokenHash !== undefined && f.seenPlanTokenHash !== pending.plan_token_hash) {
    return fail('APPROVAL_TOKEN_MISMATCH', 'the plan the approver saw is not the one pending');
  }
  if (name === wf.proposer) return fail('APPROVAL_BY_PROPOSER', 'the proposer may not approve');
  // B3: a retry does not launder authorship: every proposer of the chain is a proposer.
  if ((wf.chainProposers ?? []).includes(name)) {
    return fail(
      'APPROVAL_BY_PROPOSER',
      'a proposer of an earlier workflow of this retry chain may not approve',
    );
  }
  // B3: a change rejected once needs a second opinion, not the rejecter changing their mind.
  if (
    f.approved !== false &&
    f.allowRejecterReapproval !== true &&
    (wf.rejectedBy ?? []).includes(name)
  ) {
    return fail(
      'APPROVAL_SEPARATION',
      'the approver who rejected this change may not approve its retry',
    );
  }
  if (f.ttlMs !== undefined && f.nowMs > Date.parse(pending.requested_at) + f.ttlMs) {
    return fail('APPROVAL_EXPIRED', 'approval request has expired', 'approval_expired');
  }
  return undefined;
}

/** Condition 7 (V3): the pending request binds the current plan-token, which still verifies. */
function checkPlanToken(f: ApprovalFacts, pending: PendingApproval): ApprovalRefusal | undefined {
  if (pending.plan_token_hash === f.workflow?.planTokenHash && f.tokenVerifies) return undefined;
  return {
    kind: 'fail',
    code: 'APPROVAL_TOKEN_MISMATCH',
    reason: 'plan-token no longer verifies against the stored artifacts',
    eventType: 'plan_token_verification',
    pending,
  };
}

/**
 * True when V3 (re-hashing the stored artifacts) decides the verdict: every other condition
 * holds. The plan-token is re-verified only then, so floods of refused submissions cost no hashing.
 */
export function needsPlanVerification(f: Omit<ApprovalFacts, 'tokenVerifies'>): boolean {
  const screened = screenApproval(f);
  if (screened.kind !== 'pending') return false;
  const { pending } = screened;
  const f2 = { ...f, tokenVerifies: true };
  return (
    checkSignature(f.signature ?? 'unsigned') === undefined &&
    checkAnswer(f2, pending) === undefined &&
    pending.plan_token_hash === f.workflow?.planTokenHash
  );
}
