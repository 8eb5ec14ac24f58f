/**
 * Recovery on start (spec/cabincrew.md §4.2.10 crash rules; WAL-4..WAL-9): every WAL is replayed,
 * missing WAL-driven audit events are emitted exactly once (deterministic ids), and each workflow
 * continues according to the state rebuilt from its WAL:
 *
 *   PLAN_RUNNING            re-run flight-plan (side-effect free), audited as recovery_rerun
 *   validate / preflight / verify open   re-run the step (deterministic), audited
 *   ARTIFACTS_VALIDATED     rebuild the token (deterministic)
 *   TOKEN_CREATED, PREFLIGHT_COMPLETE, APPROVED, READY_FOR_TAKEOFF, AWAITING_APPROVAL   V6, then go on
 *   TAKEOFF_RUNNING         outcome unknown: FAILED, critical; never re-run or skipped
 *   EXECUTION_COMPLETE      V5, then COMPLETED
 *
 * A corrupt WAL halts its workflow: it is reported FAILED, audited once, and its file is never
 * rewritten (nothing can be appended to a WAL that no longer verifies).
 */
import { HASH_DOMAINS, hasCode, type EngineOutput } from '@clearance/protocol';
import { isEngineOutput } from '../plan/index.js';
import type { TornTail } from '../audit/torn-tail.js';
import { trail } from '../workflow/reducer.js';
import { walEvent, walEventId } from './wal-events.js';
import { crossCheckWal, haltCrossCheck } from './approval-guard.js';
import { failWorkflow, note, type OrchestratorContext } from './context.js';
import { planArtifactsDir, planPhase } from './plan-phase.js';
import { governance, tokenPhase } from './token-phase.js';
import { validatePhase } from './validate-phase.js';
import { continueAfterPreflight, preflightPhase, verifyPhase } from './preflight-phase.js';
import { getObject } from './objects.js';
import {
  ARTIFACT_SET_TYPE,
  getRequest,
  RECEIPT_TYPE,
  REQUEST_TYPE,
  WORKSPACE_HASH_TYPE,
  type WorkflowRequest,
} from './records.js';
import { completeWorkflow } from './takeoff-phase.js';
import { verifyPlan } from './verify.js';
import type { WorkflowFiles } from './workflow-files.js';

/** What recovery did to one workflow. */
export interface RecoveryAction {
  readonly workflow_id: string;
  readonly from: string;
  readonly action: string;
}

/**
 * Emit the audit events of WAL entries that the log does not have (crash between the two) — but
 * only up to the first entry that fails the WAL ↔ audit ↔ run-artifact cross-check (B4): nothing
 * is signed for a forged line, and such a workflow is halted (approval-guard.ts).
 */
