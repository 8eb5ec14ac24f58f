/**
 * Flight-plan (DESIGN "The flow", step 2), then validation (validate-phase.ts) and plan-token
 * creation (token-phase.ts):
 *
 *   step_started flight-plan → [sandboxed engine, workspace hashed before and after]
 *   artifact_created clearance.engine-receipt → step_completed          (PLAN_GENERATED)
 *
 * Any failure ends FAILED with an audit event naming the cause; nothing the engine wrote is read
 * again from its folder after validation: from then on artifacts come from the store.
 */
import { join } from 'node:path';
import { HASH_DOMAINS, ClearanceError, hasCode, type EngineOutput } from '@clearance/protocol';
import type { EngineEntry, WorkspaceEntry } from '../config/index.js';
import { diffWorkspaces, hashWorkspace, type WorkspaceSnapshot } from '../plan/index.js';
import { stderrSummary } from '../sandbox/capture.js';
import { ENGINE_STEP } from '../workflow/reducer.js';
import {
  failWorkflow,
  freshRunDir,
  item,
  note,
  steps,
  type OrchestratorContext,
} from './context.js';
import {
  auditEngine,
  failureOf,
  engineInput,
  isSupplyChainError,
  launchDirs,
  launchEngine,
  type LaunchDirs,
  type LaunchResult,
} from './launch.js';
import { putObject } from './objects.js';
import { RECEIPT_TYPE, WORKSPACE_HASH_TYPE, type WorkflowRequest } from './records.js';
import { validatePhase } from './validate-phase.js';
import { resolveSecrets } from './secrets.js';
import type { WorkflowFiles } from './workflow-files.js';
import type { HeldLock } from './workspace-lock.js';

const RECEIPT_DOMAIN = HASH_DOMAINS.ENGINE_RECEIPT;

/**
 * Run flight-plan and validation and create the token. Returns false when the workflow failed.
 * From the workspace hash before the launch to the hash after it, the workspace's lock is held in
 * shared mode: flight-plans run side by side, but never while a take-off is changing the same
 * workspace (B1). Validation and token creation read only the store and run outside it.
 */
export async function planPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
): Promise<boolean> {
  const slot: { held?: HeldLock } = {};
  try {
    return await planSteps(ctx, files, request, slot);
  } finally {
    slot.held?.release();
  }
}

/**
 * The flight-plan checklist: hold the workspace (shared), hash it and record the step start,
 * resolve the engine's secrets, launch the engine, check the workspace is unchanged and the
 * engine succeeded, record its receipt, then validate and create the token. Each step returns a
 * value, or false once it has ended the workflow FAILED (recorded and audited).
 */
async function planSteps(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  slot: { held?: HeldLock },
): Promise<boolean> {
  const engine = ctx.registry.get(request.engine.id);
  const workspace = ctx.registry.workspace(request.workspace);
  slot.held = await ctx.workspaceLocks.hold(workspace.path, 'shared');
  const start = await startFlightPlan(ctx, files, engine, workspace);
  const secrets = await engineSecrets(ctx, files, engine, request);
  if (secrets === false) return false;
  const launched = await launchFlightPlan(ctx, files, engine, request, start, secrets);
  if (launched === false) return false;
  const after = await hashWorkspace(workspace.path, { exclude: workspace.exclude });
  slot.held.release();
  if (after.hash !== start.before.hash) return workspaceMutated(ctx, files, start.before, after);
  const receipt = await engineReceipt(ctx, files, engine, launched);
  if (receipt === false) return false;
  await recordReceipt(ctx, files, engine, launched, receipt, start.runIndex);
  return validatePhase(
    ctx,
    files,
    request,
    engine,
    start.before.hash,
    start.dirs.artifacts,
    receipt,
    true,
  );
}

/** Where a flight-plan runs: the workspace (and its hash before), the run index, the folders. */
interface FlightPlanStart {
  readonly workspacePath: string;
  readonly before: WorkspaceSnapshot;
  readonly runIndex: number;
  readonly dirs: LaunchDirs;
}

