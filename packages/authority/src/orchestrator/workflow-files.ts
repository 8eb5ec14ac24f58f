/**
 * The files of one workflow under `$CLEARANCE_HOME/workflows/<id>/`:
 *
 *   wal.jsonl      the write-ahead log (source of truth)
 *   state.json     the WorkflowStateRecord snapshot, rewritten atomically after each entry
 *   quarantine/    torn WAL tails, kept as evidence
 *
 * The snapshot is derived data: it is rebuilt from the WAL whenever it is behind, and a snapshot
 * ahead of the WAL is corruption.
 */
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertValid,
  canonicalize,
  ClearanceError,
  type TypedWALEntry,
  type WALDataMap,
  type WALEntryType,
} from '@clearance/protocol';
import type { Clock } from '../runtime.js';
import type { TornTail } from '../audit/torn-tail.js';
import { fsyncDir, isErrno } from '../fs-util.js';
import { reduce, toStateRecord, type WorkflowView } from '../workflow/reducer.js';
import { sealWalEntry, WalWriter, type WalWriterHooks } from '../workflow/wal.js';
import type { WalSeal } from '../workflow/wal-key.js';

const ID_RE = /^wf-[0-9a-f]{32}$/;

/** True for a well-formed workflow id (the only names ever used as folder names). */
export function isWorkflowId(id: string): boolean {
  return ID_RE.test(id);
}

/** An open workflow: its WAL writer and its current view. */
export class WorkflowFiles {
  private constructor(
    readonly id: string,
    readonly dir: string,
    private readonly wal: WalWriter,
    private current: WorkflowView,
    private readonly entries: TypedWALEntry[],
    private readonly seal: WalSeal,
  ) {}

  get view(): WorkflowView {
    return this.current;
  }

  /** All entries so far. */
  get log(): readonly TypedWALEntry[] {
    return this.entries;
  }

  /** Create the folder and the first entry (`workflow_started`). */
  static async create(
    root: string,
    id: string,
    clock: Clock,
    seal: WalSeal,
    also: readonly { readonly type: WALEntryType; readonly data: WALDataMap[WALEntryType] }[] = [],
    hooks: WalWriterHooks = {},
  ): Promise<WorkflowFiles> {
    if (!isWorkflowId(id)) throw new ClearanceError('INTERNAL', `bad workflow id ${id}`);
    const dir = join(root, id);
    await mkdir(join(dir, 'quarantine'), { recursive: true, mode: 0o700 });
    const wal = await WalWriter.create(join(dir, 'wal.jsonl'), id, clock, seal, hooks);
    // The first entries (workflow_started and what the proposal recorded) share one fsync, so a
    // workflow never exists without its request.
    // The new folder and file must survive a crash as well as the entries written into them.
    const [written] = await Promise.all([
      wal.appendMany([
        { type: 'workflow_started', data: { plan_token_hash: '', initial_state: 'INIT' } },
        ...also,
      ]),
      fsyncDir(dir),
      fsyncDir(root),
    ]);
    const files = new WorkflowFiles(id, dir, wal, reduce(written), written, seal);
    await files.writeSnapshot();
    return files;
  }

  /** Open an existing workflow: recover a torn tail, replay, repair a stale snapshot. */
  static async open(
    root: string,
    id: string,
    clock: Clock,
    seal: WalSeal,
    hooks: WalWriterHooks = {},
  ): Promise<{ files: WorkflowFiles; torn: TornTail | undefined }> {
    const dir = join(root, id);
    const { writer, entries, torn } = await WalWriter.open(
      join(dir, 'wal.jsonl'),
      join(dir, 'quarantine'),
      id,
      clock,
      seal,
      hooks,
    );
    let view: WorkflowView;
    try {
      view = reduce(entries);
    } catch (err) {
      // A WAL that does not replay (e.g. empty after a crash inside create) halts its workflow;
      // its file handle must not be left to the garbage collector.
      await writer.close();
      throw err;
    }
    const files = new WorkflowFiles(id, dir, writer, view, [...entries], seal);
    await files.writeSnapshot();
    return { files, torn };
  }

  /** Append an entry (fsynced), update the view, then the snapshot. */
  async append<K extends WALEntryType>(
    type: K,
    data: WALDataMap[K],
  ): Promise<{ entry: TypedWALEntry; before: WorkflowView; view: WorkflowView }> {
    const [written] = await this.appendMany([{ type, data }]);
    if (written === undefined) throw new ClearanceError('INTERNAL', 'WAL append wrote nothing');
    return written;
  }

  /** Append several entries with one fsync; returns each entry with the view before and after it. */
  async appendMany(
    items: readonly { readonly type: WALEntryType; readonly data: WALDataMap[WALEntryType] }[],
  ): Promise<{ entry: TypedWALEntry; before: WorkflowView; view: WorkflowView }[]> {
    const trial = [...this.entries];
    for (const [i, item] of items.entries()) {
      trial.push(
        sealWalEntry(
          this.wal.length + i,
          this.current.updated_at,
          this.id,
          item.type,
          item.data,
          this.seal,
        ),
      );
    }
    reduce(trial); // refuse the whole batch if replay would refuse any entry
    const written = await this.wal.appendMany(items);
    const out: { entry: TypedWALEntry; before: WorkflowView; view: WorkflowView }[] = [];
    for (const entry of written) {
      const before = this.current;
      this.entries.push(entry);
      this.current = reduce(this.entries);
      out.push({ entry, before, view: this.current });
    }
    this.dirty = true;
    return out;
  }

  private dirty = false;

  /** Write the snapshot if entries were appended since the last one (derived data, no fsync). */
  async snapshot(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    await this.writeSnapshot();
  }

  private async writeSnapshot(): Promise<void> {
    const record = toStateRecord(this.current);
    assertValid('WorkflowStateRecord', record);
    const path = join(this.dir, 'state.json');
    const temp = `${path}.tmp`;
    await writeFile(temp, `${canonicalize(record)}\n`, { mode: 0o600 });
    await rename(temp, path);
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}

/** Ids of every workflow folder under `root` (ignores anything not shaped like an id). */
export async function listWorkflowIds(root: string): Promise<string[]> {
  try {
    return (await readdir(root)).filter(isWorkflowId).sort();
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}
