/**
 * Run artifacts: one immutable record for every approval attempt (accepted, refused or malformed)
 * and every take-off, written to the content-addressed store as canonical JSON (the stored bytes
 * are exactly the hashed bytes) and indexed in `runs/index.jsonl` (store/append-log.ts). There is no
 * update or delete: a correction is a new run artifact whose `parent` names the old one.
 *
 * The index is a convenience; the audit log records every run artifact's address too
 * (`run_artifact` events), so the index can be rebuilt from the log.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  canonicalize,
  ClearanceError,
  H,
  FieldReader,
  HASH_DOMAINS,
  isSha256Hex,
  parseJsonStrict,
  type FailAt,
  type JsonObject,
} from '@clearance/protocol';
import { readRecord } from '../cas/read-record.js';
import type { ContentStore } from '../cas/store.js';
import type { TornTail } from '../audit/torn-tail.js';
import { AppendLog } from '../store/append-log.js';
import { isRecord } from '../narrow.js';

/** Domain tag of run artifacts; also the request-hash domain prefix. */
export const RUN_ARTIFACT_DOMAIN = HASH_DOMAINS.RUN_ARTIFACT;

export const RUN_STATUSES = ['OK', 'BLOCKED', 'ERROR'] as const;
/** OK: did what was asked; BLOCKED: refused by a rule; ERROR: malformed or failed. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What a run artifact records. */
export interface RunArtifactBody {
  readonly kind: string;
  readonly status: RunStatus;
  readonly workflow_id: string | null;
  readonly actor: string | null;
  /** Stable error code when refused or failed. */
  readonly code?: string;
  readonly reason: string;
  /** The (already redacted) request as received. */
  readonly request: JsonObject;
  readonly plan_token_hash?: string;
  readonly approval_id?: string;
  readonly hashes?: Readonly<Record<string, string>>;
  readonly versions: Readonly<Record<string, string>>;
  readonly details?: JsonObject;
  readonly parent?: string;
  /** What this run derives from: run ids and content addresses (job artifact, overrides…). */
  readonly parents?: readonly string[];
}

/** A stored run artifact. */
export interface RunArtifact extends RunArtifactBody {
  readonly domain: typeof RUN_ARTIFACT_DOMAIN;
  readonly run_id: string;
  readonly created_at: string;
  readonly request_sha256: string;
}

/** One line of the run index. */
export interface RunIndexEntry {
  readonly run_id: string;
  readonly address: string;
  readonly kind: string;
  readonly status: RunStatus;
  readonly workflow_id: string | null;
  readonly created_at: string;
}

/** The run-artifact store of a home (`runs/index.jsonl` + blobs in the CAS). */
export class RunArtifactStore {
  private readonly entries: RunIndexEntry[];

  private constructor(
    private readonly cas: ContentStore,
    private readonly index: AppendLog,
    entries: RunIndexEntry[],
    /** A torn final index line cut off into `runs/quarantine/` on open (to be recorded). */
    readonly recovered: TornTail | undefined,
  ) {
    this.entries = entries;
  }

