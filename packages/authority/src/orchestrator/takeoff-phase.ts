/**
 * Take-off (DESIGN "The flow", step 6), reachable only from READY_FOR_TAKEOFF:
 *
 *   restore the stored artifacts into a fresh read-only folder → V4 on the store and the copy,
 *   and the workspace must still be the one the plan was made on → materialise the pinned engine
 *   → step_started take-off (from here a crash means "outcome unknown") → sandboxed engine with
 *   the workspace writable → receipt → V5 → step_completed → run artifact → workflow_completed.
 */
import { chmod } from 'node:fs/promises';
import { ClearanceError, hasCode } from '@clearance/protocol';
import type { EngineEntry, WorkspaceEntry } from '../config/index.js';
import { hashWorkspace, restoreArtifacts } from '../plan/index.js';
import { ENGINE_STEP, PLAN_TOKEN_ARTIFACT_TYPE, type WorkflowView } from '../workflow/reducer.js';
import {
  dropRunDir,
  failWorkflow,
  freshRunDir,
  recordRun,
  item,
  step,
  steps,
  type BatchItem,
  type OrchestratorContext,
} from './context.js';
import { domainItem, takeoffOutputs } from './domain-ports.js';
import {
  auditEngine,
  engineInput,
  failureOf,
  isSupplyChainError,
  launchDirs,
  launchEngine,
  type LaunchDirs,
  type LaunchResult,
} from './launch.js';
import { stderrText } from './plan-phase.js';
import { governance } from './token-phase.js';
import { refuseUnbackedApprovals } from './approval-guard.js';
import { PLAN_RECORD_TYPE, REQUEST_TYPE, type WorkflowRequest } from './records.js';
import { resolveSecrets } from './secrets.js';
import { planRecords, verifyPlan, type PlanVerification } from './verify.js';
import type { WorkflowFiles } from './workflow-files.js';
import type { HeldLock } from './workspace-lock.js';
import { blockedRun, refusedTakeoffRun, takeoffRun } from './takeoff-runs.js';

/**
 * Run take-off for a workflow in READY_FOR_TAKEOFF, on behalf of `actor`. From its workspace-hash
 * check until its engine has exited, a take-off holds its workspace's lock exclusively (B1): the
 * check of V4 and the engine's change happen without another take-off in between, and no
 * flight-plan sees a half-applied change. Restoring, verifying and recording run outside it.
 */
export async function takeoffPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  actor: string,
): Promise<WorkflowView> {
  // B4: an approval counts only with its authority-signed run artifact (approval-guard.ts).
  const unbacked = await refuseUnbackedApprovals(ctx, files);
  if (unbacked !== undefined) {
    const why = 'an approval has no matching authority-signed run artifact';
    await recordRun(
      ctx,
      unbacked,
      refusedTakeoffRun(ctx, unbacked, request, actor, 'APPROVAL_INVALID', why),
    );
    return unbacked;
  }
  const slot: LockSlot = {};
  try {
    return await takeoffSteps(ctx, files, request, actor, slot);
  } finally {
    slot.held?.release();
  }
}

/** The workspace lock a take-off holds, once it holds it (released by the caller at the latest). */
interface LockSlot {
  held?: HeldLock;
}

/** What every step of one take-off shares. */
interface TakeoffRun {
  readonly ctx: OrchestratorContext;
  readonly files: WorkflowFiles;
  readonly request: WorkflowRequest;
  readonly actor: string;
  readonly engine: EngineEntry;
  readonly workspace: WorkspaceEntry;
  readonly records: Awaited<ReturnType<typeof planRecords>>;
  readonly dirs: LaunchDirs;
}

/** A step hands its result on, or it ended the workflow (the view after that). */
type Next<T> = { readonly go: T } | { readonly ended: WorkflowView };

/**
 * The take-off checklist: (1) restore the stored artifacts and check V4 on the store and the
 * copy → (2) under the workspace lock, the workspace is still the planned one and the engine's
 * secrets are available → (3) step_started, the sandboxed engine → (4) its receipt and V5 →
 * (5) the domain checks the outputs and releases them → (6) step and workflow complete.
 */
async function takeoffSteps(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  actor: string,
  slot: LockSlot,
): Promise<WorkflowView> {
  const run = await prepareTakeoff(ctx, files, request, actor);
  const refused = await restoreAndVerify(run);
  if (refused !== undefined) return refused;
  const input = await lockedWorkspaceInput(run, slot);
  if ('ended' in input) return input.ended;
  const launched = await runEngine(run, input.go, slot);
  if ('ended' in launched) return launched.ended;
  const failed = await judgeTakeoff(run, launched.go);
  if (failed !== undefined) return failed;
  const release = await releaseOutputs(run, launched.go);
  if ('ended' in release) return release.ended;
  return completeTakeoff(run, launched.go, release.go);
}

