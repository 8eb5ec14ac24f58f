/**
 * `clearance audit verify --deep` (issue 10 B4/APR-13/GEN-6): re-verify a home OFFLINE, from its
 * files alone — no authority, no lock, no record written (only the CAS folders are created if
 * absent). Needs read access to `keys/` (the WAL MAC key is secret, unlike the audit public key). Besides the audit log it re-checks every
 * WAL's MACs and replay, every CAS blob against its address, the run index and run artifacts,
 * every approval's authority signature, every plan-token recomputed from the stored artifacts,
 * and the consistency of WAL ↔ audit log ↔ run artifacts.
 *
 * The verification is a list of named checks ({@link DeepCheck}) over one loaded snapshot of the
 * home ({@link DeepHome}); each reports problems with a stable code. Another check is added by
 * appending to {@link DEEP_CHECKS} (or passing `checks`).
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode, isSha256Hex, keyRefFor, parseJsonStrict } from '@clearance/protocol';
import { FileContentStore } from './cas/file-store.js';
import { isErrno } from './fs-util.js';
import { readManifest, type HomeManifest } from './home.js';
import { loadPublicKey } from './keys.js';
import { isRecord } from './narrow.js';
import { RUN_STATUSES, type RunArtifact, type RunIndexEntry } from './runs/run-artifacts.js';
import { reduce, trail, type TrailItem, type WorkflowView } from './workflow/reducer.js';
import { readWalFile, type WalParse } from './workflow/wal.js';
import { WalMacKey, workflowFolderIds } from './workflow/wal-key.js';
import { DEEP_CHECKS } from './deep-checks.js';

/** One problem found by a check. `code` is stable; `subject` names what is broken. */
export interface DeepProblem {
  readonly code: string;
  readonly subject: string;
  readonly reason: string;
}

/** What one check found. */
export interface DeepCheckReport {
  readonly name: string;
  /** Number of items the check examined. */
  readonly checked: number;
  readonly problems: readonly DeepProblem[];
}

/** The whole report: intact when no check found a problem. */
export interface DeepReport {
  readonly ok: boolean;
  readonly home: string;
  readonly keyRef: string;
  readonly checks: readonly DeepCheckReport[];
}

/** A named verification over a loaded home. */
export interface DeepCheck {
  readonly name: string;
  run(home: DeepHome): Promise<{ checked: number; problems: DeepProblem[] }>;
}

/** One workflow as read from its WAL. */
export interface DeepWorkflow {
  readonly id: string;
  readonly parse: WalParse;
  /** The replayed trail and view (undefined when the WAL does not replay). */
  readonly trail: readonly TrailItem[] | undefined;
  readonly view: WorkflowView | undefined;
  readonly replayError: string | undefined;
}

/** One line of `runs/index.jsonl`, parsed or not. */
export interface DeepIndexLine {
  readonly line: number;
  readonly entry: RunIndexEntry | undefined;
  readonly error: string | undefined;
}

/** A run artifact read back by content address. */
export type DeepRunRead =
  | { readonly ok: true; readonly artifact: RunArtifact; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly code: 'CAS_NOT_FOUND' | 'CAS_CORRUPT' | 'MALFORMED' };

/** A read-only snapshot of a home, loaded once and shared by the checks. */
export interface DeepHome {
  readonly dir: string;
  readonly manifest: HomeManifest;
  readonly publicKey: KeyObject;
  readonly keyRef: string;
  /** The WAL MAC key; undefined (with the reason) when it is missing or unreadable. */
  readonly walKey: WalMacKey | undefined;
  readonly walKeyError: string | undefined;
  readonly cas: FileContentStore;
  readonly workflows: readonly DeepWorkflow[];
  readonly runIndex: readonly DeepIndexLine[];
  /** Every audit line that parses as an object (whether or not the chain verifies). */
  readonly auditEvents: readonly Record<string, unknown>[];
  readonly auditEventIds: ReadonlySet<string>;
  /** Read a run artifact by address (cached). */
  readRun(address: string): Promise<DeepRunRead>;
}

/** Verify a home deeply; `checks` defaults to {@link DEEP_CHECKS}. */
export async function deepVerifyHome(
  dir: string,
  options: { readonly checks?: readonly DeepCheck[] } = {},
): Promise<DeepReport> {
  const home = await loadDeepHome(dir);
  const reports: DeepCheckReport[] = [];
  for (const check of options.checks ?? DEEP_CHECKS) {
    const { checked, problems } = await check.run(home);
    reports.push({ name: check.name, checked, problems });
  }
  return {
    ok: reports.every((r) => r.problems.length === 0),
    home: dir,
    keyRef: home.keyRef,
    checks: reports,
  };
}

/** The first problem of each code, in the order found (what the CLI prints). */
export function firstProblemPerCode(report: DeepCheckReport): DeepProblem[] {
  const first = new Map<string, DeepProblem>();
  for (const p of report.problems) if (!first.has(p.code)) first.set(p.code, p);
  return [...first.values()];
}