  /**
   * Open (creating) the index under `dir`. A torn final line was never acknowledged: it is moved
   * to `quarantine/` and cut off, never completed by the next append (issue 10, item 7).
   */
  static async open(cas: ContentStore, dir: string): Promise<RunArtifactStore> {
    await mkdir(join(dir, 'quarantine'), { recursive: true, mode: 0o700 });
    let entries: RunIndexEntry[] = [];
    const { log, torn } = await AppendLog.open(
      join(dir, 'index.jsonl'),
      { quarantineDir: join(dir, 'quarantine'), label: 'runs-index' },
      (complete) => {
        entries = complete
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0)
          .map(parseIndexLine);
      },
    );
    return new RunArtifactStore(cas, log, entries, torn);
  }

  /**
   * Record a run artifact: CAS first, then the index line (fsync). The run id is derived from the
   * content (`run_` + the first 32 hex digits of H('clearance.run-id.v1', record without its id)),
   * so nobody can choose it and equal records (same attempt, same millisecond) are one record.
   */
  async record(
    body: RunArtifactBody,
    meta: { createdAt: string },
  ): Promise<{ artifact: RunArtifact; address: string }> {
    const content: Omit<RunArtifact, 'run_id'> = {
      domain: RUN_ARTIFACT_DOMAIN,
      created_at: meta.createdAt,
      request_sha256: H(HASH_DOMAINS.RUN_REQUEST, body.request),
      ...body,
    };
    const artifact: RunArtifact = { ...content, run_id: runIdOf(content) };
    const { address } = await this.cas.put(Buffer.from(canonicalize(artifact), 'utf8'));
    if (this.entries.some((e) => e.run_id === artifact.run_id)) return { artifact, address };
    const entry: RunIndexEntry = {
      run_id: artifact.run_id,
      address,
      kind: artifact.kind,
      status: artifact.status,
      workflow_id: artifact.workflow_id,
      created_at: artifact.created_at,
    };
    // Appends are written in call order (group commit); the entry is listed once durable.
    await this.index.append(`${canonicalize(entry)}\n`);
    if (!this.entries.some((e) => e.run_id === entry.run_id)) this.entries.push(entry);
    return { artifact, address };
  }

  /** Wait for pending index appends and close the index file. */
  async close(): Promise<void> {
    await this.index.close();
  }

  /** Index entries, oldest first, optionally for one workflow. */
  list(filter: { workflowId?: string } = {}): readonly RunIndexEntry[] {
    return filter.workflowId === undefined
      ? [...this.entries]
      : this.entries.filter((e) => e.workflow_id === filter.workflowId);
  }

  /**
   * Read one run artifact back through readRecord (address, canonical strict JSON, domain, known
   * keys; CAS_CORRUPT otherwise); its id must name it and match its content.
   */
  async get(runId: string): Promise<RunArtifact> {
    const entry = this.entries.find((e) => e.run_id === runId);
    if (entry === undefined) throw new ClearanceError('NOT_FOUND', `no run artifact ${runId}`);
    return readRecord(this.cas, entry.address, RUN_ARTIFACT_DOMAIN, (value, fail) => {
      const artifact = toRunArtifact(value, fail);
      if (artifact.run_id !== runId) fail('/run_id', 'does not name this run');
      const { run_id: _id, ...content } = artifact;
      if (runIdOf(content) !== runId) fail('/run_id', 'does not match the content');
      return artifact;
    });
  }
}

/** Domain of run ids. */
export const RUN_ID_DOMAIN = HASH_DOMAINS.RUN_ID;

/** The content-derived id of a run artifact (everything but `run_id` is hashed). */
export function runIdOf(content: Omit<RunArtifact, 'run_id'>): string {
  return `run_${H(RUN_ID_DOMAIN, { ...content }).slice(0, 32)}`;
}

const RUN_ARTIFACT_KEYS = {
  required: [
    'domain',
    'run_id',
    'created_at',
    'request_sha256',
    'kind',
    'status',
    'workflow_id',
    'actor',
    'reason',
    'request',
    'versions',
  ],
  optional: ['code', 'plan_token_hash', 'approval_id', 'hashes', 'details', 'parent', 'parents'],
};

function toRunArtifact(value: JsonObject, fail: FailAt): RunArtifact {
  const r = FieldReader.strict(value, '', RUN_ARTIFACT_KEYS, fail);
  r.str('kind');
  r.str('reason');
  r.str('created_at');
  r.str('run_id');
  if (!isRunStatus(value['status'])) fail('/status', 'is not a run status');
  // The record came from the store by content address, is canonical and has exactly the keys
  // this module writes; the members callers branch on are checked above.
  return value as unknown as RunArtifact; // eslint-disable-line @typescript-eslint/no-unsafe-type-assertion
}

function isRunStatus(v: unknown): v is RunStatus {
  return typeof v === 'string' && (RUN_STATUSES as readonly string[]).includes(v);
}

function parseIndexLine(line: string): RunIndexEntry {
  const v = parseJsonStrict(line);
  if (!isRecord(v)) throw new ClearanceError('HOME_INVALID', 'runs/index.jsonl is malformed');
  const { run_id: runId, address, kind, status, workflow_id: wf, created_at: createdAt } = v;
  if (
    typeof runId !== 'string' ||
    typeof address !== 'string' ||
    !isSha256Hex(address) ||
    typeof kind !== 'string' ||
    !isRunStatus(status) ||
    (wf !== null && typeof wf !== 'string') ||
    typeof createdAt !== 'string'
  ) {
    throw new ClearanceError('HOME_INVALID', 'runs/index.jsonl has a malformed line');
  }
  return { run_id: runId, address, kind, status, workflow_id: wf, created_at: createdAt };
}
