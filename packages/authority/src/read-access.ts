/**
 * Who may read what (issue 10 item 6; AUD-7, SEC-3, "STORE-READ"). Store blobs, run artifacts
 * and workflow records are answered only to callers who may see a workflow that references them:
 * an `agent` sees the workflows it proposed; operators, approvers, admins, auditors,
 * supervisors and named roles see all. Unknown and forbidden are indistinguishable to the caller (the routes
 * answer both with the same 404).
 *
 * The reverse index blob → workflows is built from structure the authority itself wrote, never
 * from free text an agent or engine controls (a hash pasted into a proposal's config must not
 * open someone else's blob):
 *   - every WAL `artifact_created` hash of the workflow (request, receipts, artifact sets, plan
 *     records, plan-tokens, take-off records, engine artifact hashes);
 *   - inside each stored artifact set: every artifact's `artifact.json` and body address;
 *   - inside each plan record: its artifact set, plan-token and receipt addresses;
 *   - each run artifact of the workflow: its own address, its `hashes` and content-address
 *     `parents`.
 * The index lives in memory (one per runtime). It is built on first use and brought up to date
 * before every answer from each workflow's WAL sequence and the run index length, so every
 * append is indexed before the next read (no stale "forbidden" for a blob just recorded), without
 * a hook in the orchestrator's write path.
 */
import { HASH_DOMAINS, isSha256Hex } from '@clearance/protocol';
import { may } from './authorization.js';
import type { ContentStore } from './cas/store.js';
import { isRecord } from './narrow.js';
import { getObject } from './orchestrator/objects.js';
import type { Orchestrator } from './orchestrator/orchestrator.js';
import { getPlanRecord, PLAN_RECORD_TYPE } from './orchestrator/records.js';
import { loadArtifactSet } from './plan/index.js';
import type { RunArtifactStore, RunIndexEntry } from './runs/run-artifacts.js';

// The roles and the rule live in the one authorization table (`read_all`).
export { SCOPED_ROLE } from './authorization.js';

/** Who is asking: the signed-in principal's name and roles. */
export interface Reader {
  readonly name: string;
  readonly roles: readonly string[];
}

/** True when the reader sees all workflows: it holds any role other than `agent` (`read_all`). */
export function seesAll(reader: Reader): boolean {
  return may(reader, 'read_all');
}

/** True when the reader may see a workflow proposed by `proposer` (pure). */
export function maySeeWorkflow(reader: Reader, proposer: string): boolean {
  return seesAll(reader) || reader.name === proposer;
}

const ARTIFACT_SET_TYPE = 'clearance.artifact-set';
/** cnc/takeoff.ts RELEASE_TYPE: the release record names the G-code, toolpaths and preview. */
const CNC_RELEASE_TYPE = 'clearance.cnc-release';

/** What the index reads: the orchestrator's workflows, the run index and the store. */
export interface ReadSources {
  readonly orchestrator: Pick<Orchestrator, 'list' | 'viewOf'>;
  readonly runs: RunArtifactStore;
  readonly home: { readonly cas: ContentStore };
}

/** The in-memory reverse index from content addresses to the workflows that reference them. */
export class BlobReferences {
  private readonly byBlob = new Map<string, Set<string>>();
  private readonly proposers = new Map<string, string>();
  /** Per workflow: the WAL sequence indexed so far and the number of artifact records seen. */
  private readonly seen = new Map<string, { sequence: number; artifacts: number }>();
  private runsSeen = 0;
  private refreshing: Promise<void> = Promise.resolve();

  /** The stores read from: an ES private field, so the query API's index hands out no handle. */
  readonly #sources: ReadSources;

  constructor(sources: ReadSources) {
    this.#sources = sources;
  }

  /** The workflows that reference `address` (after bringing the index up to date). */
  async workflowsOf(address: string): Promise<ReadonlySet<string>> {
    await this.refresh();
    return this.byBlob.get(address) ?? new Set();
  }

  /**
   * True when `reader` may read the blob at `address`: see-all roles always (the store answers
   * CAS_NOT_FOUND for an unknown address), an agent only for a blob one of its workflows
   * references. False for anything that is not an address.
   */
  async mayReadBlob(reader: Reader, address: string): Promise<boolean> {
    if (!isSha256Hex(address)) return false;
    if (seesAll(reader)) return true;
    for (const id of await this.workflowsOf(address)) {
      if (this.proposers.get(id) === reader.name) return true;
    }
    return false;
  }

