/**
 * Plan-token creation (DESIGN "The flow", step 3): the token binds the workflow and step, the
 * engine, the workspace hash, the input digest, the policy and governance digests and the sorted
 * artifact descriptors (spec §4.2.3); it is stored with the plan record and recorded, and
 * preflight starts in the same write.
 *
 *   artifact_created clearance.plan-record → artifact_created cabincrew.plan-token (TOKEN_CREATED)
 */
import { createHash } from 'node:crypto';
import { canonicalBytes, type EngineOutput } from '@clearance/protocol';
import type { EngineEntry } from '../config/index.js';
import { buildPlanToken, loadArtifactSet, planTokenHash } from '../plan/index.js';
import { ENGINE_STEP, PLAN_TOKEN_ARTIFACT_TYPE } from '../workflow/reducer.js';
import { item, now, steps, type OrchestratorContext } from './context.js';
import { PLAN_RECORD_TYPE, putPlanRecord, RECEIPT_TYPE, type WorkflowRequest } from './records.js';
import { requestDigest } from './secrets.js';
import type { WorkflowFiles } from './workflow-files.js';

/** The current governance digests (a change between plan and take-off forces a re-plan). */
export function governance(ctx: OrchestratorContext): {
  policyDigest: string;
  governanceHash: string;
} {
  return { policyDigest: ctx.policyDigest, governanceHash: ctx.config.digest };
}

/** Build, store and record the plan-token, then V1. */
export async function tokenPhase(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  engine: EngineEntry,
  workspaceHash: string,
  receipt: EngineOutput,
  artifactSetAddress: string,
): Promise<boolean> {
  const set = await loadArtifactSet(ctx.home.cas, artifactSetAddress);
  const artifacts = set.artifacts.map((a) => ({
    name: a.name,
    hash: a.hash,
    size: a.descriptor.size,
  }));
  const g = governance(ctx);
  const inputs = {
    workflow_id: files.id,
    step_id: ENGINE_STEP,
    engine_id: receipt.engine_id,
    protocol_version: receipt.protocol_version,
    model: engine.model,
    workspace_hash: workspaceHash,
    input_digest: requestDigest(request),
    policy_digest: g.policyDigest,
    governance_hash: g.governanceHash,
    artifacts,
  };
  const token = buildPlanToken(inputs, now(ctx));
  const tokenBytes = canonicalBytes(token);
  // Addresses are known before anything is written, so both blobs are stored concurrently.
  const tokenAddress = createHash('sha256').update(tokenBytes).digest('hex');
  const receiptAddress = files.view.objects[RECEIPT_TYPE] ?? '';
  const [, recordAddress] = await Promise.all([
    ctx.home.cas.put(tokenBytes),
    putPlanRecord(ctx.home.cas, {
      run_index: files.view.runs - 1,
      engine_id: receipt.engine_id,
      protocol_version: receipt.protocol_version,
      model: engine.model,
      workspace_hash: workspaceHash,
      input_digest: inputs.input_digest,
      policy_digest: g.policyDigest,
      governance_hash: g.governanceHash,
      artifact_set: artifactSetAddress,
      plan_token: tokenAddress,
      receipt: receiptAddress,
    }),
  ]);
  const view = await steps(ctx, files, [
    item('artifact_created', {
      artifact_id: `${ENGINE_STEP}/plan-record`,
      artifact_hash: recordAddress,
      artifact_type: PLAN_RECORD_TYPE,
    }),
    item(
      'artifact_created',
      {
        artifact_id: `${ENGINE_STEP}/plan-token`,
        artifact_hash: planTokenHash(token),
        artifact_type: PLAN_TOKEN_ARTIFACT_TYPE,
      },
      { plan_token: token },
    ),
    // Preflight starts in the same write, so V1 (creation) and V2 (preflight start) are one
    // checkpoint: preflightPhase runs it first, before any policy sees the plan.
    item('step_started', { step_id: ENGINE_STEP, step_type: 'preflight' }),
  ]);
  return view.state === 'PRE_FLIGHT_RUNNING';
}
