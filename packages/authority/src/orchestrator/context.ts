/**
 * What every phase of the orchestrator shares: the stores, the engine side, the governance side,
 * and the two write helpers that enforce the write discipline — WAL entry (fsync) first, then its
 * audit event (fsync), then act.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AuditSeverity,
  JsonObject,
  TypedWALEntry,
  WALDataMap,
  WALEntryType,
} from '@clearance/protocol';
import { ClearanceError, toProfileTimestamp } from '@clearance/protocol';
import type { PolicySource } from '@clearance/governance';
import type { AuditEventInput } from '../audit/log.js';
import type { ClearanceHome } from '../home.js';
import type { ClearanceConfig, EngineRegistry } from '../config/index.js';
import type { DomainRegistry } from '../domain/registry.js';
import type { EngineSandbox } from '../sandbox/index.js';
import type { RunArtifactBody, RunArtifactStore } from '../runs/run-artifacts.js';
import type { WorkflowView } from '../workflow/reducer.js';
import { walEvent, type WalEventExtra } from './wal-events.js';
import type { WorkflowFiles } from './workflow-files.js';
import type { WorkspaceLocks } from './workspace-lock.js';

/** The CabinCrew protocol version Clearance speaks ("CabinCrew draft @ c963bb7", §4.2.12). */
export const PROTOCOL_VERSION = '0.1.0';

/**
 * Named points where a test may crash the authority (WAL-9 fault injection): after each WAL append
 * and each audit append; WAL bytes written but not yet fsynced (`wal-written`); before a state
 * snapshot is written (`snapshot`); a domain's outputs published (cnc: G-code in the spool) before
 * their release is recorded (`spool-published`).
 */
export type FaultPoint =
  'wal-appended' | 'audit-appended' | 'wal-written' | 'snapshot' | 'spool-published';

/** Called at each fault point; a test hook may kill the process there. */
export type FaultHook = (
  point: FaultPoint,
  detail: { workflowId: string; sequence: number; state: string },
) => void;

/** Everything the phases need. */
export interface OrchestratorContext {
  readonly home: ClearanceHome;
  readonly config: ClearanceConfig;
  readonly registry: EngineRegistry;
  readonly sandbox: EngineSandbox;
  readonly policySources: readonly PolicySource[];
  readonly policyDigest: string;
  readonly runs: RunArtifactStore;
  readonly workflowsDir: string;
  readonly workDir: string;
  readonly faults: FaultHook | undefined;
  readonly versions: Readonly<Record<string, string>>;
  readonly auditPipe: AuditPipe;
  /**
   * The registered domains: the built-in policy sources, output checks, releases, version stamps
   * and recovery of each engine's workflows (the orchestrator names none of them).
   */
  readonly domains: DomainRegistry;
  /** Per-workspace readers–writer locks: flight-plans shared, take-offs exclusive (B1). */
  readonly workspaceLocks: WorkspaceLocks;
}

/** Current time as a profile timestamp. */
export function now(ctx: OrchestratorContext): string {
  return toProfileTimestamp(ctx.home.clock.now());
}

/** Append one WAL entry, then its audit event; returns the entry and the view after it. */
export async function step<K extends WALEntryType>(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  type: K,
  data: WALDataMap[K],
  extra: WalEventExtra = {},
): Promise<{ entry: TypedWALEntry; view: WorkflowView }> {
  const view = await steps(ctx, files, [item(type, data, extra)]);
  const entry = files.log[files.log.length - 1];
  if (entry === undefined) throw new ClearanceError('INTERNAL', 'WAL append wrote nothing');
  return { entry, view };
}

/** One entry of a batch for {@link steps}. */
export interface BatchItem<K extends WALEntryType = WALEntryType> {
  readonly type: K;
  readonly data: WALDataMap[K];
  readonly extra?: WalEventExtra;
}

/** Typed constructor of a batch item. */
export function item<K extends WALEntryType>(
  type: K,
  data: WALDataMap[K],
  extra?: WalEventExtra,
): BatchItem {
  return { type, data, ...(extra === undefined ? {} : { extra }) };
}

/** Append several WAL entries with one fsync, then their audit events; returns the last view. */
export async function steps(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  items: readonly BatchItem[],
): Promise<WorkflowView> {
  const written = await files.appendMany(items);
  // The WAL entries are durable; their audit events join the log's group commit and are awaited
  // at the next boundary (settleAudit) — before any engine launch and before any answer to a
  // caller. A crash in between loses nothing: recovery re-emits them (deterministic ids).
  for (const [i, w] of written.entries()) {
    ctx.faults?.('wal-appended', {
      workflowId: files.id,
      sequence: w.entry.sequence,
      state: w.view.state,
    });
    const stepType = (w.entry.entry_type === 'step_completed' ? w.before.openStep : w.view.openStep)
      ?.step_type;
    const sequence = w.entry.sequence;
    track(
      ctx,
      ctx.home.audit
        .append(walEvent(w.entry, w.view.state, stepType, items[i]?.extra ?? {}))
        .then(() => {
          ctx.faults?.('audit-appended', { workflowId: files.id, sequence, state: w.view.state });
        }),
    );
  }
  return files.view;
}