async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return Buffer.alloc(0);
    throw err;
  }
}

/** Load the snapshot the checks share (throws only when the home itself is unusable). */
export async function loadDeepHome(dir: string): Promise<DeepHome> {
  const manifest = await readManifest(dir);
  const publicKey = await loadPublicKey(join(dir, 'keys'));
  const keyRef = keyRefFor(publicKey);
  let walKey: WalMacKey | undefined;
  let walKeyError: string | undefined;
  try {
    walKey = await WalMacKey.load(join(dir, 'keys'));
  } catch (err) {
    walKeyError = err instanceof Error ? err.message : 'unreadable';
  }
  const cas = await FileContentStore.open(join(dir, 'cas'));
  const workflowsDir = join(dir, 'workflows');
  const workflows: DeepWorkflow[] = [];
  for (const id of await workflowFolderIds(workflowsDir)) {
    const parse = await readWalFile(join(workflowsDir, id, 'wal.jsonl'), id, walKey ?? 'unkeyed');
    workflows.push(replayed(id, parse));
  }
  const auditEvents = (await readOrEmpty(join(dir, 'audit', 'events.jsonl')))
    .toString('utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        const v: unknown = l.length === 0 ? undefined : parseJsonStrict(l);
        return isRecord(v) ? [v] : [];
      } catch {
        return [];
      }
    });
  const auditEventIds = new Set(
    auditEvents.flatMap((e) => (typeof e['event_id'] === 'string' ? [e['event_id']] : [])),
  );
  const runIndex = parseRunIndex(await readOrEmpty(join(dir, 'runs', 'index.jsonl')));
  const runs = new Map<string, Promise<DeepRunRead>>();
  const readRun = (address: string): Promise<DeepRunRead> => {
    let p = runs.get(address);
    if (p === undefined) {
      p = readRunAt(cas, address);
      runs.set(address, p);
    }
    return p;
  };
  return {
    dir,
    manifest,
    publicKey,
    keyRef,
    walKey,
    walKeyError,
    cas,
    workflows,
    runIndex,
    auditEvents,
    auditEventIds,
    readRun,
  };
}

function replayed(id: string, parse: WalParse): DeepWorkflow {
  if (parse.entries.length === 0) {
    return { id, parse, trail: undefined, view: undefined, replayError: undefined };
  }
  try {
    const items = trail(parse.entries);
    return { id, parse, trail: items, view: reduce(parse.entries), replayError: undefined };
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'replay failed';
    return { id, parse, trail: undefined, view: undefined, replayError: reason };
  }
}

function parseRunIndex(bytes: Buffer): DeepIndexLine[] {
  // The last piece is empty, or a final line without its newline: never acknowledged (torn).
  const complete = bytes.toString('utf8').split('\n').slice(0, -1);
  return complete.flatMap((l, i) => (l.length === 0 ? [] : [indexLine(l, i + 1)]));
}

function indexLine(text: string, line: number): DeepIndexLine {
  let v: unknown;
  try {
    v = parseJsonStrict(text);
  } catch {
    return { line, entry: undefined, error: 'not JSON' };
  }
  if (!isRecord(v)) return { line, entry: undefined, error: 'not an object' };
  const { run_id: runId, address, kind, status, workflow_id: wf, created_at: createdAt } = v;
  if (
    typeof runId !== 'string' ||
    !isSha256Hex(address) ||
    typeof kind !== 'string' ||
    typeof status !== 'string' ||
    !(RUN_STATUSES as readonly string[]).includes(status) ||
    (wf !== null && typeof wf !== 'string') ||
    typeof createdAt !== 'string'
  ) {
    return { line, entry: undefined, error: 'malformed index line' };
  }
  const entry = {
    run_id: runId,
    address,
    kind,
    status: status as RunIndexEntry['status'], // eslint-disable-line @typescript-eslint/no-unsafe-type-assertion -- checked against RUN_STATUSES above
    workflow_id: wf,
    created_at: createdAt,
  };
  return { line, entry, error: undefined };
}

async function readRunAt(cas: FileContentStore, address: string): Promise<DeepRunRead> {
  let bytes: Buffer;
  try {
    bytes = await cas.get(address);
  } catch (err) {
    if (hasCode(err, 'CAS_NOT_FOUND')) return { ok: false, code: 'CAS_NOT_FOUND' };
    if (hasCode(err, 'CAS_CORRUPT')) return { ok: false, code: 'CAS_CORRUPT' };
    throw err;
  }
  let value: unknown;
  try {
    value = parseJsonStrict(bytes.toString('utf8'));
  } catch {
    return { ok: false, code: 'MALFORMED' };
  }
  if (!isRecord(value) || typeof value['run_id'] !== 'string')
    return { ok: false, code: 'MALFORMED' };
  // The bytes matched their content address; the checks compare every field they rely on.
  const artifact = value as unknown as RunArtifact; // eslint-disable-line @typescript-eslint/no-unsafe-type-assertion
  return { ok: true, artifact, value };
}
