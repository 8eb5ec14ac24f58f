/**
 * Plan-token verification checkpoints V1–V6 (spec/cabincrew.md §4.2.4): recompute every artifact
 * descriptor from the content-addressed store (and, for V4/V5, from the restored read-only copy),
 * rebuild the composite token from independent sources — the workflow id, the stored request, the
 * plan record and the *current* governance digests — and compare with the stored PlanToken, whose
 * own hash must equal the WAL's plan_token_hash.
 */
import { ClearanceError, hasCode, type PlanToken, validate } from '@clearance/protocol';
import { readRecord } from '../cas/read-record.js';
import type { ContentStore } from '../cas/store.js';
import {
  checkPlanToken,
  loadArtifactSet,
  rehashDirectory,
  rehashStored,
  type ArtifactSet,
  type RehashedArtifact,
  type TokenCheck,
} from '../plan/index.js';
import { ENGINE_STEP, type WorkflowView } from '../workflow/reducer.js';
import {
  getPlanRecord,
  getRequest,
  PLAN_RECORD_TYPE,
  REQUEST_TYPE,
  type PlanRecord,
  type WorkflowRequest,
} from './records.js';
import { requestDigest } from './secrets.js';

/** Outcome of one checkpoint. */
export interface PlanVerification {
  readonly ok: boolean;
  readonly check: TokenCheck | undefined;
  /** Names of artifacts that differ, from any source checked. */
  readonly differences: readonly string[];
  readonly reason: string;
}

/** What to check besides the store. */
export interface VerifyOptions {
  readonly policyDigest: string;
  readonly governanceHash: string;
  /** A restored read-only copy to re-hash too (V4, V5). */
  readonly restoredDir?: string;
}

interface PlanRecords {
  readonly plan: PlanRecord;
  readonly request: WorkflowRequest;
  readonly stored: PlanToken;
  readonly set: ArtifactSet;
}

// The small immutable records a verification starts from, by content address, as they were read
// (and verified against their address) the first time. The artifact bytes themselves are never
// cached: every checkpoint re-reads and re-hashes them. A restart re-reads everything (V6).
const recordCache = new WeakMap<ContentStore, Map<string, PlanRecords>>();
const RECORD_CACHE_MAX = 4096;

