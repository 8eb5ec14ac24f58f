/**
 * The cnc part of take-off (issue 4, items 4–5): after the engine ran and V5 passed, reproduce and
 * validate the G-code, store it, release it to the spool folder, and leave a `toolpaths` run
 * artifact with request, feasibility and output hashes, version stamps and parent links. A refusal
 * fails the workflow with an ERROR run artifact and releases nothing.
 *
 * The release is write-ahead (issue 10, B2): (1) the intent — spool file name and G-code sha256 —
 * is recorded in the WAL (fsync) and audited, (2) the program is published to the spool, (3) the
 * completion (the release record) is recorded with step and workflow completion. Recovery
 * (orchestrator/spool-recovery.ts) reconciles the spool with these records, so a crash between
 * (2) and (3) never leaves a runnable program the records do not know.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HASH_DOMAINS, hasCode, type JsonObject } from '@clearance/protocol';
import { CNC_TOOLCHAIN_VERSION, postProcessorVersion } from '@clearance/cnc';
import { putObject } from '../orchestrator/objects.js';
import {
  item,
  note,
  settleAudit,
  step,
  versionStamp,
  type BatchItem,
  type OrchestratorContext,
} from '../orchestrator/context.js';
import type { WorkflowFiles } from '../orchestrator/workflow-files.js';
import type { WorkflowRequest } from '../orchestrator/records.js';
import type { ArtifactSet } from '../plan/index.js';
import type { RunArtifactBody } from '../runs/run-artifacts.js';
import { ENGINE_STEP, type WorkflowView } from '../workflow/reducer.js';
import { collectCncOutput, isRefusal, type CncOutputs } from './release.js';
import { releaseToSpool } from './spool.js';
import { withdrawRelease } from './spool-reconcile.js';

/** WAL object type of a release record (the completion of a release). */
export const RELEASE_TYPE = 'clearance.cnc-release';
/** Domain of release records. */
export const RELEASE_DOMAIN = HASH_DOMAINS.CNC_RELEASE;
/** WAL object type of a release intent, recorded before the spool is written (B2). */
export const RELEASE_INTENT_TYPE = 'clearance.cnc-release-intent';
/** Domain of release intents: `{workflow_id, spool_file, gcode_sha256}`. */
export const RELEASE_INTENT_DOMAIN = HASH_DOMAINS.CNC_RELEASE_INTENT;
/** Run-artifact kind of toolpath generations (and refused take-offs of cnc workflows). */
export const TOOLPATHS_KIND = 'toolpaths';

/** What the cnc take-off step decided. */
export type CncTakeoff =
  | { readonly ok: true; readonly walItems: readonly BatchItem[]; readonly run: RunArtifactBody }
  | {
      readonly ok: false;
      readonly code: string;
      readonly reason: string;
      readonly run: RunArtifactBody;
    };

/** The spool folder of a deployment. */
export function spoolDir(ctx: OrchestratorContext): string {
  return ctx.config.cnc.spoolDir ?? join(ctx.home.dir, 'spool');
}

/** Version stamps of a cnc run (engine, toolchain, post-processor, config fingerprint). */
export function cncVersions(
  ctx: OrchestratorContext,
  request: WorkflowRequest,
  postProcessor?: string,
): Record<string, string> {
  return versionStamp(ctx, {
    engine_version: `${request.engine.id}@${request.engine.version}`,
    engine_sha256: request.engine.sha256,
    toolchain_version: CNC_TOOLCHAIN_VERSION,
    ...(postProcessor === undefined ? {} : { post_processor_version: postProcessor }),
  });
}

