/**
 * The audit log's write path: group commit of appends and signed checkpoints (AUD-5, §4.2.11).
 *
 * Every append queued while a write is in flight goes out in the next single write + fdatasync,
 * and no append resolves before its bytes are durable. After a write failure nothing more is
 * accepted until the log is reopened (what reached the disk is unknown; recovery decides).
 */
import {
  ClearanceError,
  hashLeaf,
  sealAuditEvent,
  sealCheckpoint,
  toProfileTimestamp,
  type AuditCheckpoint,
  type DigestSigner,
} from '@clearance/protocol';
import type { AppendLog } from '../store/append-log.js';
import { draftEvent, type AuditEventInput, type DraftContext } from './drafts.js';
import type { AuditTree } from './proofs.js';

/** What a durable append returns. */
export interface AuditReceipt {
  readonly index: number;
  readonly event_id: string;
  /** Hex E(e) of the stored event. */
  readonly digest: string;
}

/** What the writer needs besides its files: drafting context, signer, checkpoint interval. */
export interface WriterOptions extends DraftContext {
  readonly signer: DigestSigner;
  /** Write a signed checkpoint after at least this many new events (default 1000). */
  readonly checkpointEvery?: number;
}

/** The durable state of the log, shared by the writer (which advances it) and the readers. */
export class LogState {
  constructor(
    readonly tree: AuditTree,
    /** Byte offset of each event's line in `events.jsonl`. */
    readonly offsets: number[],
    public byteLength: number,
    public lastDigest: Buffer | undefined,
    readonly eventIds: Set<string>,
    readonly checkpoints: AuditCheckpoint[],
    /** Hex E(first event) once there is one. */
    public firstDigestHex: string | undefined,
  ) {}

  /** Hex E(first event), the identity of this log (undefined while empty). */
  get logId(): string | undefined {
    return this.checkpoints[0]?.log_id ?? this.firstDigestHex;
  }
}

interface Pending {
  readonly input: AuditEventInput;
  readonly resolve: (r: AuditReceipt) => void;
  readonly reject: (e: unknown) => void;
}

const MAX_BATCH = 512;

/** Single writer of one log's two files (the home lock guarantees there is only one). */
export class AuditWriter {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: ClearanceError | undefined;
  private closed = false;
  private checkpointListener: ((checkpoint: AuditCheckpoint, line: string) => void) | undefined;

  constructor(
    private readonly options: WriterOptions,
    private readonly events: AppendLog,
    private readonly checkpointsFile: AppendLog,
    private readonly state: LogState,
  ) {}

  /** Be told of every signed checkpoint once it is durable (see AuditLog.onCheckpoint). */
  onCheckpoint(listener: (checkpoint: AuditCheckpoint, line: string) => void): void {
    this.checkpointListener = listener;
  }

  /** Append one event; resolves only once it is durable (fdatasync), with its index and digest. */
  append(input: AuditEventInput): Promise<AuditReceipt> {
    if (this.closed)
      return Promise.reject(new ClearanceError('AUDIT_CLOSED', 'audit log is closed'));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<AuditReceipt>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once the write in flight (if any) is done. */
  async idle(): Promise<void> {
    await this.flushing;
  }

  // Start the flush loop unless it runs. An append can arrive after the loop saw an empty queue but
  // before it finished, so the loop restarts itself whenever work is left when it ends.
  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Write a signed checkpoint for the current size (no-op when the last one already covers it). */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    await this.flushing;
    return this.writeCheckpoint();
  }

  // Called from inside the flush loop too, so it must not wait for the flush loop.
  private async writeCheckpoint(): Promise<AuditCheckpoint | undefined> {
    const list = this.state.checkpoints;
    const size = this.state.tree.size;
    const last = list[list.length - 1];
    if (size === 0 || last?.tree_size === size) return last;
    const logId = this.state.logId;
    if (logId === undefined) return undefined;
    const { checkpoint, line } = sealCheckpoint(
      {
        log_id: logId,
        tree_size: size,
        root_hash: this.state.tree.rootAt(size),
        timestamp: toProfileTimestamp(this.options.clock.now()),
      },
      this.options.signer,
    );
    await this.checkpointsFile.append(`${line}\n`);
    list.push(checkpoint);
    // Only after the local copy is durable; the listener must not throw or wait (witness, U1).
    this.checkpointListener?.(checkpoint, line);
    return checkpoint;
  }

  /** Flush pending appends, write a final checkpoint (clean shutdown) and close the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushing;
    if (this.failure === undefined) await this.writeCheckpoint();
    this.closed = true;
    await this.events.close();
    await this.checkpointsFile.close();
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      await this.flushBatch(batch);
      const list = this.state.checkpoints;
      const last = list[list.length - 1]?.tree_size ?? 0;
      if (
        this.failure === undefined &&
        this.state.tree.size - last >= (this.options.checkpointEvery ?? 1000)
      ) {
        await this.writeCheckpoint().catch((err: unknown) => this.fail(err));
      }
    }
  }

  private async flushBatch(batch: Pending[]): Promise<void> {
    if (this.failure !== undefined) {
      for (const p of batch) p.reject(this.failure);
      return;
    }
    const sealed: { p: Pending; line: string; digest: Buffer; eventId: string }[] = [];
    let prev = this.state.lastDigest;
    for (const p of batch) {
      try {
        const draft = draftEvent(p.input, this.options);
        const s = sealAuditEvent(draft, prev, this.options.signer);
        sealed.push({ p, line: s.line, digest: s.digest, eventId: draft.event_id });
        prev = s.digest;
      } catch (err) {
        // An invalid event is refused on its own; the chain continues from the previous one.
        p.reject(err);
      }
    }
    if (sealed.length === 0) return;
    const text = sealed.map((s) => `${s.line}\n`).join('');
    try {
      await this.events.append(text);
    } catch (err) {
      // What reached the disk is unknown: refuse every further append until reopened (recovery
      // then deals with a torn tail). Callers are told their events are not recorded.
      this.fail(err);
      for (const s of sealed) s.p.reject(this.failure);
      return;
    }
    const state = this.state;
    for (const s of sealed) {
      const index = state.tree.size;
      state.tree.append(hashLeaf(Buffer.from(s.line, 'utf8')));
      state.offsets.push(state.byteLength);
      state.byteLength += Buffer.byteLength(s.line, 'utf8') + 1;
      if (index === 0) state.firstDigestHex = s.digest.toString('hex');
      state.lastDigest = s.digest;
      state.eventIds.add(s.eventId);
      s.p.resolve({ index, event_id: s.eventId, digest: s.digest.toString('hex') });
    }
  }

  private fail(err: unknown): void {
    this.failure ??= new ClearanceError(
      'AUDIT_WRITE_FAILED',
      'audit log write failed; no further events accepted',
      {
        cause: err,
      },
    );
  }
}