  /** True when `reader` may read a run (runs outside any workflow: see-all roles only). */
  async mayReadRun(reader: Reader, entry: RunIndexEntry): Promise<boolean> {
    if (seesAll(reader)) return true;
    return entry.workflow_id !== null && this.mayReadWorkflow(reader, entry.workflow_id);
  }

  /** True when `reader` may see the workflow `id` (false for an unknown id). */
  async mayReadWorkflow(reader: Reader, id: string): Promise<boolean> {
    if (seesAll(reader)) return true;
    let proposer = this.proposers.get(id);
    if (proposer === undefined) {
      await this.refresh();
      proposer = this.proposers.get(id);
    }
    return proposer !== undefined && maySeeWorkflow(reader, proposer);
  }

  /** Index what was appended since the last call (one refresh at a time). */
  private refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.catchUp());
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  private async catchUp(): Promise<void> {
    const { orchestrator, runs } = this.#sources;
    for (const w of await orchestrator.list()) {
      this.proposers.set(w.workflow_id, w.proposer);
      let view;
      try {
        view = orchestrator.viewOf(w.workflow_id);
      } catch {
        continue;
      }
      const before = this.seen.get(w.workflow_id);
      if (before !== undefined && before.sequence === view.lastSequence) continue;
      for (const a of view.artifacts.slice(before?.artifacts ?? 0)) {
        this.add(a.artifact_hash, w.workflow_id);
        await this.addInner(a.artifact_type, a.artifact_hash, w.workflow_id);
      }
      for (const address of Object.values(view.objects)) this.add(address, w.workflow_id);
      this.seen.set(w.workflow_id, {
        sequence: view.lastSequence,
        artifacts: view.artifacts.length,
      });
    }
    const entries = runs.list();
    for (const e of entries.slice(this.runsSeen)) await this.addRun(e);
    this.runsSeen = entries.length;
  }

  private add(address: unknown, id: string): void {
    if (typeof address !== 'string' || !isSha256Hex(address)) return;
    let set = this.byBlob.get(address);
    if (set === undefined) {
      set = new Set();
      this.byBlob.set(address, set);
    }
    set.add(id);
  }

  /** Addresses inside the records the orchestrator wrote (structural fields only). */
  private async addInner(type: string, address: string, id: string): Promise<void> {
    const { cas } = this.#sources.home;
    try {
      if (type === ARTIFACT_SET_TYPE) {
        const set = await loadArtifactSet(cas, address);
        for (const a of set.artifacts) {
          this.add(a.meta.address, id);
          if (a.body !== null) this.add(a.body.address, id);
        }
      } else if (type === PLAN_RECORD_TYPE) {
        const p = await getPlanRecord(cas, address);
        for (const x of [p.artifact_set, p.plan_token, p.receipt]) this.add(x, id);
      } else if (type === CNC_RELEASE_TYPE) {
        const r = await getObject(cas, address, HASH_DOMAINS.CNC_RELEASE);
        const gcode = r['gcode'];
        if (isRecord(gcode)) this.add(gcode['address'], id);
        this.add(r['toolpaths'], id);
        this.add(r['preview'], id);
      }
    } catch {
      // A record that no longer reads back (damaged store) adds nothing: reads fail closed.
    }
  }

  private async addRun(entry: RunIndexEntry): Promise<void> {
    const id = entry.workflow_id;
    if (id === null) return;
    this.add(entry.address, id);
    try {
      const run = await this.#sources.runs.get(entry.run_id);
      for (const h of Object.values(run.hashes ?? {})) this.add(h, id);
      for (const p of run.parents ?? []) this.add(p, id);
      if (isRecord(run.details)) this.add(run.details['release'], id);
    } catch {
      // Unreadable run artifact: nothing added (fail closed).
    }
  }
}

const indexes = new WeakMap<ReadSources, BlobReferences>();

/** The reverse index of a running authority (one per runtime, built on first use). */
export function blobReferences(sources: ReadSources): BlobReferences {
  let index = indexes.get(sources);
  if (index === undefined) {
    index = new BlobReferences(sources);
    indexes.set(sources, index);
  }
  return index;
}