/** The engine, workspace and stored plan of a take-off, and its fresh launch folders. */
async function prepareTakeoff(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  actor: string,
): Promise<TakeoffRun> {
  const engine = ctx.registry.get(request.engine.id);
  const workspace = ctx.registry.workspace(request.workspace);
  const planAddress = files.view.objects[PLAN_RECORD_TYPE];
  if (planAddress === undefined) throw new ClearanceError('PLAN_TOKEN_MISSING', 'no plan record');
  const requestAddress = files.view.objects[REQUEST_TYPE];
  if (requestAddress === undefined) throw new ClearanceError('WAL_CORRUPT', 'no request');
  const records = await planRecords(ctx.home.cas, planAddress, requestAddress);
  const root = await freshRunDir(ctx, files.id, 'takeoff');
  const dirs = await launchDirs(root, 'take-off');
  return { ctx, files, request, actor, engine, workspace, records, dirs };
}

/** Step 1: restore the stored artifacts; V4 on the store and the restored read-only copy. */
async function restoreAndVerify(run: TakeoffRun): Promise<WorkflowView | undefined> {
  const { ctx, files, request, actor, records, dirs } = run;
  const g = governance(ctx);
  const token = records.stored.token;
  try {
    await restoreArtifacts(ctx.home.cas, records.set, dirs.artifacts);
  } catch (err) {
    if (!hasCode(err, 'CAS_CORRUPT') && !hasCode(err, 'CAS_NOT_FOUND')) throw err;
    // A damaged blob: V4 on the store names every damaged artifact.
    const v4 = await verifyPlan(ctx.home.cas, files.view, g);
    return blockedRun(ctx, await v4Failed(ctx, files, token, v4), request, actor, v4.reason);
  }
  // V4 on the store and on the restored read-only copy (one pass re-hashes both).
  const v4 = await verifyPlan(ctx.home.cas, files.view, { ...g, restoredDir: dirs.artifacts });
  if (!v4.ok) {
    return blockedRun(ctx, await v4Failed(ctx, files, token, v4), request, actor, v4.reason);
  }
  return undefined;
}

/** The engine's input and secrets, once the workspace is known to be the planned one. */
interface TakeoffInput {
  readonly input: ReturnType<typeof engineInput>;
  readonly secrets: Readonly<Record<string, string>>;
}

/**
 * Step 2 (B1): take the workspace lock exclusively — from this check until the engine has
 * exited, no other take-off changes the workspace and no flight-plan reads it — and check that
 * the workspace is the one the plan was made on and that the engine's secrets are available.
 */
async function lockedWorkspaceInput(run: TakeoffRun, slot: LockSlot): Promise<Next<TakeoffInput>> {
  const { ctx, files, request, actor, engine, workspace, records } = run;
  slot.held = await ctx.workspaceLocks.hold(workspace.path, 'exclusive');
  const current = await hashWorkspace(workspace.path, { exclude: workspace.exclude });
  if (current.hash !== records.plan.workspace_hash) {
    // Checked under the workspace lock: a concurrent take-off that changed it finished first.
    const reason =
      'WORKSPACE_CHANGED: V4 (before take-off): the workspace changed since the plan was made; re-plan';
    const view = await failWorkflow(ctx, files, reason, {
      severity: 'critical',
      integrity_check: { artifacts_match: false },
    });
    return { ended: await blockedRun(ctx, view, request, actor, reason, 'WORKSPACE_CHANGED') };
  }
  const secrets = resolveSecrets(engine, request);
  if (!secrets.ok) {
    return {
      ended: await failWorkflow(
        ctx,
        files,
        `CONFIG_INVALID: secret(s) ${secrets.missing.join(', ')} not available to engine ${engine.id}`,
      ),
    };
  }
  const input = engineInput(
    'take-off',
    files.id,
    request.config,
    request.context,
    { run_index: files.view.runs, workspace_hash: current.hash },
    secrets.values,
    records.stored.token,
  );
  return { go: { input, secrets: secrets.values } };
}

/**
 * Step 3: step_started (from here a crash means "outcome unknown"), then the sandboxed engine
 * with the workspace writable and the restored copy read-only. The workspace lock is released as
 * soon as the engine has exited.
 */
async function runEngine(
  run: TakeoffRun,
  go: TakeoffInput,
  slot: LockSlot,
): Promise<Next<LaunchResult>> {
  const { ctx, files, actor, engine, workspace, records, dirs } = run;
  // The restored copy is read-only for the engine (bind-mounted read-only as well).
  await chmod(dirs.artifacts, 0o555);
  await step(
    ctx,
    files,
    'step_started',
    { step_id: ENGINE_STEP, step_type: 'take-off' },
    {
      engine: { engine_id: engine.id },
      message: `take-off of ${engine.id}@${engine.version} by ${actor}; expected token ${records.stored.token}`,
    },
  );
  try {
    return { go: await launchEngine(ctx, engine, go.input, dirs, workspace.path, go.secrets) };
  } catch (err) {
    if (isSupplyChainError(err) && err instanceof ClearanceError) {
      return {
        ended: await failWorkflow(ctx, files, `${err.code}: engine refused before take-off`, {
          severity: 'critical',
        }),
      };
    }
    throw err;
  } finally {
    // The engine has exited: the workspace holds its whole change (or, on failure, all it did).
    // V5, output checks and records read only the store and the restored copy.
    slot.held?.release();
  }
}

