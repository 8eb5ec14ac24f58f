/**
 * Acting on an approval submission (§4.2.7), as a checklist: gather the facts (cheap ones first,
 * then the approver signature and V3 only as far as they matter), judge them (approval-rules.ts,
 * pure), then record exactly one run artifact and audit event for the submission and change the
 * workflow only as the verdict says.
 */
import {
  assertApprovalResponseTimestamp,
  assertValid,
  ClearanceError,
  type ApprovalResponse,
  type AuditApproval,
  type ErrorCode,
  type JsonObject,
} from '@clearance/protocol';
import {
  approvalBinding,
  type ApprovalBindingFields,
  type ApproverSignature,
} from '../approver-signatures.js';
import type { PendingApproval, WorkflowView } from '../workflow/reducer.js';
import type { RunArtifactBody } from '../runs/run-artifacts.js';
import { gatherEvidence, submissionFacts, type Evidence } from './approval-facts.js';
import { judgeApproval, type ApprovalRefusal } from './approval-rules.js';
import {
  failWorkflow,
  note,
  now,
  recordRun,
  step,
  versionStamp,
  type OrchestratorContext,
} from './context.js';
import { verifyPhase } from './preflight-phase.js';
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

/** A workflow with a pending request and an authenticated approver: what a verdict acts on. */
interface Answer {
  readonly s: ApprovalSubmission & { readonly user: NonNullable<ApprovalSubmission['user']> };
  readonly files: WorkflowFiles;
  readonly pending: PendingApproval;
}

/**
 * Decide and record one submission (§4.2.7); `files` is the workflow the approval id belongs to,
 * if any. Every submission leaves exactly one run artifact and one audit event.
 */
export async function submitApproval(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  files: WorkflowFiles | undefined,
  proposer: string | undefined,
  chain?: RetryChainFacts,
): Promise<ApprovalOutcome> {
  const facts = submissionFacts(ctx, s, files?.view, proposer, chain);
  const evidence = await gatherEvidence(ctx, s, files?.view, facts);
  const verdict = judgeApproval({ ...facts, ...evidence.facts });
  if (verdict.kind === 'ignore') return recordIgnored(ctx, s, files?.view, verdict, evidence);
  const answer = answerOf(s, files, verdict.pending);
  if (verdict.kind === 'fail') return failOnAnswer(ctx, answer, verdict);
  return acceptAnswer(ctx, answer);
}

/** A refusal that leaves the workflow alone: a BLOCKED (or ERROR, malformed) run and a warning. */
async function recordIgnored(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  view: WorkflowView | undefined,
  verdict: ApprovalRefusal,
  evidence: Evidence,
): Promise<ApprovalOutcome> {
  const reason =
    verdict.code === 'APPROVAL_SIGNATURE_INVALID' && evidence.signatureProblem !== undefined
      ? `${verdict.reason}: ${evidence.signatureProblem}`
      : verdict.reason;
  await note(ctx, view, {
    event_type: verdict.eventType,
    severity: 'warning',
    message: `approval submission for ${s.approvalId} refused (${verdict.code}): ${reason}; state unchanged`,
  });
  const status = MALFORMED.includes(verdict.code) ? 'ERROR' : 'BLOCKED';
  const runId = await recordRun(ctx, view, {
    ...runBase(ctx, s, view),
    status,
    code: verdict.code,
    reason,
  });
  return outcome(status, verdict.code, reason, runId, view);
}

/** A verdict that acts on a workflow always has one, an approver and the pending request. */
function answerOf(
  s: ApprovalSubmission,
  files: WorkflowFiles | undefined,
  pending: PendingApproval | undefined,
): Answer {
  const user = s.user;
  if (files === undefined || user === undefined) {
    throw new ClearanceError('INTERNAL', 'approval verdict without a workflow');
  }
  if (pending === undefined) throw new ClearanceError('INTERNAL', 'verdict without a request');
  return { s: { ...s, user }, files, pending };
}

/** An authenticated holder of the role gave a wrong answer: the workflow ends FAILED (G-35). */
async function failOnAnswer(
  ctx: OrchestratorContext,
  { s, files, pending }: Answer,
  verdict: ApprovalRefusal,
): Promise<ApprovalOutcome> {
  const severity = verdict.code === 'APPROVAL_TOKEN_MISMATCH' ? 'critical' : 'error';
  await note(ctx, files.view, {
    event_type: verdict.eventType,
    severity,
    message: `approval ${s.approvalId} by ${s.user.name} invalid (${verdict.code}): ${verdict.reason}`,
  });
  const after = await failWorkflow(
    ctx,
    files,
    `approval invalid: ${verdict.code}: ${verdict.reason}`,
    { severity },
  );
  const runId = await recordRun(ctx, after, {
    ...runBase(ctx, s, after),
    status: 'BLOCKED',
    code: verdict.code,
    reason: verdict.reason,
    plan_token_hash: pending.plan_token_hash,
  });
  return outcome('BLOCKED', verdict.code, verdict.reason, runId, after);
}

