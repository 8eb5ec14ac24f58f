/**
 * Artifact validation (DESIGN "The flow", step 2, second half): the engine's artifacts are
 * collected from its folder, scanned for known secrets before anything is stored (B5, SEC-3,
 * S-26), stored, and recorded; then the plan-token is built (token-phase.ts).
 *
 *   step_started validate → artifact_created × n (engine artifacts)
 *   artifact_created clearance.artifact-set → step_completed            (ARTIFACTS_VALIDATED)
 */
import { hasCode, type EngineOutput } from '@clearance/protocol';
import type { EngineEntry } from '../config/index.js';
import { collectArtifacts, storeArtifacts } from '../plan/index.js';
import { ENGINE_STEP } from '../workflow/reducer.js';
import {
  failWorkflow,
  item,
  removeRunDirs,
  step,
  steps,
  type OrchestratorContext,
} from './context.js';
import { ARTIFACT_SET_TYPE, type WorkflowRequest } from './records.js';
import { describeLeaks, resolveSecrets, scanCollected, scrubRequestSecrets } from './secrets.js';
import { tokenPhase } from './token-phase.js';
import type { WorkflowFiles } from './workflow-files.js';

/** Validation and token creation; also the recovery re-run of an interrupted validation. */
export async function validatePhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  engine: EngineEntry,
  workspaceHash: string,
  artifactsDir: string,
  receipt: EngineOutput,
  started = false,
): Promise<boolean> {
  if (!started)
    await step(ctx, files, 'step_started', { step_id: ENGINE_STEP, step_type: 'validate' });
  let set;
  try {
    const collected = await collectArtifacts(artifactsDir, receipt, {
      maxArtifacts: engine.limits.artifactsCount,
      maxTotalBytes: engine.limits.artifactsBytes,
    });
    // Scan before store (B5, SEC-3, S-26): a leaking artifact never reaches the CAS.
    if (await secretLeak(ctx, files, engine, request, collected)) return false;
    set = await storeArtifacts(ctx.home.cas, collected);
  } catch (err) {
    if (!hasCode(err, 'ARTIFACT_INVALID') && !hasCode(err, 'ARTIFACT_INTEGRITY')) throw err;
    // Names in the message come from the engine's folder: scrubbed like its other text (U5).
    const clean = (text: string): string => scrubRequestSecrets(engine, request, text);
    const rawName = err.detail?.['name'];
    const name = typeof rawName === 'string' ? clean(rawName) : undefined;
    await failWorkflow(
      ctx,
      files,
      `artifact validation failed: ${err.code}: ${clean(err.message)}`,
      {
        severity: err.code === 'ARTIFACT_INTEGRITY' ? 'critical' : 'error',
        ...(typeof name === 'string'
          ? { integrity_check: { artifacts_match: false, differences: [name] } }
          : {}),
      },
    );
    return false;
  }
  await steps(ctx, files, [
    ...set.set.artifacts.map((a) =>
      item('artifact_created', {
        artifact_id: `${ENGINE_STEP}/${a.name}`,
        artifact_hash: a.hash,
        artifact_type: a.artifact_type,
      }),
    ),
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/artifact-set`,
      artifact_hash: set.address,
      artifact_type: ARTIFACT_SET_TYPE,
    }),
    item(
      'step_completed',
      { step_id: ENGINE_STEP },
      {
        artifacts: set.set.artifacts.map((a) => ({
          name: a.name,
          role: a.role,
          path: `${a.name}/artifact.json`,
          hash: a.hash,
          size: a.descriptor.size,
        })),
      },
    ),
  ]);
  // The artifacts are in the store: the whole launch folder goes (README work/, item 13).
  await removeRunDirs(ctx, files.id);
  return tokenPhase(ctx, files, request, engine, workspaceHash, receipt, set.address);
}

/**
 * The known-secret scan of collected artifacts, before anything is stored (B5, SEC-3, S-26).
 * On a leak nothing of the artifacts is stored; the WAL and the audit keep only each leaking
 * artifact's path, hash, size and the finding (secret name and encoding), and the workflow is
 * denied by `secrets/known-value`. The launch folder is removed so no copy stays under work/.
 */
async function secretLeak(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  engine: EngineEntry,
  request: WorkflowRequest,
  collected: Parameters<typeof scanCollected>[0],
): Promise<boolean> {
  if (request.allowed_secrets.length === 0) return false;
  const secrets = resolveSecrets(engine, request);
  if (!secrets.ok) {
    await failWorkflow(ctx, files, `secret(s) ${secrets.missing.join(', ')} no longer available`);
    return true;
  }
  const leaks = scanCollected(collected, secrets.values);
  if (leaks.length === 0) return false;
  // The whole launch folder (artifacts, temp, materialised engine) goes: the engine may have
  // left copies beside its artifacts.
  await removeRunDirs(ctx, files.id);
  const text = describeLeaks(leaks);
  await failWorkflow(
    ctx,
    files,
    `secrets/known-value: deny — artifacts contain an engine secret and were not stored: ${text}`,
    {
      severity: 'critical',
      integrity_check: { artifacts_match: false, differences: leaks.map((l) => l.path) },
    },
  );
  return true;
}
