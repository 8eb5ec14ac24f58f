/**
 * The cnc part of take-off (issue 4, items 4–5): after the engine ran and V5 passed, reproduce and
 * validate the G-code, store it, release it to the spool folder, and leave a `toolpaths` run
 * artifact with request, feasibility and output hashes, version stamps and parent links. A refusal
 * fails the workflow with an ERROR run artifact and releases nothing.
 *
 * The release is write-ahead (issue 10, B2): (1) the intent — spool file name and G-code sha256 —
 * is recorded in the WAL (fsync) and audited, (2) the program is published to the spool, (3) the
 * completion (the release record) is recorded with step and workflow completion. Recovery (the
 * cnc domain's recovery step, cnc/spool-recovery.ts) reconciles the spool with these records, so
 * a crash between (2) and (3) never leaves a runnable program the records do not know.
 *
 * Both steps reach the orchestrator only through the domain seam's ports (domain/domain.ts).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HASH_DOMAINS, hasCode, type JsonObject } from '@clearance/protocol';
import { CNC_TOOLCHAIN_VERSION, postProcessorVersion } from '@clearance/cnc';
import type { CncConfig } from '../config/index.js';
import type {
  DomainHost,
  EngineRef,
  OutputCheck,
  ReleaseOutcome,
  TakeoffOutputs,
} from '../domain/domain.js';
import { putObject } from '../orchestrator/objects.js';
import type { WorkflowView } from '../workflow/reducer.js';
import type { OverrideLookup } from './overrides.js';
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

/** The spool folder of a deployment (`cnc.spool_dir`, default `<home>/spool`). */
export function spoolDir(settings: CncConfig, homeDir: string): string {
  return settings.spoolDir ?? join(homeDir, 'spool');
}

/** Version stamps of a cnc run beyond the authority's (engine, toolchain). */
export function cncStamps(engine: EngineRef): JsonObject {
  return {
    engine_version: `${engine.id}@${engine.version}`,
    engine_sha256: engine.sha256,
    toolchain_version: CNC_TOOLCHAIN_VERSION,
  };
}

/** Version stamps of a cnc run (engine, toolchain, post-processor, config fingerprint). */
export function cncVersions(
  host: DomainHost,
  engine: EngineRef,
  postProcessor?: string,
): Record<string, string> {
  return host.versions({
    ...cncStamps(engine),
    ...(postProcessor === undefined ? {} : { post_processor_version: postProcessor }),
  });
}

/** Where a cnc release goes and what it links to. */
export interface ReleaseTarget {
  readonly spool: string;
  readonly overrides: OverrideLookup;
}

/**
 * The output check of a cnc take-off: reproduce and validate the G-code and compare it with the
 * engine's output folder (a missing folder is a refusal). Never throws for a refusal.
 */
export async function checkCncOutputs(
  target: ReleaseTarget,
  outputs: TakeoffOutputs,
): Promise<OutputCheck> {
  const { host, request } = outputs;
  const view = outputs.view();
  const out = await collectCncOutput(
    host.cas,
    outputs.artifacts,
    { workflow_id: view.workflow_id, config: request.config, version: request.engine.version },
    outputs.outputDir,
  );
  if (isRefusal(out)) {
    return {
      ok: false,
      code: out.code,
      reason: out.reason,
      run: {
        ...runBase(outputs, view),
        status: 'ERROR',
        code: out.code,
        reason: out.reason.slice(0, 2000),
        hashes: { plan_token_hash: view.planTokenHash },
        versions: cncVersions(host, request.engine),
      },
    };
  }
  return { ok: true, release: () => releaseCnc(target, outputs, out) };
}

function runBase(outputs: TakeoffOutputs, view: WorkflowView) {
  return {
    kind: TOOLPATHS_KIND,
    workflow_id: view.workflow_id,
    actor: outputs.actor,
    request: {
      workflow_id: view.workflow_id,
      action: 'takeoff',
      job: outputs.request.config['job'] ?? null,
    },
    plan_token_hash: view.planTokenHash,
  };
}

/** Store and release checked outputs: intent (WAL) → spool → completion record. */
async function releaseCnc(
  target: ReleaseTarget,
  outputs: TakeoffOutputs,
  out: CncOutputs,
): Promise<ReleaseOutcome> {
  const { host, request } = outputs;
  const view = outputs.view();
  const base = runBase(outputs, view);
  const versions = cncVersions(host, request.engine, postProcessorVersion(out.result.dialect));
  const name = `${view.workflow_id}-${out.gcode.slice(0, 12)}-${out.result.gcode_file}`;
  const bytes = Buffer.from(out.result.gcode, 'utf8');
  const sha256 = await recordIntent(outputs, name, bytes);
  let spooled: string;
  try {
    spooled = await releaseToSpool(target.spool, name, bytes, () => outputs.published());
  } catch (err) {
    if (!hasCode(err, 'CNC_RELEASE_FAILED')) throw err;
    await withdrawFailed(target.spool, outputs, name, sha256, err.message);
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
  const address = await putObject(host.cas, record);
  return {
    ok: true,
    artifacts: [
      {
        name: 'cnc-release',
        hash: address,
        type: RELEASE_TYPE,
        message: `G-code ${out.gcode} released to ${spooled}`,
      },
    ],
    run: {
      ...base,
      status: 'OK',
      reason: `toolpaths generated, validated and released (${out.result.validation.stats.lines} lines)`,
      hashes: hashesOf(view, out),
      versions,
      details: { release: address, spool_file: name, risk_level: out.riskLevel },
      parents: parentsOf(host, target.overrides, view, out),
    },
  };
}

/** Step (1) of a release: the intent is durable in the WAL and the audit log before the spool. */
async function recordIntent(outputs: TakeoffOutputs, name: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const intent = await putObject(outputs.host.cas, {
    domain: RELEASE_INTENT_DOMAIN,
    workflow_id: outputs.view().workflow_id,
    spool_file: name,
    gcode_sha256: sha256,
  });
  await outputs.recordAhead({
    name: 'cnc-release-intent',
    hash: intent,
    type: RELEASE_INTENT_TYPE,
    message: `release intent: G-code sha256 ${sha256} as spool file ${name}`,
  });
  return sha256;
}

/** The workflow fails: a program this release did publish must not stay runnable. */
async function withdrawFailed(
  spool: string,
  outputs: TakeoffOutputs,
  name: string,
  sha256: string,
  why: string,
): Promise<void> {
  const workflowId = outputs.view().workflow_id;
  const moved = await withdrawRelease(spool, name, sha256, {
    domain: HASH_DOMAINS.SPOOL_QUARANTINE,
    file: name,
    reason: 'failed-release',
    found_sha256: sha256,
    workflow_id: workflowId,
    recorded_sha256: sha256,
    recorded_completion: false,
    explanation: `release failed after publishing: ${why.slice(0, 300)}`,
  });
  if (moved === undefined) return;
  await outputs.host.note(outputs.view(), {
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
function parentsOf(
  host: DomainHost,
  overrides: OverrideLookup,
  view: WorkflowView,
  out: CncOutputs,
): string[] {
  const approvals = host.runs
    .list({ workflowId: view.workflow_id })
    .filter((e) => e.kind === 'approval' && e.status === 'OK')
    .map((e) => e.run_id);
  const override = overrides.find(out.job.jobHash, out.feasibilityHash);
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
