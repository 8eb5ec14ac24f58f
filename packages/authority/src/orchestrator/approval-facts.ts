/**
 * The facts of an approval submission (§4.2.7), gathered for the pure judgement (approval-rules.ts):
 * first what is in memory (the workflow's view, the config, the clock), then the approver's
 * signature (APR-13) and V3 (re-hashing the stored plan) only as far as they can matter.
 */
import { publicKeyFromPem } from '@clearance/protocol';
import { checkApproverSignature } from '../approver-signatures.js';
import type { PendingApproval, WorkflowView } from '../workflow/reducer.js';
import {
  needsPlanVerification,
  screenApproval,
  type SignatureStatus,
  type SubmissionFacts,
} from './approval-rules.js';
import type { ApprovalSubmission } from './approve.js';
import type { OrchestratorContext } from './context.js';
import { governance } from './token-phase.js';
import type { RetryChainFacts } from './retry-chain.js';
import { verifyPlan } from './verify.js';

/** The facts known without any costly check (read from memory: view, config, clock). */
export function submissionFacts(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  view: WorkflowView | undefined,
  proposer: string | undefined,
  chain: RetryChainFacts | undefined,
): SubmissionFacts {
  return {
    user: s.user,
    approvalId: s.approvalId,
    payloadApprover: s.approver,
    seenPlanTokenHash: s.planTokenHash,
    workflow:
      view === undefined || proposer === undefined
        ? undefined
        : {
            id: view.workflow_id,
            proposer,
            awaiting: view.state === 'AWAITING_APPROVAL',
            pending: view.pending,
            planTokenHash: view.planTokenHash,
            ...(chain === undefined
              ? {}
              : { chainProposers: chain.proposers, rejectedBy: chain.rejectedBy }),
          },
    approved: s.approved,
    allowRejecterReapproval: ctx.config.approvals.allowRejecterReapproval === true,
    addressedWorkflowId: s.workflowId,
    nowMs: ctx.home.clock.now(),
    ttlMs: ctx.config.approvals.ttlMs,
  };
}

/** The costly facts, gathered only as far as the cheap ones let the submission go. */
export interface Evidence {
  readonly facts: { readonly signature: SignatureStatus; readonly tokenVerifies: boolean };
  /** Why the signature failed (for the refusal's reason). */
  readonly signatureProblem?: string;
}

/**
 * The approver-signature check (APR-13) once the caller is an entitled approver of a pending
 * request, and V3 (re-hashing the stored plan) only when it alone decides the verdict.
 */
export async function gatherEvidence(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  view: WorkflowView | undefined,
  facts: SubmissionFacts,
): Promise<Evidence> {
  const screened = screenApproval(facts);
  if (screened.kind !== 'pending' || view === undefined) {
    return { facts: { signature: 'unsigned', tokenVerifies: false } };
  }
  const judged = judgeSignature(ctx, s, view.workflow_id, screened.pending);
  const signature = judged.status;
  const tokenVerifies =
    needsPlanVerification({ ...facts, signature }) &&
    (await verifyPlan(ctx.home.cas, view, governance(ctx))).ok;
  return {
    facts: { signature, tokenVerifies },
    ...(judged.problem === undefined ? {} : { signatureProblem: judged.problem }),
  };
}

/**
 * APR-13 condition 8 for one submission: whether the approver must sign (they registered a key,
 * or the request's role is listed in `approvals.require_signature`) and whether the envelope
 * verifies with their registered key over the binding of this pending request.
 */
function judgeSignature(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  workflowId: string,
  pending: PendingApproval,
): { status: 'valid' | 'unsigned' | 'missing' | 'invalid'; problem?: string } {
  const name = s.user?.name ?? '';
  const pem = ctx.home.users.get(name)?.public_key;
  const required =
    pem !== undefined ||
    (ctx.config.approvals.requireSignature ?? []).includes(pending.required_role);
  if (s.signature === undefined) {
    return required
      ? {
          status: 'missing',
          problem:
            pem === undefined
              ? `role ${pending.required_role} requires signed approvals and ${name} has no registered key`
              : `${name} has a registered key`,
        }
      : { status: 'unsigned' };
  }
  if (pem === undefined) return { status: 'invalid', problem: `${name} has no registered key` };
  const check = checkApproverSignature({
    fields: {
      approval_id: s.approvalId,
      workflow_id: workflowId,
      step_id: pending.step_id,
      plan_token_hash: pending.plan_token_hash,
      approved: s.approved,
      approver: name,
    },
    envelope: s.signature,
    publicKey: publicKeyFromPem(pem),
    nowMs: ctx.home.clock.now(),
  });
  return check.ok ? { status: 'valid' } : { status: 'invalid', problem: check.reason };
}