export async function reconcileAudit(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<number> {
  let emitted = 0;
  const items = trail(files.log);
  const check = await crossCheckWal(ctx, files, items);
  for (const item of items) {
    if (check !== undefined && item.entry.sequence >= check.cut) break;
    const event = walEvent(item.entry, item.state, item.stepType, {
      message: `wal ${item.entry.sequence}: ${item.entry.entry_type} → ${item.state} (recorded on recovery)`,
    });
    if (event.event_id !== undefined && !ctx.home.audit.hasEvent(event.event_id)) {
      await ctx.home.audit.append(event);
      emitted += 1;
    }
  }
  if (check !== undefined) await haltCrossCheck(ctx, files, check);
  return emitted;
}

/** Audit a torn WAL tail that was cut off (S-24c). */
export async function auditTornTail(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  torn: TornTail,
): Promise<void> {
  await note(ctx, files.view, {
    event_type: 'incomplete_entry',
    severity: 'warning',
    message: `torn final WAL line of ${files.id} (${torn.length} bytes at offset ${torn.offset}, sha256 ${torn.sha256}) was never committed; quarantined as ${torn.quarantinedAs} and truncated`,
  });
}

/** Audit a corrupt WAL exactly once (deterministic id). */
export async function auditCorruptWal(
  ctx: OrchestratorContext,
  workflowId: string,
  message: string,
): Promise<void> {
  const eventId = walEventId(workflowId, -1, 'wal_corrupt');
  if (ctx.home.audit.hasEvent(eventId)) return;
  await ctx.home.audit.append({
    event_id: eventId,
    event_type: 'workflow_failure',
    severity: 'critical',
    workflow_state: 'FAILED',
    workflow: { workflow_id: workflowId, step_id: 'main' },
    message: `workflow halted: ${message}; the WAL is kept unchanged for forensics`,
  });
}

/** Apply the crash rules to one replayed workflow. */
export async function resume(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<RecoveryAction> {
  const view = files.view;
  const from = view.state;
  const done = (action: string): RecoveryAction => ({ workflow_id: files.id, from, action });
  if (from === 'COMPLETED' || from === 'FAILED') return done('none');
  const request = await loadRequest(ctx, files);
  if (request === undefined) {
    const missing = files.view.objects[REQUEST_TYPE] === undefined;
    await failWorkflow(
      ctx,
      files,
      missing
        ? 'proposal interrupted before its request was recorded'
        : 'recovery: the workflow request is unreadable',
      { severity: missing ? 'error' : 'critical' },
    );
    return done('failed: request unreadable');
  }
  const open = view.openStep?.step_type;
  if (from === 'TAKEOFF_RUNNING') {
    await failWorkflow(ctx, files, 'take-off interrupted; outcome unknown', {
      severity: 'critical',
      message:
        'take-off was running when the authority stopped: outcome unknown; not re-run and not marked complete (an operator may retry explicitly)',
    });
    return done('failed: take-off outcome unknown');
  }
  if (from === 'INIT' || from === 'PLAN_RUNNING') {
    await rerun(ctx, files, 'flight-plan');
    await planThenPreflight(ctx, files, request);
    return done('re-ran flight-plan');
  }
  if (open === 'validate' || from === 'PLAN_GENERATED') {
    await rerun(ctx, files, 'validation');
    if (await revalidate(ctx, files, request)) await preflightPhase(ctx, files, request);
    return done('re-ran validation');
  }
  if (from === 'ARTIFACTS_VALIDATED') {
    if (await retoken(ctx, files, request)) await preflightPhase(ctx, files, request);
    return done('rebuilt the plan-token');
  }
  if (open === 'preflight') {
    await rerun(ctx, files, 'preflight');
    await preflightPhase(ctx, files, request, false);
    return done('re-ran preflight');
  }
  // Every other state rests on a plan-token: V6 first (WAL-4, WAL-8, S-25).
  const v6 = await verifyPlan(ctx.home.cas, files.view, governance(ctx));
  if (!v6.ok) {
    await failWorkflow(ctx, files, `V6 (recovery): ${v6.reason}`, {
      severity: 'critical',
      integrity_check: { plan_token_match: false, differences: [...v6.differences] },
    });
    return done('failed: V6 mismatch');
  }
  if (open === 'verify') {
    await rerun(ctx, files, 'verify');
    await verifyPhase(ctx, files);
    return done('re-ran verify');
  }
  switch (from) {
    case 'TOKEN_CREATED':
      await preflightPhase(ctx, files, request, false);
      return done('continued to preflight');
    case 'PREFLIGHT_COMPLETE':
      await continueAfterPreflight(ctx, files);
      return done('continued after preflight');
    case 'AWAITING_APPROVAL':
      // Issue any approval request the crash prevented (one per demanded role); the others stay.
      await continueAfterPreflight(ctx, files);
      return done('paused for approval (V6 ok)');
    case 'APPROVED':
      await verifyPhase(ctx, files);
      return done('continued to verify');
    case 'EXECUTION_COMPLETE':
      await completeWorkflow(ctx, files);
      return done('completed after V5');
    default:
      return done('paused (V6 ok)');
  }
}

async function planThenPreflight(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
): Promise<void> {
  if (await planPhase(ctx, files, request)) await preflightPhase(ctx, files, request);
}

async function rerun(ctx: OrchestratorContext, files: WorkflowFiles, what: string): Promise<void> {
  await note(ctx, files.view, {
    event_type: 'recovery_rerun',
    severity: 'warning',
    message: `recovery: ${what} was interrupted in ${files.view.state}; re-running it (deterministic, side-effect free)`,
  });
}

async function loadRequest(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<WorkflowRequest | undefined> {
  const address = files.view.objects[REQUEST_TYPE];
  if (address === undefined) return undefined;
  try {
    return await getRequest(ctx.home.cas, address);
  } catch (err) {
    if (hasCode(err)) return undefined;
    throw err;
  }
}

async function storedReceipt(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<EngineOutput | undefined> {
  const address = files.view.objects[RECEIPT_TYPE];
  if (address === undefined) return undefined;
  const record = await getObject(ctx.home.cas, address, HASH_DOMAINS.ENGINE_RECEIPT);
  const receipt: unknown = record['receipt'];
  return isEngineOutput(receipt) ? receipt : undefined;
}

async function revalidate(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
): Promise<boolean> {
  const receipt = await storedReceipt(ctx, files);
  const hash = planWorkspaceHash(files);
  if (receipt === undefined || hash === undefined) {
    await failWorkflow(ctx, files, 'recovery: the flight-plan receipt or workspace hash is lost', {
      severity: 'error',
    });
    return false;
  }
  const engine = ctx.registry.get(request.engine.id);
  return validatePhase(
    ctx,
    files,
    request,
    engine,
    hash,
    planArtifactsDir(ctx, files.id, files.view.runs - 1),
    receipt,
  );
}

async function retoken(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
): Promise<boolean> {
  const receipt = await storedReceipt(ctx, files);
  const hash = planWorkspaceHash(files);
  const set = files.view.objects[ARTIFACT_SET_TYPE];
  if (receipt === undefined || hash === undefined || set === undefined) {
    await failWorkflow(ctx, files, 'recovery: the validated artifacts are lost', {
      severity: 'error',
    });
    return false;
  }
  const engine = ctx.registry.get(request.engine.id);
  return tokenPhase(ctx, files, request, engine, hash, receipt, set);
}

/** The workspace hash the flight-plan ran on (recorded before the launch). */
function planWorkspaceHash(files: WorkflowFiles): string | undefined {
  return files.view.objects[WORKSPACE_HASH_TYPE];
}
