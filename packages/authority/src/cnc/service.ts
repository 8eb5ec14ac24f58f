/**
 * The manufacturing face of the authority (RMOS API, issue 4 item 6): the job view of a cnc
 * workflow (job, the authority's feasibility with explanations, state, runs, released G-code and
 * preview) and supervisor overrides. A cnc job is an ordinary workflow of the `cnc` engine; this
 * service — the cnc domain's read views — only reads what the orchestrator recorded (through the
 * orchestrator's read face and the host the domain seam lends it) and adds override records.
 */
import { ClearanceError, hasCode, type ErrorCode, type JsonObject } from '@clearance/protocol';
import { OVERRIDE_REASON, overrideReasonAccepted } from '@clearance/protocol/portable';
import {
  explainFeasibility,
  type FeasibilityExplanation,
  type FeasibilityOutcome,
  type NormalizedJob,
} from '@clearance/cnc';
import { holdsRole } from '../authorization.js';
import type { CncConfig } from '../config/index.js';
import type { DomainHost, WorkflowReads } from '../domain/domain.js';
import { getObject, isObject } from '../orchestrator/objects.js';
import type { Principal, WorkflowDetails } from '../orchestrator/orchestrator.js';
import { PLAN_RECORD_TYPE, REQUEST_TYPE } from '../orchestrator/records.js';
import { planRecords } from '../orchestrator/verify.js';
import type { RunIndexEntry } from '../runs/run-artifacts.js';
import { assessJob, assessmentHash, CNC_ENGINE_ID, type CheckedJob } from './job.js';
import {
  OVERRIDE_KIND,
  overrideOf,
  type OverrideIndex,
  type OverrideRecord,
  type OverrideScope,
} from './overrides.js';
import { storedJob } from './release.js';
import { RELEASE_DOMAIN, RELEASE_TYPE } from './takeoff.js';

/** The feasibility shown with a job: the outcome, its hash and the triggered rules explained. */
export type JobFeasibility = FeasibilityOutcome & {
  readonly hash: string;
  readonly explanation: FeasibilityExplanation;
};

/** Released outputs of a completed job. */
export interface JobRelease {
  readonly gcode_sha256: string;
  readonly gcode_url: string;
  readonly gcode_file: string;
  readonly gcode_lines: number;
  readonly spool_path: string;
  readonly toolpaths_sha256: string;
  readonly preview_sha256: string;
  readonly preview_svg: string;
  readonly versions: JsonObject;
}

/** Everything the RMOS job route shows. */
export interface CncJobView {
  readonly workflow: WorkflowDetails;
  readonly job: NormalizedJob | null;
  readonly job_hash: string | null;
  readonly feasibility: JobFeasibility | null;
  readonly override: OverrideRecord | null;
  readonly runs: readonly RunIndexEntry[];
  readonly release: JobRelease | null;
}

/** An override request as the edge parsed it. */
export interface OverrideRequest {
  readonly reason: string;
  readonly scope?: OverrideScope;
  readonly acknowledgeRisk?: boolean;
}

