/**
 * Feasibility overrides (spec/rmos.md §6.10, done right): an override is its own immutable,
 * content-addressed run artifact (kind `override`), linked to the workflow whose job it unlocks.
 * It never changes the original risk; it binds the job hash and the feasibility hash, so it unlocks
 * exactly that job as assessed, and nothing else. There is no update or delete.
 */
import { isSha256Hex } from '@clearance/protocol';
import { isRecord } from '../narrow.js';
import type { RunArtifact, RunArtifactStore } from '../runs/run-artifacts.js';

/** Run-artifact kind of overrides. */
export const OVERRIDE_KIND = 'override';

/** Which risk an override unlocks. */
export type OverrideScope = 'YELLOW' | 'RED';

/** An accepted override, as read back from its run artifact. */
export interface OverrideRecord {
  readonly run_id: string;
  readonly workflow_id: string;
  readonly job_hash: string;
  readonly feasibility_hash: string;
  readonly scope: OverrideScope;
  readonly original_risk: OverrideScope;
  readonly reason: string;
  readonly acknowledged_risk: boolean;
  readonly supervisor: string;
  readonly created_at: string;
}

/** Find an accepted override for a job as assessed. */
export interface OverrideLookup {
  find(jobHash: string, feasibilityHash: string): OverrideRecord | undefined;
}

function isScope(v: unknown): v is OverrideScope {
  return v === 'YELLOW' || v === 'RED';
}

/** The override a run artifact records, or undefined if it is not an accepted override. */
export function overrideOf(run: RunArtifact): OverrideRecord | undefined {
  const d = run.details;
  if (run.kind !== OVERRIDE_KIND || run.status !== 'OK' || !isRecord(d)) return undefined;
  const { job_hash: jobHash, feasibility_hash: fHash, scope, original_risk: risk } = d;
  const { reason, acknowledged_risk: ack } = d;
  if (
    typeof jobHash !== 'string' ||
    !isSha256Hex(jobHash) ||
    typeof fHash !== 'string' ||
    !isSha256Hex(fHash) ||
    !isScope(scope) ||
    !isScope(risk) ||
    typeof reason !== 'string' ||
    typeof ack !== 'boolean' ||
    run.workflow_id === null ||
    run.actor === null
  ) {
    return undefined;
  }
  return {
    run_id: run.run_id,
    workflow_id: run.workflow_id,
    job_hash: jobHash,
    feasibility_hash: fHash,
    scope,
    original_risk: risk,
    reason,
    acknowledged_risk: ack,
    supervisor: run.actor,
    created_at: run.created_at,
  };
}

/** The accepted overrides of a home, indexed by job and feasibility hash. */
export class OverrideIndex implements OverrideLookup {
  private readonly byKey = new Map<string, OverrideRecord>();

  /** Load every accepted override from the run store (re-verified by address). */
  static async load(runs: RunArtifactStore): Promise<OverrideIndex> {
    const index = new OverrideIndex();
    for (const entry of runs.list()) {
      if (entry.kind !== OVERRIDE_KIND || entry.status !== 'OK') continue;
      const record = overrideOf(await runs.get(entry.run_id));
      if (record !== undefined) index.add(record);
    }
    return index;
  }

  /** Remember an accepted override (the first one for a key wins; later ones are refused). */
  add(record: OverrideRecord): void {
    const key = `${record.job_hash}/${record.feasibility_hash}`;
    if (!this.byKey.has(key)) this.byKey.set(key, record);
  }

  find(jobHash: string, feasibilityHash: string): OverrideRecord | undefined {
    return this.byKey.get(`${jobHash}/${feasibilityHash}`);
  }
}