/** Hash the workspace before the launch, recorded with the step start in one fsync (§4.2.5). */
async function startFlightPlan(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  workspace: WorkspaceEntry,
): Promise<FlightPlanStart> {
  const runIndex = files.view.runs;
  const before = await hashWorkspace(workspace.path, { exclude: workspace.exclude });
  await steps(ctx, files, [
    item(
      'step_started',
      { step_id: ENGINE_STEP, step_type: 'flight-plan' },
      {
        engine: { engine_id: engine.id },
        message: `flight-plan of ${engine.id}@${engine.version} on workspace ${workspace.name} (run ${runIndex})`,
      },
    ),
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/workspace-${runIndex}`,
      artifact_hash: before.hash,
      artifact_type: WORKSPACE_HASH_TYPE,
    }),
  ]);
  const root = await freshRunDir(ctx, files.id, `plan-${runIndex}`);
  const dirs = await launchDirs(root, 'flight-plan');
  await note(ctx, files.view, {
    event_type: 'environment_prepared',
    severity: 'info',
    message: `fresh artifacts and temp dirs; workspace ${workspace.name} hashed ${before.hash} (${before.files} files, exclusions: ${workspace.exclude.join(',') || 'none'})`,
  });
  return { workspacePath: workspace.path, before, runIndex, dirs };
}

/** The engine secrets this workflow may use; a missing one fails the workflow (CONFIG_INVALID). */
async function engineSecrets(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  request: WorkflowRequest,
): Promise<Readonly<Record<string, string>> | false> {
  const secrets = resolveSecrets(engine, request);
  if (secrets.ok) return secrets.values;
  await failWorkflow(
    ctx,
    files,
    `CONFIG_INVALID: secret(s) ${secrets.missing.join(', ')} not available to engine ${engine.id} (set the mapped variables in the authority's environment)`,
  );
  return false;
}

/** Launch the engine in flight-plan mode; a refused or failed launch fails the workflow. */
async function launchFlightPlan(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  request: WorkflowRequest,
  start: FlightPlanStart,
  secrets: Readonly<Record<string, string>>,
): Promise<LaunchResult | false> {
  const input = engineInput(
    'flight-plan',
    files.id,
    request.config,
    request.context,
    { run_index: start.runIndex, workspace_hash: start.before.hash },
    secrets,
  );
  try {
    return await launchEngine(ctx, engine, input, start.dirs, start.workspacePath, secrets);
  } catch (err) {
    return launchFailed(ctx, files, engine, err);
  }
}

/** The engine's receipt when it succeeded; a timeout is noted, a failure fails the workflow. */
async function engineReceipt(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  { result, verdict }: LaunchResult,
): Promise<EngineOutput | false> {
  if (result.timedOut) {
    await note(ctx, files.view, {
      event_type: 'engine_timeout',
      severity: 'error',
      message: `engine ${engine.id} killed after ${engine.limits.wallTimeMs} ms`,
    });
  }
  if (!verdict.ok) {
    const why = failureOf(verdict, result.stderr).text; // the engine's own code first (item 14)
    await failWorkflow(ctx, files, `flight-plan failed: ${why}`, {
      engine: auditEngine(engine.id, verdict, result),
      message: `flight-plan failed: ${why}; engine stderr (redacted, first 2000 bytes): ${stderrText(result.stderr)}`,
    });
    return false;
  }
  for (const w of verdict.warnings) {
    await note(ctx, files.view, { event_type: 'engine_warning', severity: 'warning', message: w });
  }
  return verdict.receipt;
}

/** Store the receipt, close the flight-plan step and open validation (one fsync). */
async function recordReceipt(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  { result, verdict }: LaunchResult,
  receipt: EngineOutput,
  runIndex: number,
): Promise<void> {
  const receiptAddress = await putObject(ctx.home.cas, { domain: RECEIPT_DOMAIN, receipt });
  await steps(ctx, files, [
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/receipt-${runIndex}`,
      artifact_hash: receiptAddress,
      artifact_type: RECEIPT_TYPE,
    }),
    item(
      'step_completed',
      { step_id: ENGINE_STEP },
      { engine: auditEngine(engine.id, verdict, result) },
    ),
    item('step_started', { step_id: ENGINE_STEP, step_type: 'validate' }),
  ]);
}

async function workspaceMutated(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  before: WorkspaceSnapshot,
  after: WorkspaceSnapshot,
): Promise<false> {
  const d = diffWorkspaces(before, after);
  const paths = [...d.added.map((p) => `+${p}`), ...d.removed.map((p) => `-${p}`), ...d.changed];
  await failWorkflow(
    ctx,
    files,
    `WORKSPACE_MUTATED: flight-plan changed the workspace (${paths.slice(0, 20).join(', ')})`,
    {
      severity: 'critical',
      integrity_check: { artifacts_match: false, differences: paths.slice(0, 100) },
    },
  );
  return false;
}

async function launchFailed(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  err: unknown,
): Promise<false> {
  if (isSupplyChainError(err) && err instanceof ClearanceError) {
    await note(ctx, files.view, {
      event_type: 'engine_digest_mismatch',
      severity: 'critical',
      engine: { engine_id: engine.id, status: 'refused', error: err.code },
      message: `engine ${engine.id} refused before launch: ${err.message}`,
    });
    await failWorkflow(ctx, files, `${err.code}: engine ${engine.id} refused before launch`, {
      severity: 'critical',
    });
    return false;
  }
  if (hasCode(err, 'SANDBOX_UNAVAILABLE') || hasCode(err, 'SANDBOX_FAILED')) {
    await failWorkflow(ctx, files, `${err.code}: ${err.message}`, { severity: 'error' });
    return false;
  }
  throw err;
}

/** Where an interrupted flight-plan left the engine's artifacts (for a validation re-run). */
export function planArtifactsDir(
  ctx: OrchestratorContext,
  workflowId: string,
  runIndex: number,
): string {
  return join(ctx.workDir, workflowId, `plan-${runIndex}`, 'artifacts');
}

/** Engine stderr for the audit message: a hash plus a capped excerpt (U5); already scrubbed. */
export function stderrText(stderr: Buffer): string {
  return stderrSummary(stderr);
}