/**
 * An accepted answer: the protocol response (SCH-1), the authority's signature over its binding
 * (APR-13), the signed run artifact, then the WAL `approval_received` (write-ahead, B4), then
 * what the answer does to the workflow.
 */
async function acceptAnswer(ctx: OrchestratorContext, answer: Answer): Promise<ApprovalOutcome> {
  const { s, files } = answer;
  // APR-13: a signed answer is bound at the time the approver signed (checked within the skew).
  const timestamp = s.signature?.timestamp ?? now(ctx);
  const response = approvalResponse(s, timestamp);
  const signed = signBinding(ctx, answer, timestamp);
  const runId = await recordAccepted(ctx, answer, response, signed);
  await step(
    ctx,
    files,
    'approval_received',
    { approval_id: s.approvalId, approved: s.approved, approver: s.user.name },
    { approval: approvalRecord(answer, timestamp), severity: s.approved ? 'info' : 'warning' },
  );
  const after = await settleAnswer(ctx, answer);
  return outcome('OK', undefined, s.approved ? 'approved' : 'rejected', runId, after);
}

/** The accepted answer as the protocol object (SCH-1), validated. */
function approvalResponse(s: Answer['s'], timestamp: string): ApprovalResponse {
  const response: ApprovalResponse = {
    approval_id: s.approvalId,
    approved: s.approved,
    approver: s.user.name,
    timestamp,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
  assertValid('ApprovalResponse', response);
  assertApprovalResponseTimestamp(response.timestamp);
  return response;
}

/** The audit approval record of the accepted answer. */
function approvalRecord({ s, pending }: Answer, timestamp: string): AuditApproval {
  return {
    approval_id: s.approvalId,
    required_role: pending.required_role,
    approved: s.approved,
    approver: s.user.name,
    plan_token_hash: pending.plan_token_hash,
    timestamp,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
  };
}

interface SignedBinding {
  readonly fields: ApprovalBindingFields;
  readonly binding: string;
  readonly signature: string;
}

/** APR-13: the authority signs the binding of this decision to the exact plan (G-30 sidecar). */
function signBinding(
  ctx: OrchestratorContext,
  { s, files, pending }: Answer,
  timestamp: string,
): SignedBinding {
  const fields: ApprovalBindingFields = {
    approval_id: s.approvalId,
    workflow_id: files.view.workflow_id,
    step_id: pending.step_id,
    plan_token_hash: pending.plan_token_hash,
    approved: s.approved,
    approver: s.user.name,
    timestamp,
  };
  const binding = approvalBinding(fields);
  return { fields, binding, signature: ctx.home.key.signer.sign(Buffer.from(binding, 'hex')) };
}

/**
 * Write-ahead (B4): the signed run artifact is durable before the WAL line that relies on it;
 * recovery and take-off accept an approval_received only with it (approval-guard.ts). A crash in
 * between leaves the request pending, never a genuine approval that looks forged.
 */
function recordAccepted(
  ctx: OrchestratorContext,
  { s, files, pending }: Answer,
  response: ApprovalResponse,
  signed: SignedBinding,
): Promise<string> {
  return recordRun(ctx, files.view, {
    ...runBase(ctx, s, files.view),
    status: 'OK',
    reason: s.approved ? 'approved' : 'rejected',
    plan_token_hash: pending.plan_token_hash,
    hashes: { plan_token_hash: pending.plan_token_hash, approval_binding: signed.binding },
    details: {
      approval_response: { ...response },
      binding_signature: signed.signature,
      signature_key_ref: ctx.home.key.keyRef,
      // The fields and the approver's envelope, so the signature re-verifies offline (GEN-6).
      binding: { ...signed.fields },
      ...(s.signature === undefined ? {} : { approver_signature: { ...s.signature } }),
    },
  });
}

/** A rejection fails the workflow; the last approval moves it on to verification. */
async function settleAnswer(ctx: OrchestratorContext, { s, files }: Answer): Promise<WorkflowView> {
  if (!s.approved) {
    return failWorkflow(ctx, files, `approval ${s.approvalId} rejected by ${s.user.name}`, {
      severity: 'warning',
    });
  }
  if (files.view.state === 'APPROVED') await verifyPhase(ctx, files);
  return files.view;
}

/** The fields every approval run artifact carries. */
function runBase(
  ctx: OrchestratorContext,
  s: ApprovalSubmission,
  view: WorkflowView | undefined,
): Omit<RunArtifactBody, 'status' | 'reason'> {
  const request: JsonObject = {
    approval_id: s.approvalId,
    approved: s.approved,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    ...(s.approver === undefined ? {} : { approver: s.approver }),
    ...(s.planTokenHash === undefined ? {} : { plan_token_hash: s.planTokenHash }),
    ...(s.workflowId === undefined ? {} : { workflow_id: s.workflowId }),
    ...(s.signature === undefined ? {} : { signature: { ...s.signature } }),
  };
  return {
    kind: 'approval',
    workflow_id: view?.workflow_id ?? null,
    actor: s.user?.name ?? null,
    request,
    approval_id: s.approvalId,
    versions: versionStamp(ctx),
  };
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
