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
import type { RecoveryAction } from './recovery.js';
import type { WorkflowRequest } from './records.js';
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

/** The WAL item of an artifact a domain records (an authority record, never an engine's). */
export function domainItem(a: DomainArtifact): BatchItem {
  if (!a.type.startsWith('clearance.')) {
    throw new ClearanceError(
      'INTERNAL',
      `domain record type ${a.type.slice(0, 80)} is not clearance.*`,
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
      await steps(ctx, files, [domainItem(a)]);
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
