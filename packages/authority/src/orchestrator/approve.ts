/**
 * Acting on an approval submission (§4.2.7): judge it (approval-rules.ts), then record exactly one
 * run artifact and audit event for it, and change the workflow only as the verdict says.
 */
import {
  assertApprovalResponseTimestamp,
  assertValid,
  ClearanceError,
  publicKeyFromPem,
  type ApprovalResponse,
  type ErrorCode,
  type JsonObject,
} from '@clearance/protocol';
import {
  approvalBinding,
  checkApproverSignature,
  type ApprovalBindingFields,
  type ApproverSignature,
} from '../approver-signatures.js';
import type { PendingApproval, WorkflowView } from '../workflow/reducer.js';
import { judgeApproval } from './approval-rules.js';
import {
  failWorkflow,
  note,
  now,
  recordRun,
  step,
  versionStamp,
  type OrchestratorContext,
} from './context.js';
import { governance } from './plan-phase.js';
import { verifyPhase } from './preflight-phase.js';
import { verifyPlan } from './verify.js';
import type { RetryChainFacts } from './retry-chain.js';
import type { WorkflowFiles } from './workflow-files.js';

/** A submission as received (already parsed at the edge). */
export interface ApprovalSubmission {
  readonly approvalId: string;
  readonly approved: boolean;
  readonly reason?: string;
  readonly approver?: string;
  /** The plan-token hash the approver was shown. */
  readonly planTokenHash?: string;
  readonly user: { readonly name: string; readonly roles: readonly string[] } | undefined;
  /** Workflow id named by the route, when it names one. */
  readonly workflowId?: string;
  /** APR-13: the approver's signature envelope over the §4.2.7 binding, when sent. */
  readonly signature?: ApproverSignature;
}

/** What happened to a submission. */
export interface ApprovalOutcome {
  readonly status: 'OK' | 'BLOCKED' | 'ERROR';
  readonly code?: ErrorCode;
  readonly reason: string;
  readonly run_id: string;
  readonly workflow_id: string | null;
  readonly state: string | undefined;
}

const MALFORMED: readonly ErrorCode[] = ['AUTH_REQUIRED', 'APPROVAL_INVALID'];