/** The RMOS service of one authority. */
export class CncService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly orchestrator: WorkflowReads,
    private readonly host: DomainHost,
    private readonly settings: CncConfig,
    private readonly overrides: OverrideIndex,
  ) {}

  /** The job view of a cnc workflow (WORKFLOW_NOT_FOUND for other engines). */
  async job(workflowId: string): Promise<CncJobView> {
    const workflow = await this.orchestrator.get(workflowId);
    if (workflow.engine !== CNC_ENGINE_ID) {
      throw new ClearanceError('WORKFLOW_NOT_FOUND', `${workflowId.slice(0, 80)} is not a cnc job`);
    }
    const checked = await this.checkedJob(workflowId);
    const outcome = checked === undefined ? undefined : assessJob(checked.job);
    const hash = outcome === undefined ? undefined : assessmentHash(outcome);
    return {
      workflow,
      job: checked?.job ?? null,
      job_hash: checked?.jobHash ?? null,
      feasibility:
        outcome === undefined || hash === undefined
          ? null
          : { ...outcome, hash, explanation: explainFeasibility(outcome) },
      override:
        checked === undefined || hash === undefined
          ? null
          : (this.overrides.find(checked.jobHash, hash) ?? null),
      runs: this.host.runs.list({ workflowId }),
      release: await this.release(workflowId),
    };
  }

  /**
   * Record a supervisor override for the job of `workflowId` (spec/rmos.md §6.10): its own
   * immutable run artifact, never a change to the original risk. Every attempt leaves a run
   * artifact: OK when recorded, BLOCKED (and the error thrown) when refused.
   */
  async override(
    workflowId: string,
    principal: Principal,
    request: OverrideRequest,
  ): Promise<OverrideRecord> {
    const run = this.queue.then(() => this.overrideNow(workflowId, principal, request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async overrideNow(
    workflowId: string,
    principal: Principal,
    request: OverrideRequest,
  ): Promise<OverrideRecord> {
    const host = this.host;
    const workflow = await this.orchestrator.get(workflowId);
    const view = this.orchestrator.viewOf(workflowId);
    const scope = request.scope ?? 'YELLOW';
    const reason = request.reason.trim();
    const checked =
      workflow.engine === CNC_ENGINE_ID ? await this.checkedJob(workflowId) : undefined;
    const outcome = checked === undefined ? undefined : assessJob(checked.job);
    const fHash = outcome === undefined ? undefined : assessmentHash(outcome);
    const refusal = ((): [ErrorCode, string] | undefined => {
      if (!holdsRole(principal, this.settings.overrideRole)) {
        return ['FORBIDDEN', `overrides need the ${this.settings.overrideRole} role`];
      }
      if (principal.name === workflow.proposer) {
        return ['FORBIDDEN', 'a supervisor cannot override a job they proposed'];
      }
      if (checked === undefined || outcome === undefined || fHash === undefined) {
        return ['CNC_JOB_INVALID', 'the workflow has no checked cnc job to override'];
      }
      const risk = outcome.risk_level;
      if (risk !== 'YELLOW' && risk !== 'RED') {
        return ['OVERRIDE_NOT_BLOCKED', `a ${risk} job cannot be overridden`];
      }
      if (scope !== risk) return ['OVERRIDE_RISK_MISMATCH', `scope ${scope} on a ${risk} job`];
      if (risk === 'RED' && !this.settings.allowRedOverride) {
        return ['OVERRIDE_RED_DISABLED', 'RED overrides are disabled in this deployment'];
      }
      if (risk === 'RED' && request.acknowledgeRisk !== true) {
        return ['OVERRIDE_ACK_REQUIRED', 'a RED override must set acknowledge_risk'];
      }
      if (!overrideReasonAccepted(request.reason)) {
        return [
          'VALIDATION_FAILED',
          `reason must be ${OVERRIDE_REASON.min}–${OVERRIDE_REASON.max} characters`,
        ];
      }
      if (this.overrides.find(checked.jobHash, fHash) !== undefined) {
        return ['OVERRIDE_EXISTS', 'this job is already overridden'];
      }
      return undefined;
    })();
    const base = {
      kind: OVERRIDE_KIND,
      workflow_id: workflowId,
      actor: principal.name,
      request: {
        workflow_id: workflowId,
        scope,
        reason: reason.slice(0, OVERRIDE_REASON.max),
        acknowledge_risk: request.acknowledgeRisk === true,
      },
      versions: host.versions(),
    };
    if (refusal !== undefined) {
      const [code, why] = refusal;
      await host.recordRun(view, { ...base, status: 'BLOCKED', code, reason: why });
      throw new ClearanceError(code, why);
    }
    if (checked === undefined || outcome === undefined || fHash === undefined) {
      throw new ClearanceError('INTERNAL', 'override checks incomplete');
    }
    const runId = await host.recordRun(view, {
      ...base,
      status: 'OK',
      reason: `${scope} override by ${principal.name}`,
      hashes: { job_sha256: checked.jobHash, feasibility_sha256: fHash },
      details: {
        job_hash: checked.jobHash,
        feasibility_hash: fHash,
        scope,
        original_risk: scope,
        reason,
        acknowledged_risk: request.acknowledgeRisk === true,
      },
    });
    const record = overrideOf(await host.runs.get(runId));
    if (record === undefined) throw new ClearanceError('INTERNAL', 'override record unreadable');
    this.overrides.add(record);
    await host.note(view, {
      event_type: 'feasibility_override',
      severity: 'warning',
      message: `${scope} override ${runId} by ${principal.name} for job ${checked.jobHash}; the original risk stays ${outcome.risk_level}; a new proposal of this job still needs approval`,
    });
    return record;
  }

  private async checkedJob(workflowId: string): Promise<CheckedJob | undefined> {
    const view = this.orchestrator.viewOf(workflowId);
    const plan = view.objects[PLAN_RECORD_TYPE];
    const requestAddress = view.objects[REQUEST_TYPE];
    if (plan === undefined || requestAddress === undefined) return undefined;
    const cas = this.host.cas;
    const records = await planRecords(cas, plan, requestAddress);
    try {
      return await storedJob(cas, records.set, records.request.config);
    } catch (err) {
      // A plan whose job does not check is shown without one (preflight denied it already).
      if (hasCode(err, 'CNC_JOB_INVALID')) return undefined;
      throw err;
    }
  }

  private async release(workflowId: string): Promise<JobRelease | null> {
    const address = this.orchestrator.viewOf(workflowId).objects[RELEASE_TYPE];
    if (address === undefined) return null;
    const cas = this.host.cas;
    const r = await getObject(cas, address, RELEASE_DOMAIN);
    const gcode = r['gcode'];
    const { toolpaths, preview, spool_path: spool, versions } = r;
    if (
      !isObject(gcode) ||
      typeof gcode['address'] !== 'string' ||
      typeof gcode['file'] !== 'string' ||
      typeof gcode['lines'] !== 'number' ||
      typeof toolpaths !== 'string' ||
      typeof preview !== 'string' ||
      typeof spool !== 'string' ||
      !isObject(versions)
    ) {
      throw new ClearanceError('CAS_CORRUPT', 'release record is malformed');
    }
    return {
      gcode_sha256: gcode['address'],
      gcode_url: `/api/cas/${gcode['address']}`,
      gcode_file: gcode['file'],
      gcode_lines: gcode['lines'],
      spool_path: spool,
      toolpaths_sha256: toolpaths,
      preview_sha256: preview,
      preview_svg: (await cas.get(preview)).toString('utf8'),
      versions,
    };
  }
}
