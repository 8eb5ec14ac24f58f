/**
 * The run artifacts of take-off (RMOS: every attempt leaves one): OK or ERROR once the engine
 * ran, BLOCKED when take-off was refused before it (kind and stamps from the engine's domain).
 */
import type { EngineOutput } from '@clearance/protocol';
import type { RunArtifactBody } from '../runs/run-artifacts.js';
import type { WorkflowView } from '../workflow/reducer.js';
import { recordRun, versionStamp, type OrchestratorContext } from './context.js';
import type { WorkflowRequest } from './records.js';

export async function takeoffRun(
  ctx: OrchestratorContext,
  view: WorkflowView,
  request: WorkflowRequest,
  actor: string,
  status: 'OK' | 'ERROR',
  receipt: EngineOutput | undefined,
  code: string | undefined,
  why?: string,
): Promise<void> {
  await recordRun(ctx, view, {
    kind: 'takeoff',
    status,
    workflow_id: view.workflow_id,
    actor,
    ...(code === undefined ? {} : { code }),
    reason:
      status === 'OK'
        ? 'take-off completed'
        : why === undefined
          ? `take-off failed (${code ?? 'error'})`
          : `take-off failed: ${why.slice(0, 1900)}`,
    request: { workflow_id: view.workflow_id, action: 'takeoff' },
    plan_token_hash: view.planTokenHash,
    hashes: { plan_token_hash: view.planTokenHash },
    versions: versionStamp(ctx, {
      engine: `${request.engine.id}@${request.engine.version}`,
      engine_sha256: request.engine.sha256,
    }),
    ...(receipt === undefined
      ? {}
      : { details: { receipt_id: receipt.receipt_id, status: receipt.status } }),
  });
}

/**
 * A take-off refused before the engine ran (failed integrity check, changed workspace): the
 * workflow has already failed; the refusal also leaves a BLOCKED run artifact.
 */
export async function blockedRun(
  ctx: OrchestratorContext,
  view: WorkflowView,
  request: WorkflowRequest,
  actor: string,
  reason: string,
  code: 'PLAN_TOKEN_MISMATCH' | 'WORKSPACE_CHANGED' = 'PLAN_TOKEN_MISMATCH',
): Promise<WorkflowView> {
  await recordRun(ctx, view, refusedTakeoffRun(ctx, view, request, actor, code, reason));
  return view;
}

/** The BLOCKED run artifact of a refused take-off (kind and stamps from the engine's domain). */
export function refusedTakeoffRun(
  ctx: OrchestratorContext,
  view: WorkflowView,
  request: WorkflowRequest,
  actor: string,
  code: string,
  reason: string,
): RunArtifactBody {
  const domain = ctx.domains.forEngine(request.engine.id);
  return {
    kind: domain.refusedTakeoffKind,
    status: 'BLOCKED',
    workflow_id: view.workflow_id,
    actor,
    code,
    reason: reason.slice(0, 2000),
    request: { workflow_id: view.workflow_id, action: 'takeoff', state: view.state },
    plan_token_hash: view.planTokenHash,
    hashes: { plan_token_hash: view.planTokenHash },
    versions: versionStamp(ctx, domain.stamps(request.engine)),
  };
}