/** Generate, check, store and release; never throws for a refusal (it is reported). */
export async function cncTakeoff(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  request: WorkflowRequest,
  set: ArtifactSet,
  outputDir: string | undefined,
  actor: string,
): Promise<CncTakeoff> {
  const view = files.view;
  const base = {
    kind: TOOLPATHS_KIND,
    workflow_id: view.workflow_id,
    actor,
    request: {
      workflow_id: view.workflow_id,
      action: 'takeoff',
      job: request.config['job'] ?? null,
    },
    plan_token_hash: view.planTokenHash,
  };
  const out = await collectCncOutput(
    ctx.home.cas,
    set,
    { workflow_id: view.workflow_id, config: request.config, version: request.engine.version },
    outputDir,
  );
  if (isRefusal(out)) {
    return {
      ok: false,
      code: out.code,
      reason: out.reason,
      run: {
        ...base,
        status: 'ERROR',
        code: out.code,
        reason: out.reason.slice(0, 2000),
        hashes: { plan_token_hash: view.planTokenHash },
        versions: cncVersions(ctx, request),
      },
    };
  }
  const versions = cncVersions(ctx, request, postProcessorVersion(out.result.dialect));
  const name = `${view.workflow_id}-${out.gcode.slice(0, 12)}-${out.result.gcode_file}`;
  const bytes = Buffer.from(out.result.gcode, 'utf8');
  const sha256 = await recordIntent(ctx, files, name, bytes);
  let spooled: string;
  try {
    spooled = await releaseToSpool(spoolDir(ctx), name, bytes, () => {
      ctx.faults?.('spool-published', {
        workflowId: view.workflow_id,
        sequence: files.log.length - 1,
        state: files.view.state,
      });
    });
  } catch (err) {
    if (!hasCode(err, 'CNC_RELEASE_FAILED')) throw err;
    await withdrawFailed(ctx, files, name, sha256, err.message);
    return {
      ok: false,
      code: err.code,
      reason: err.message,
      run: {
        ...base,
        status: 'ERROR',
        code: err.code,
        reason: err.message,
        hashes: hashesOf(view, out),
        versions,
      },
    };
  }
  const record = releaseRecord(out, spooled, versions);
  const address = await putObject(ctx.home.cas, record);
  return {
    ok: true,
    walItems: [
      item(
        'artifact_created',
        {
          artifact_id: `${ENGINE_STEP}/cnc-release`,
          artifact_hash: address,
          artifact_type: RELEASE_TYPE,
        },
        { message: `G-code ${out.gcode} released to ${spooled}` },
      ),
    ],
    run: {
      ...base,
      status: 'OK',
      reason: `toolpaths generated, validated and released (${out.result.validation.stats.lines} lines)`,
      hashes: hashesOf(view, out),
      versions,
      details: { release: address, spool_file: name, risk_level: out.riskLevel },
      parents: parentsOf(ctx, view, out),
    },
  };
}

/** Step (1) of a release: the intent is durable in the WAL and the audit log before the spool. */
async function recordIntent(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  name: string,
  bytes: Buffer,
): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const intent = await putObject(ctx.home.cas, {
    domain: RELEASE_INTENT_DOMAIN,
    workflow_id: files.id,
    spool_file: name,
    gcode_sha256: sha256,
  });
  await step(
    ctx,
    files,
    'artifact_created',
    {
      artifact_id: `${ENGINE_STEP}/cnc-release-intent`,
      artifact_hash: intent,
      artifact_type: RELEASE_INTENT_TYPE,
    },
    { message: `release intent: G-code sha256 ${sha256} as spool file ${name}` },
  );
  await settleAudit(ctx);
  return sha256;
}

/** The workflow fails: a program this release did publish must not stay runnable. */
async function withdrawFailed(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  name: string,
  sha256: string,
  why: string,
): Promise<void> {
  const moved = await withdrawRelease(spoolDir(ctx), name, sha256, {
    domain: HASH_DOMAINS.SPOOL_QUARANTINE,
    file: name,
    reason: 'failed-release',
    found_sha256: sha256,
    workflow_id: files.id,
    recorded_sha256: sha256,
    recorded_completion: false,
    explanation: `release failed after publishing: ${why.slice(0, 300)}`,
  });
  if (moved === undefined) return;
  await note(ctx, files.view, {
    event_type: 'spool_quarantined',
    severity: 'critical',
    message: `spool file ${name} (sha256 ${sha256}) moved to ${moved}: the release failed after publishing (${why.slice(0, 300)}); the workflow fails, so the program is withdrawn`,
  });
}

function hashesOf(view: WorkflowView, out: CncOutputs): Record<string, string> {
  return {
    plan_token_hash: view.planTokenHash,
    job_sha256: out.job.jobHash,
    feasibility_sha256: out.feasibilityHash,
    gcode_sha256: out.gcode,
    toolpaths_sha256: out.toolpaths,
    preview_sha256: out.preview,
  };
}

/** Approval runs of the workflow and the override that unlocked the job, if any. */
function parentsOf(ctx: OrchestratorContext, view: WorkflowView, out: CncOutputs): string[] {
  const approvals = ctx.runs
    .list({ workflowId: view.workflow_id })
    .filter((e) => e.kind === 'approval' && e.status === 'OK')
    .map((e) => e.run_id);
  const override = ctx.overrides.find(out.job.jobHash, out.feasibilityHash);
  return [...approvals, ...(override === undefined ? [] : [override.run_id])];
}

function releaseRecord(
  out: CncOutputs,
  spooled: string,
  versions: Record<string, string>,
): JsonObject {
  const v = out.result.validation;
  return {
    domain: RELEASE_DOMAIN,
    job_hash: out.job.jobHash,
    feasibility_hash: out.feasibilityHash,
    risk_level: out.riskLevel,
    machine: out.result.machine.id,
    dialect: out.result.dialect,
    gcode: { address: out.gcode, file: out.result.gcode_file, lines: v.stats.lines },
    toolpaths: out.toolpaths,
    preview: out.preview,
    spool_path: spooled,
    versions,
  };
}