/** Decide and record one submission; `files` is the workflow the approval id belongs to, if any. */
export async function submitApproval(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  files: WorkflowFiles | undefined,
  proposer: string | undefined,
  chain?: RetryChainFacts,
): Promise<ApprovalOutcome> {
  const view = files?.view;
  let signatureProblem: string | undefined;
  const verdict = await judgeApproval({
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
    approverSignature: (pending) => {
      if (view === undefined || s.user === undefined) return 'invalid';
      const judged = judgeSignature(ctx, s, view.workflow_id, pending);
      signatureProblem = judged.problem;
      return judged.status;
    },
    addressedWorkflowId: s.workflowId,
    nowMs: ctx.home.clock.now(),
    ttlMs: ctx.config.approvals.ttlMs,
    tokenVerifies: async () =>
      view !== undefined && (await verifyPlan(ctx.home.cas, view, governance(ctx))).ok,
  });
  const request: JsonObject = {
    approval_id: s.approvalId,
    approved: s.approved,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    ...(s.approver === undefined ? {} : { approver: s.approver }),
    ...(s.planTokenHash === undefined ? {} : { plan_token_hash: s.planTokenHash }),
    ...(s.workflowId === undefined ? {} : { workflow_id: s.workflowId }),
    ...(s.signature === undefined ? {} : { signature: { ...s.signature } }),
  };
  const base = {
    kind: 'approval',
    workflow_id: view?.workflow_id ?? null,
    actor: s.user?.name ?? null,
    request,
    approval_id: s.approvalId,
    versions: versionStamp(ctx),
  };
  if (verdict.kind === 'ignore') {
    const reason =
      verdict.code === 'APPROVAL_SIGNATURE_INVALID' && signatureProblem !== undefined
        ? `${verdict.reason}: ${signatureProblem}`
        : verdict.reason;
    await note(ctx, view, {
      event_type: verdict.eventType,
      severity: 'warning',
      message: `approval submission for ${s.approvalId} refused (${verdict.code}): ${reason}; state unchanged`,
    });
    const status = MALFORMED.includes(verdict.code) ? 'ERROR' : 'BLOCKED';
    const runId = await recordRun(ctx, view, {
      ...base,
      status,
      code: verdict.code,
      reason,
    });
    return outcome(status, verdict.code, reason, runId, view);
  }
  if (files === undefined || view === undefined || s.user === undefined) {
    throw new ClearanceError('INTERNAL', 'approval verdict without a workflow');
  }
  const pending = verdict.pending;
  if (pending === undefined) throw new ClearanceError('INTERNAL', 'verdict without a request');
  if (verdict.kind === 'fail') {
    await note(ctx, view, {
      event_type: verdict.eventType,
      severity: verdict.code === 'APPROVAL_TOKEN_MISMATCH' ? 'critical' : 'error',
      message: `approval ${s.approvalId} by ${s.user.name} invalid (${verdict.code}): ${verdict.reason}`,
    });
    const after = await failWorkflow(
      ctx,
      files,
      `approval invalid: ${verdict.code}: ${verdict.reason}`,
      {
        severity: verdict.code === 'APPROVAL_TOKEN_MISMATCH' ? 'critical' : 'error',
      },
    );
    const runId = await recordRun(ctx, after, {
      ...base,
      status: 'BLOCKED',
      code: verdict.code,
      reason: verdict.reason,
      plan_token_hash: pending.plan_token_hash,
    });
    return outcome('BLOCKED', verdict.code, verdict.reason, runId, after);
  }
  // APR-13: a signed answer is bound at the time the approver signed (checked within the skew).
  const timestamp = s.signature?.timestamp ?? now(ctx);
  const approval = {
    approval_id: s.approvalId,
    required_role: pending.required_role,
    approved: s.approved,
    approver: s.user.name,
    plan_token_hash: pending.plan_token_hash,
    timestamp,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
  // The accepted answer as the protocol object (SCH-1), kept in the run artifact.
  const response: ApprovalResponse = {
    approval_id: s.approvalId,
    approved: s.approved,
    approver: s.user.name,
    timestamp,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
  assertValid('ApprovalResponse', response);
  assertApprovalResponseTimestamp(response.timestamp);
  // APR-13: the authority signs the binding of this decision to the exact plan (G-30 sidecar).
  const bindingFields: ApprovalBindingFields = {
    approval_id: s.approvalId,
    workflow_id: view.workflow_id,
    step_id: pending.step_id,
    plan_token_hash: pending.plan_token_hash,
    approved: s.approved,
    approver: s.user.name,
    timestamp,
  };
  const binding = approvalBinding(bindingFields);
  const signature = ctx.home.key.signer.sign(Buffer.from(binding, 'hex'));
  // Write-ahead (B4): the signed run artifact is durable before the WAL line that relies on it;
  // recovery and take-off accept an approval_received only with it (approval-guard.ts). A crash
  // in between leaves the request pending, never a genuine approval that looks forged.
  const runId = await recordRun(ctx, view, {
    ...base,
    status: 'OK',
    reason: s.approved ? 'approved' : 'rejected',
    plan_token_hash: pending.plan_token_hash,
    hashes: { plan_token_hash: pending.plan_token_hash, approval_binding: binding },
    details: {
      approval_response: { ...response },
      binding_signature: signature,
      signature_key_ref: ctx.home.key.keyRef,
      // The fields and the approver's envelope, so the signature re-verifies offline (GEN-6).
      binding: { ...bindingFields },
      ...(s.signature === undefined ? {} : { approver_signature: { ...s.signature } }),
    },
  });
  await step(
    ctx,
    files,
    'approval_received',
    { approval_id: s.approvalId, approved: s.approved, approver: s.user.name },
    { approval, severity: s.approved ? 'info' : 'warning' },
  );
  let after = files.view;
  if (!s.approved) {
    after = await failWorkflow(ctx, files, `approval ${s.approvalId} rejected by ${s.user.name}`, {
      severity: 'warning',
    });
  }
  if (after.state === 'APPROVED') {
    await verifyPhase(ctx, files);
    after = files.view;
  }
  return outcome('OK', undefined, s.approved ? 'approved' : 'rejected', runId, after);
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

function outcome(
  status: ApprovalOutcome['status'],
  code: ErrorCode | undefined,
  reason: string,
  runId: string,
  view: WorkflowView | undefined,
): ApprovalOutcome {
  return {
    status,
    ...(code === undefined ? {} : { code }),
    reason,
    run_id: runId,
    workflow_id: view?.workflow_id ?? null,
    state: view?.state,
  };
}