/** Audit appends issued but not yet awaited, and the first failure among them. */
export interface AuditPipe {
  readonly pending: Set<Promise<void>>;
  failure: unknown;
}

function track(ctx: OrchestratorContext, p: Promise<unknown>): void {
  const pipe = ctx.auditPipe;
  const q: Promise<void> = p.then(
    () => undefined,
    (err: unknown) => {
      pipe.failure ??= err;
    },
  );
  pipe.pending.add(q);
  void q.finally(() => pipe.pending.delete(q));
}

/**
 * Wait until every audit event issued so far is durable; rethrows the first append failure
 * (AUDIT_WRITE_FAILED: nothing further may happen until the log is healthy again, AUD-9).
 */
export async function settleAudit(ctx: OrchestratorContext): Promise<void> {
  const pipe = ctx.auditPipe;
  while (pipe.pending.size > 0) await Promise.all([...pipe.pending]);
  if (pipe.failure !== undefined) {
    throw pipe.failure instanceof Error
      ? pipe.failure
      : new ClearanceError('AUDIT_WRITE_FAILED', 'audit append failed');
  }
}

/** Fail the workflow (any non-terminal state → FAILED) with an error event. */
export async function failWorkflow(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  error: string,
  extra: WalEventExtra & { severity?: AuditSeverity } = {},
): Promise<WorkflowView> {
  const failedStep = files.view.openStep?.step_type;
  const { view } = await step(
    ctx,
    files,
    'workflow_failed',
    {
      error: error.slice(0, 2000),
      ...(failedStep === undefined ? {} : { failed_step: failedStep }),
    },
    { severity: 'error', ...extra },
  );
  // A failed workflow never launches again: its launch folders go now (item 13, README work/).
  await removeRunDirs(ctx, files.id);
  return view;
}

/** Append a non-WAL audit event about a workflow (random id). */
export async function note(
  ctx: OrchestratorContext,
  view: WorkflowView | undefined,
  event: Omit<AuditEventInput, 'workflow_state'> & { workflow_state?: string },
): Promise<void> {
  track(
    ctx,
    ctx.home.audit.append({
      workflow_state: view?.state ?? 'NONE',
      ...(view === undefined
        ? {}
        : { workflow: { workflow_id: view.workflow_id, step_id: 'main' } }),
      ...event,
    }),
  );
  await Promise.resolve();
}

/** Record a run artifact and its audit event. */
export async function recordRun(
  ctx: OrchestratorContext,
  view: WorkflowView | undefined,
  body: RunArtifactBody,
): Promise<string> {
  const { artifact, address } = await ctx.runs.record(body, { createdAt: now(ctx) });
  const runId = artifact.run_id;
  await note(ctx, view, {
    event_type: 'run_artifact',
    severity: body.status === 'OK' ? 'info' : 'warning',
    message: `${body.kind} run ${runId}: ${body.status}${body.code === undefined ? '' : ` (${body.code})`}`,
    artifacts: [{ name: runId, role: 'log', hash: address, path: `cas/${address}` }],
  });
  return runId;
}

/** A fresh, empty folder for one engine launch (anything left by a crashed launch is removed). */
export async function freshRunDir(
  ctx: OrchestratorContext,
  workflowId: string,
  label: string,
): Promise<string> {
  const dir = join(ctx.workDir, workflowId, label);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o711 });
  return dir;
}

/**
 * Remove every launch folder of a workflow and wait until they are gone: at the end of its
 * flight-plan (once the artifacts are in the store) and when it fails (README: `work/` folders
 * are removed after use, item 13 of issue 10).
 */
export async function removeRunDirs(ctx: OrchestratorContext, workflowId: string): Promise<void> {
  await rm(join(ctx.workDir, workflowId), { recursive: true, force: true });
}

/**
 * Remove whatever a crash left under `work/`. Called once recovery is done: the only reader of
 * an old launch folder is recovery's re-validation of an interrupted flight-plan.
 */
export async function sweepWorkDir(ctx: OrchestratorContext): Promise<void> {
  for (const entry of await readdir(ctx.workDir)) {
    await rm(join(ctx.workDir, entry), { recursive: true, force: true });
  }
}

/** Remove a launch folder (ORCH-2: nothing leaks into the next run). */
export function dropRunDir(ctx: OrchestratorContext, workflowId: string): void {
  // Cleanup of finished launches happens in the background; a later launch of the same workflow
  // starts from freshRunDir, which removes anything left.
  void rm(join(ctx.workDir, workflowId), { recursive: true, force: true }).catch(() => undefined);
}

/** Issue an audit append whose durability is awaited at the next boundary (settleAudit). */
export function trackAudit(ctx: OrchestratorContext, p: Promise<unknown>): void {
  track(ctx, p);
}

/** The versions stamped on run artifacts. */
export function versionStamp(
  ctx: OrchestratorContext,
  extra: JsonObject = {},
): Record<string, string> {
  const out: Record<string, string> = { ...ctx.versions, config_fingerprint: ctx.config.digest };
  for (const [k, v] of Object.entries(extra)) if (typeof v === 'string') out[k] = v;
  return out;
}
