/**
 * The orchestrator's side of the domain seam (domain/domain.ts): the ports it hands the registered
 * domains. It knows no domain by name; every engine's workflow goes through the same calls.
 */
import { ClearanceError } from '@clearance/protocol';
import type { ArtifactSet } from '../plan/index.js';
import type { DomainArtifact, DomainHost, TakeoffOutputs } from '../domain/domain.js';
import { ENGINE_STEP } from '../workflow/reducer.js';
import {
  item,
  note,
  recordRun,
  settleAudit,
  steps,
  versionStamp,
  type BatchItem,
  type OrchestratorContext,
} from './context.js';
import { OUTCOME_TYPE } from './preflight-phase.js';
import type { RecoveryAction } from './recovery.js';
import {
  APPROVAL_REQUEST_TYPE,
  ARTIFACT_SET_TYPE,
  PLAN_RECORD_TYPE,
  RECEIPT_TYPE,
  REQUEST_TYPE,
  WORKSPACE_HASH_TYPE,
  type WorkflowRequest,
} from './records.js';
import type { WorkflowFiles } from './workflow-files.js';

/** What the orchestrator lends every domain (its stores and its record keeping). */
export function domainHost(ctx: OrchestratorContext): DomainHost {
  return {
    cas: ctx.home.cas,
    runs: ctx.runs,
    recordRun: (view, body) => recordRun(ctx, view, body),
    note: (view, event) => note(ctx, view, event),
    settle: () => settleAudit(ctx),
    versions: (extra) => versionStamp(ctx, extra),
  };
}

/**
 * The record types the orchestrator itself files under `view.objects` and reads back as the
 * workflow's own (its request, plan, receipt, outcome): no domain may record one of them.
 */
const ORCHESTRATOR_TYPES: ReadonlySet<string> = new Set([
  REQUEST_TYPE,
  PLAN_RECORD_TYPE,
  APPROVAL_REQUEST_TYPE,
  RECEIPT_TYPE,
  ARTIFACT_SET_TYPE,
  WORKSPACE_HASH_TYPE,
  OUTCOME_TYPE,
]);

/** A domain artifact's name (no `/`). */
const ARTIFACT_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * The WAL item of an artifact the domain `domain` records: one of its own authority records
 * (`clearance.<domain>-…`), never an engine's, the orchestrator's or another domain's (the reducer
 * files every `clearance.*` type under `view.objects`, which recovery and the read views trust).
 */
export function domainItem(domain: string, a: DomainArtifact): BatchItem {
  // A plain name: `main/<name>` never reaches the orchestrator's own ids (`main/approval/<id>`).
  if (!ARTIFACT_NAME.test(a.name)) {
    throw new ClearanceError('INTERNAL', `domain artifact name ${a.name.slice(0, 80)}`);
  }
  if (!a.type.startsWith(`clearance.${domain}-`) || ORCHESTRATOR_TYPES.has(a.type)) {
    throw new ClearanceError(
      'INTERNAL',
      `domain ${domain} may not record type ${a.type.slice(0, 80)} (only clearance.${domain}-…)`,
    );
  }
  return item(
    'artifact_created',
    { artifact_id: `${ENGINE_STEP}/${a.name}`, artifact_hash: a.hash, artifact_type: a.type },
    { message: a.message },
  );
}

/** The take-off outputs of one workflow, after its engine ran and V5 passed. */
export function takeoffOutputs(
  ctx: OrchestratorContext,
  domain: string,
  files: WorkflowFiles,
  request: WorkflowRequest,
  artifacts: ArtifactSet,
  outputDir: string | undefined,
  actor: string,
): TakeoffOutputs {
  return {
    host: domainHost(ctx),
    request,
    artifacts,
    outputDir,
    actor,
    view: () => files.view,
    recordAhead: async (a) => {
      await steps(ctx, files, [domainItem(domain, a)]);
      await settleAudit(ctx);
    },
    published: () => {
      ctx.faults?.('spool-published', {
        workflowId: files.id,
        sequence: files.log.length - 1,
        state: files.view.state,
      });
    },
  };
}

/**
 * Every domain reconciles its external effects with the replayed WALs (cnc: the spool, B2). Run
 * on open after every WAL is replayed, before anything is served.
 */
export async function recoverDomains(
  ctx: OrchestratorContext,
  workflows: Iterable<WorkflowFiles>,
): Promise<RecoveryAction[]> {
  const replayed = [...workflows].map((f) => ({ id: f.id, state: f.view.state, log: f.log }));
  const host = domainHost(ctx);
  const actions: RecoveryAction[] = [];
  for (const d of ctx.domains.domains) {
    actions.push(...(await d.recover({ host, workflows: replayed })));
  }
  return actions;
}
