/**
 * The artifact listing of a workflow: every artifact the WAL recorded (engine artifacts and the
 * orchestrator's own `clearance.*` records), and, for the engine artifacts of the latest plan,
 * where their bytes live in the content-addressed store (from the stored artifact set).
 */
import { ENGINE_STEP, type AuthorityRuntime, type StoredArtifact } from '@clearance/authority';
import type { ArtifactRecord } from '@clearance/protocol';

/**
 * The artifact type under which the orchestrator records the artifact set of each flight-plan
 * (orchestrator/plan-phase.ts ARTIFACT_SET_TYPE, not exported by @clearance/authority). The view
 * keeps the latest address per `clearance.*` type, so this is the set of the latest plan.
 */
const ARTIFACT_SET_TYPE = 'clearance.artifact-set';

/** One listed artifact. */
export interface ListedArtifact extends ArtifactRecord {
  readonly name?: string;
  readonly role?: string;
  readonly action?: string;
  readonly target?: string;
  readonly mime?: string;
  readonly meta?: { readonly address: string; readonly size: number };
  readonly body?: { readonly address: string; readonly size: number } | null;
}

/** The answer of GET /api/workflows/:id/artifacts. */
export interface ArtifactListing {
  readonly workflow_id: string;
  readonly plan_token_hash: string;
  readonly artifact_set: string | null;
  readonly artifacts: readonly ListedArtifact[];
}

function describe(record: ArtifactRecord, stored: StoredArtifact | undefined): ListedArtifact {
  if (stored === undefined) return record;
  return {
    ...record,
    name: stored.name,
    role: stored.role,
    action: stored.action,
    ...(stored.target === undefined ? {} : { target: stored.target }),
    mime: stored.mime,
    meta: stored.meta,
    body: stored.body,
  };
}

/** List a workflow's artifacts (WORKFLOW_NOT_FOUND for an unknown id). */
export async function listArtifacts(
  runtime: AuthorityRuntime,
  workflowId: string,
): Promise<ArtifactListing> {
  const view = runtime.orchestrator.viewOf(workflowId);
  const setAddress = view.objects[ARTIFACT_SET_TYPE];
  // The set is re-read through the CAS (address re-verified) and parsed strictly.
  const set = setAddress === undefined ? undefined : await runtime.queries.artifactSet(setAddress);
  const byId = new Map(set?.artifacts.map((a) => [`${ENGINE_STEP}/${a.name}`, a]));
  return {
    workflow_id: view.workflow_id,
    plan_token_hash: view.planTokenHash,
    artifact_set: setAddress ?? null,
    artifacts: view.artifacts.map((r) => {
      const stored = byId.get(r.artifact_id);
      // Only the record of the same bytes gets the addresses (an earlier plan's artifact of the
      // same name has another hash).
      return describe(r, stored?.hash === r.artifact_hash ? stored : undefined);
    }),
  };
}
