/**
 * The one append-only log primitive of a home (issue 10, item 7): the workflow WALs, the audit log
 * (events and checkpoints) and the run index all append through it, so they share one crash
 * discipline:
 *
 * - open: a final line without its newline was never acknowledged; it is copied to quarantine
 *   (evidence), the file is truncated to its last newline and fsynced, and the caller gets a
 *   {@link TornTail} to record. A caller's `check` of the complete lines runs first, so a file
 *   that is corrupt is refused untouched (forensics);
 * - create: the new file and its folder entry are fsynced (a create survives a crash);
 * - append: appends queued while a write is in flight go out together in one write + fdatasync
 *   (group commit), and none resolves before its bytes are durable. After a failed write nothing
 *   more is accepted: what reached the disk is unknown until the file is reopened and recovered.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import { recoverTornTail, type TornTail } from '../audit/torn-tail.js';
import { fsyncDir, isErrno } from '../fs-util.js';

/** How an append-only file is opened. */
export interface AppendLogOptions {
  /** Where a torn tail is kept (must exist). */
  readonly quarantineDir: string;
  /** Prefix of quarantined tails (`wal`, `events`, `runs-index`…). */
  readonly label: string;
  /**
   * Called once the bytes of a batch are written and before they are fdatasynced: a crash there
   * must leave at most a torn tail (crash injection, WAL-9).
   */
  readonly beforeSync?: () => void;
}

/** An opened log: the writer, the complete lines read, and what was cut off. */
export interface OpenedAppendLog {
  readonly log: AppendLog;
  /** The file's bytes up to and including its last newline. */
  readonly bytes: Buffer;
  readonly torn: TornTail | undefined;
}

interface Waiter {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** An append-only, newline-terminated file with group-committed, durable appends. */
export class AppendLog {
  private readonly queue: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  private failure: unknown;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly options: AppendLogOptions,
    private size: number,
  ) {}

  /**
   * Open `path` for appending, creating it (and fsyncing its folder) when missing. `check` sees the
   * complete lines before anything is repaired; when it throws, the file is left as it is.
   */
  static async open(
    path: string,
    options: AppendLogOptions,
    check?: (complete: Buffer) => void,
  ): Promise<OpenedAppendLog> {
    let bytes: Buffer | undefined;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    if (bytes === undefined) {
      const log = await AppendLog.create(path, options);
      try {
        check?.(Buffer.alloc(0));
      } catch (err) {
        await log.close();
        throw err;
      }
      return { log, bytes: Buffer.alloc(0), torn: undefined };
    }
    const end = bytes.lastIndexOf(0x0a) + 1;
    const complete = bytes.subarray(0, end);
    check?.(complete);
    const torn =
      end < bytes.length
        ? await recoverTornTail(path, options.quarantineDir, options.label)
        : undefined;
    const handle = await open(path, 'a', 0o600);
    return { log: new AppendLog(handle, path, options, complete.length), bytes: complete, torn };
  }

  /** Create a new, empty log (fails if one exists); the folder entry is made durable. */
  static async create(path: string, options: AppendLogOptions): Promise<AppendLog> {
    const handle = await open(path, 'wx', 0o600);
    try {
      await Promise.all([handle.sync(), fsyncDir(dirname(path))]);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return new AppendLog(handle, path, options, 0);
  }

  /** Bytes in the file (complete lines only). */
  get byteLength(): number {
    return this.size;
  }

  /**
   * Append `text` (one or more complete lines, each ending in a newline); resolves once durable.
   * Concurrent appends are written in call order.
   */
  append(text: string): Promise<void> {
    if (!text.endsWith('\n')) {
      return Promise.reject(new ClearanceError('INTERNAL', 'append-log text must end a line'));
    }
    if (this.closed) {
      return Promise.reject(new ClearanceError('INTERNAL', `${this.path} is closed`));
    }
    if (this.failure !== undefined) return Promise.reject(this.failed());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.kick();
    });
  }

  /** Wait for pending appends, then close the file. */
  async close(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    this.closed = true;
    await this.handle.close();
  }

  // An append can arrive after the loop saw an empty queue but before it ended: restart then.
  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  // Drains the queue; every waiter is settled inside, so this never rejects.
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      if (this.failure !== undefined) {
        for (const w of batch) w.reject(this.failed());
        continue;
      }
      const data = Buffer.from(batch.map((w) => w.text).join(''), 'utf8');
      try {
        await this.handle.appendFile(data);
        this.options.beforeSync?.();
        await this.handle.datasync();
      } catch (err) {
        this.failure = err;
        for (const w of batch) w.reject(this.failed());
        continue;
      }
      this.size += data.length;
      for (const w of batch) w.resolve();
    }
  }

  private failed(): ClearanceError {
    return new ClearanceError(
      'INTERNAL',
      `write to ${this.path} failed; nothing more is appended until it is reopened`,
      { cause: this.failure },
    );
  }
}