/** Step 4: the engine's receipt, then V5 on the store and the restored copy. */
async function judgeTakeoff(
  run: TakeoffRun,
  launched: LaunchResult,
): Promise<WorkflowView | undefined> {
  const { ctx, files, request, actor, engine, dirs } = run;
  const { result, verdict } = launched;
  if (!verdict.ok) {
    const why = failureOf(verdict, result.stderr); // the engine's own code first (item 14)
    const view = await failWorkflow(ctx, files, `take-off failed: ${why.text}`, {
      engine: auditEngine(engine.id, verdict, result),
      message: `take-off failed: ${why.text}; engine stderr (redacted, first 2000 bytes): ${stderrText(result.stderr)}`,
    });
    await takeoffRun(ctx, view, request, actor, 'ERROR', verdict.receipt, why.code, why.text);
    return view;
  }
  const v5 = await verifyPlan(ctx.home.cas, files.view, {
    ...governance(ctx),
    restoredDir: dirs.artifacts,
  });
  if (!v5.ok) {
    const view = await failWorkflow(ctx, files, `V5 (after take-off): ${v5.reason}`, {
      severity: 'critical',
      integrity_check: { plan_token_match: false, differences: [...v5.differences] },
    });
    await takeoffRun(ctx, view, request, actor, 'ERROR', verdict.receipt, 'PLAN_TOKEN_MISMATCH');
    return view;
  }
  return undefined;
}

/**
 * Step 5: the engine's domain checks the outputs before anything leaves the authority, then
 * releases exactly those (cnc: a take-off without an output folder is refused by the check,
 * never skipped). Returns the WAL records the completion carries.
 */
async function releaseOutputs(
  run: TakeoffRun,
  launched: LaunchResult,
): Promise<Next<readonly BatchItem[]>> {
  const { ctx, files, request, actor, engine, records, dirs } = run;
  const domain = ctx.domains.forEngine(engine.id);
  const outputs = takeoffOutputs(ctx, domain.name, files, request, records.set, dirs.output, actor);
  const checked = await domain.checkOutputs(outputs);
  const released = checked.ok ? await checked.release() : checked;
  if (!released.ok) {
    const view = await failWorkflow(ctx, files, `${released.code}: ${released.reason}`, {
      severity: 'critical',
      engine: auditEngine(engine.id, launched.verdict, launched.result),
    });
    await recordRun(ctx, view, released.run);
    return { ended: view };
  }
  if (released.run !== undefined) await recordRun(ctx, files.view, released.run);
  return { go: released.artifacts.map((a) => domainItem(domain.name, a)) };
}

/** Step 6: V5 passed and the outputs are released: step and workflow complete with one fsync. */
async function completeTakeoff(
  run: TakeoffRun,
  launched: LaunchResult,
  release: readonly BatchItem[],
): Promise<WorkflowView> {
  const { ctx, files, request, actor, engine } = run;
  const { result, verdict } = launched;
  const [, view] = await Promise.all([
    takeoffRun(ctx, files.view, request, actor, 'OK', verdict.receipt, undefined),
    steps(ctx, files, [
      ...release,
      item(
        'step_completed',
        { step_id: ENGINE_STEP },
        { engine: auditEngine(engine.id, verdict, result) },
      ),
      item('workflow_completed', {
        final_state: 'COMPLETED',
        artifacts: engineArtifactIds(files.view),
      }),
    ]),
  ]);
  dropRunDir(ctx, files.id);
  return view;
}

function engineArtifactIds(view: WorkflowView): string[] {
  return view.artifacts
    .filter(
      (a) =>
        !a.artifact_type.startsWith('clearance.') && a.artifact_type !== PLAN_TOKEN_ARTIFACT_TYPE,
    )
    .map((a) => a.artifact_id);
}

/** EXECUTION_COMPLETE → COMPLETED after V5 on the store (also the recovery path). */
export async function completeWorkflow(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<WorkflowView> {
  const v5 = await verifyPlan(ctx.home.cas, files.view, governance(ctx));
  if (!v5.ok) {
    return failWorkflow(ctx, files, `V5 (after take-off): ${v5.reason}`, {
      severity: 'critical',
      integrity_check: { plan_token_match: false, differences: [...v5.differences] },
    });
  }
  const { view } = await step(ctx, files, 'workflow_completed', {
    final_state: 'COMPLETED',
    artifacts: engineArtifactIds(files.view),
  });
  return view;
}

function v4Failed(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  expected: string,
  v4: PlanVerification,
): Promise<WorkflowView> {
  return failWorkflow(ctx, files, `V4 (before take-off): ${v4.reason}`, {
    severity: 'critical',
    integrity_check: {
      expected_plan_token: expected,
      ...(v4.check === undefined ? {} : { actual_plan_token: v4.check.actual_token }),
      plan_token_match: false,
      differences: [...v4.differences],
    },
  });
}