export async function planRecords(
  cas: ContentStore,
  planAddress: string,
  requestAddress: string,
): Promise<PlanRecords> {
  let cache = recordCache.get(cas);
  if (cache === undefined) {
    cache = new Map();
    recordCache.set(cas, cache);
  }
  const key = `${planAddress}/${requestAddress}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const plan = await getPlanRecord(cas, planAddress);
  const request = await getRequest(cas, requestAddress);
  const stored = await loadPlanToken(cas, plan.plan_token);
  const set = await loadArtifactSet(cas, plan.artifact_set);
  const records = { plan, request, stored, set };
  if (cache.size >= RECORD_CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, records);
  return records;
}

/**
 * Load the stored PlanToken of a plan record (readRecord: canonical strict JSON, then the
 * protocol schema, which refuses unknown keys; CAS_CORRUPT otherwise). The PlanToken is a
 * protocol object without a `domain` member.
 */
export async function loadPlanToken(cas: ContentStore, address: string): Promise<PlanToken> {
  return readRecord(cas, address, null, (value, fail) =>
    isPlanToken(value) ? value : fail('', 'is not a PlanToken'),
  );
}

function isPlanToken(value: unknown): value is PlanToken {
  return validate('PlanToken', value).ok;
}

/** Run a verification checkpoint; never throws for integrity problems, only reports them. */
export async function verifyPlan(
  cas: ContentStore,
  view: WorkflowView,
  options: VerifyOptions,
): Promise<PlanVerification> {
  const planAddress = view.objects[PLAN_RECORD_TYPE];
  const requestAddress = view.objects[REQUEST_TYPE];
  if (planAddress === undefined || requestAddress === undefined || view.planTokenHash === '') {
    return { ok: false, check: undefined, differences: [], reason: 'no plan-token recorded' };
  }
  try {
    const { plan, request, stored, set } = await planRecords(cas, planAddress, requestAddress);
    const base = {
      workflow_id: view.workflow_id,
      step_id: ENGINE_STEP,
      engine_id: plan.engine_id,
      protocol_version: plan.protocol_version,
      model: plan.model,
      workspace_hash: plan.workspace_hash,
      input_digest: requestDigest(request),
      policy_digest: options.policyDigest,
      governance_hash: options.governanceHash,
    };
    const fromStore = await rehash(
      () => rehashStored(cas, set),
      () => damagedBlobs(cas, set),
    );
    const checks: TokenCheck[] = [];
    if (isRehashed(fromStore)) {
      checks.push(checkPlanToken(stored, view.planTokenHash, { ...base, artifacts: fromStore }));
    }
    let restored: RehashedArtifact[] | string[] | undefined;
    if (options.restoredDir !== undefined) {
      const dir = options.restoredDir;
      restored = await rehash(
        () => rehashDirectory(dir, set),
        () => Promise.resolve([]),
      );
      if (Array.isArray(restored) && isRehashed(restored)) {
        checks.push(checkPlanToken(stored, view.planTokenHash, { ...base, artifacts: restored }));
      }
    }
    const failedNames = [fromStore, restored].flatMap((r) =>
      r !== undefined && !isRehashed(r) ? r : [],
    );
    const differences = [
      ...new Set([...failedNames, ...checks.flatMap((c) => c.differences)]),
    ].sort();
    const fields = [...new Set(checks.flatMap((c) => c.fields))];
    const ok = failedNames.length === 0 && checks.length > 0 && checks.every((c) => c.ok);
    return {
      ok,
      check: checks[0],
      differences,
      reason: ok
        ? 'plan-token verified'
        : `plan-token mismatch${differences.length > 0 ? `: artifacts ${differences.join(', ')}` : ''}${fields.length > 0 ? `; fields ${fields.join(', ')}` : ''}`,
    };
  } catch (err) {
    if (
      hasCode(err, 'CAS_CORRUPT') ||
      hasCode(err, 'CAS_NOT_FOUND') ||
      hasCode(err, 'SCHEMA_INVALID')
    ) {
      return {
        ok: false,
        check: undefined,
        differences: [],
        reason: `stored plan unreadable: ${err.code}`,
      };
    }
    throw err;
  }
}

function isRehashed(r: readonly (RehashedArtifact | string)[]): r is RehashedArtifact[] {
  return r.every((x) => typeof x !== 'string');
}

/** Re-hash; an integrity error names the damaged artifacts instead of throwing. */
async function rehash(
  fn: () => Promise<RehashedArtifact[]>,
  locate: () => Promise<string[]>,
): Promise<RehashedArtifact[] | string[]> {
  try {
    return await fn();
  } catch (err) {
    if (!(
      hasCode(err, 'ARTIFACT_INTEGRITY') ||
      hasCode(err, 'CAS_CORRUPT') ||
      hasCode(err, 'CAS_NOT_FOUND')
    )) {
      throw err;
    }
    const name = err.detail?.['name'];
    const located = await locate();
    if (typeof name === 'string') located.push(name);
    return located.length > 0 ? [...new Set(located)] : ['(unknown)'];
  }
}

/** Names of artifacts whose stored blobs no longer match their addresses. */
async function damagedBlobs(cas: ContentStore, set: ArtifactSet): Promise<string[]> {
  const names: string[] = [];
  for (const a of set.artifacts) {
    for (const blob of [a.meta, a.body]) {
      if (blob === null) continue;
      try {
        await cas.verify(blob.address);
      } catch (err) {
        if (err instanceof ClearanceError) names.push(a.name);
        else throw err;
      }
    }
  }
  return names;
}
