/**
 * The deployment's append-only, hash-chained, Ed25519-signed audit log (AUD-5, §4.2.11).
 *
 * `events.jsonl` holds one canonical AuditEvent per line; `checkpoints.jsonl` holds signed RFC 6962
 * checkpoints over those lines. Appends are group-committed: every append queued while a write is
 * in flight goes out in the next single write + fdatasync, and no append resolves before its bytes
 * are durable. On open, the whole log is re-verified (links, schema, checkpoint roots) and a torn
 * final line left by a crash is moved to `quarantine/`, truncated and recorded as an
 * `incomplete_entry` event — never silently dropped, never accepted.
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ClearanceError,
  consistencyProof,
  hashLeaf,
  isSha256Hex,
  REDACTED,
  inclusionProof,
  MerkleAccumulator,
  assertAuditEvent,
  parseJsonStrict,
  Redactor,
  sealAuditEvent,
  sealCheckpoint,
  toProfileTimestamp,
  verifyAuditLog,
  type AuditCheckpoint,
  type AuditEvent,
  type AuditEventDraft,
  type DigestSigner,
  type TrustedKeys,
} from '@clearance/protocol';
import { itemAt } from '../narrow.js';
import type { Clock, IdSource } from '../runtime.js';
import { AppendLog } from '../store/append-log.js';
import type { TornTail } from './torn-tail.js';

/** An event as callers submit it: the log fills ids, time, chain and signature. */
export type AuditEventInput = Omit<AuditEventDraft, 'event_id' | 'timestamp'> & {
  readonly event_id?: string;
  readonly timestamp?: string;
};

/** What a durable append returns. */
export interface AuditReceipt {
  readonly index: number;
  readonly event_id: string;
  /** Hex E(e) of the stored event. */
  readonly digest: string;
}

/** An RFC 6962 inclusion proof of one event in a tree of `tree_size` events. */
export interface InclusionProofResult {
  readonly leaf_index: number;
  readonly tree_size: number;
  readonly leaf_hash: string;
  readonly root_hash: string;
  readonly proof: readonly string[];
  /** The signed checkpoint of exactly this tree size, when one exists. */
  readonly checkpoint?: AuditCheckpoint;
}

/** Options of {@link AuditLog.open}. */
export interface AuditLogOptions {
  readonly dir: string;
  readonly signer: DigestSigner;
  readonly trustedKeys: TrustedKeys;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** Write a signed checkpoint after at least this many new events (default 1000). */
  readonly checkpointEvery?: number;
  readonly redactor?: Redactor;
  /**
   * Verify every signature on open (default false: only those after the last signed checkpoint;
   * earlier events are bound by its root).
   */
  readonly verifySignaturesOnOpen?: boolean;
}

interface Pending {
  readonly input: AuditEventInput;
  readonly resolve: (r: AuditReceipt) => void;
  readonly reject: (e: unknown) => void;
}

const MAX_BATCH = 512;

/** The audit log of one Clearance home. Single writer: the home lock guarantees it. */
export class AuditLog {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: ClearanceError | undefined;
  private closed = false;

  private constructor(
    private readonly options: AuditLogOptions,
    private readonly events: AppendLog,
    private readonly checkpointsFile: AppendLog,
    private readonly leaves: Buffer[],
    private readonly offsets: number[],
    private readonly accumulator: MerkleAccumulator,
    private readonly checkpointList: AuditCheckpoint[],
    private lastDigest: Buffer | undefined,
    private byteLength: number,
    private readonly eventIds: Set<string>,
  ) {}

  /** Open (creating if needed) the log in `options.dir`, verifying and recovering it first. */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    await mkdir(join(options.dir, 'quarantine'), { recursive: true, mode: 0o700 });
    const eventsPath = join(options.dir, 'events.jsonl');
    const checkpointsPath = join(options.dir, 'checkpoints.jsonl');
    const quarantineDir = join(options.dir, 'quarantine');
    const events = await AppendLog.open(eventsPath, { quarantineDir, label: 'events' });
    const checkpointFile = await AppendLog.open(checkpointsPath, {
      quarantineDir,
      label: 'checkpoints',
    }).catch(async (err: unknown) => {
      await events.log.close();
      throw err;
    });
    const tornEvents = events.torn;
    const tornCheckpoints = checkpointFile.torn;
    const logBytes = events.bytes;
    const checkpointBytes = checkpointFile.bytes;
    const result = verifyAuditLog({
      log: logBytes,
      checkpoints: checkpointBytes,
      trustedKeys: options.trustedKeys,
      // Events under the last signed checkpoint are bound by its root; every later event must
      // carry a valid signature before anything is appended on top of it.
      verifySignatures: true,
      signaturesAfterCheckpointOnly: options.verifySignaturesOnOpen !== true,
      keepState: true,
    });
    if (!result.ok || result.state === undefined) {
      const b = result.break;
      await events.log.close();
      await checkpointFile.log.close();
      // Fail closed: never append to a log that no longer verifies.
      throw new ClearanceError(
        b?.code ?? 'INTERNAL',
        `audit log does not verify at index ${b?.index ?? '?'}: ${b?.reason ?? ''}`,
        {
          detail: { index: b?.index ?? -1 },
        },
      );
    }
    const accumulator = new MerkleAccumulator();
    for (const leaf of result.state.leafHashes) accumulator.append(leaf);
    const checkpoints = [...result.state.checkpoints];
    const log = new AuditLog(
      options,
      events.log,
      checkpointFile.log,
      [...result.state.leafHashes],
      [...result.state.lineOffsets],
      accumulator,
      checkpoints,
      result.state.lastDigest,
      logBytes.length,
      new Set(result.state.eventIds),
    );
    log.firstDigestHex = result.logId;
    await log.recordRecoveries(tornEvents, tornCheckpoints);
    return log;
  }

  /** Number of durable events. */
  get size(): number {
    return this.leaves.length;
  }

  /** Hex E(first event), the identity of this log (undefined while empty). */
  get logId(): string | undefined {
    return this.checkpointList[0]?.log_id ?? this.firstDigestHex;
  }

  private firstDigestHex: string | undefined;

  /** True when a durable event carries this event_id (recovery emits missing events exactly once). */
  hasEvent(eventId: string): boolean {
    return this.eventIds.has(eventId);
  }

  private checkpointListener: ((checkpoint: AuditCheckpoint, line: string) => void) | undefined;

  /**
   * Be told of every signed checkpoint once it is durable (issue 10 U1: the witness). Called
   * synchronously from the write path: the listener queues its work and returns.
   */
  onCheckpoint(listener: (checkpoint: AuditCheckpoint, line: string) => void): void {
    this.checkpointListener = listener;
  }

  /** Signed checkpoints written so far, oldest first. */
  get checkpoints(): readonly AuditCheckpoint[] {
    return this.checkpointList;
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
    const last = this.checkpointList[this.checkpointList.length - 1];
    if (this.size === 0 || last?.tree_size === this.size) return last;
    const logId = this.logId;
    if (logId === undefined) return undefined;
    const { checkpoint, line } = sealCheckpoint(
      {
        log_id: logId,
        tree_size: this.size,
        root_hash: this.accumulator.root().toString('hex'),
        timestamp: toProfileTimestamp(this.options.clock.now()),
      },
      this.options.signer,
    );
    await this.checkpointsFile.append(`${line}\n`);
    this.checkpointList.push(checkpoint);
    // Only after the local copy is durable; the listener must not throw or wait (witness, U1).
    this.checkpointListener?.(checkpoint, line);
    return checkpoint;
  }

  /** Read events `[from, from + limit)` back from disk (as stored). */
  async read(from: number, limit: number): Promise<AuditEvent[]> {
    await this.flushing;
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(limit) || limit < 0) {
      throw new ClearanceError('VALIDATION_FAILED', 'from and limit must be non-negative integers');
    }
    const end = Math.min(this.size, from + limit);
    if (from >= end) return [];
    const start = itemAt(this.offsets, from);
    const stop = end < this.size ? itemAt(this.offsets, end) : this.byteLength;
    const buf = Buffer.alloc(stop - start);
    const handle = await open(join(this.options.dir, 'events.jsonl'), 'r');
    try {
      await handle.read(buf, 0, buf.length, start);
    } finally {
      await handle.close();
    }
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const value = parseJsonStrict(l);
        assertAuditEvent(value);
        return value;
      });
  }

  /** Inclusion proof of event `index` in the tree of the first `treeSize` events (default: all). */
  inclusionProof(index: number, treeSize: number = this.size): InclusionProofResult {
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize || treeSize > this.size) {
      throw new ClearanceError(
        'AUDIT_INDEX_OUT_OF_RANGE',
        `no event ${index} in a tree of ${treeSize}`,
      );
    }
    const leaves = treeSize === this.size ? this.leaves : this.leaves.slice(0, treeSize);
    const proof = inclusionProof(index, leaves).map((h) => Buffer.from(h).toString('hex'));
    const root = this.rootAt(treeSize);
    const cp = this.checkpointList.find((c) => c.tree_size === treeSize);
    return {
      leaf_index: index,
      tree_size: treeSize,
      leaf_hash: itemAt(this.leaves, index).toString('hex'),
      root_hash: root,
      proof,
      ...(cp === undefined ? {} : { checkpoint: cp }),
    };
  }

  /** RFC 6962 consistency proof between two tree sizes of this log. */
  consistencyProof(size1: number, size2: number): readonly string[] {
    if (
      !Number.isSafeInteger(size1) ||
      !Number.isSafeInteger(size2) ||
      size1 < 1 ||
      size1 > size2 ||
      size2 > this.size
    ) {
      throw new ClearanceError(
        'AUDIT_INDEX_OUT_OF_RANGE',
        `no consistency proof from ${size1} to ${size2}`,
      );
    }
    return consistencyProof(size1, size2, this.leaves.slice(0, size2)).map((h) =>
      Buffer.from(h).toString('hex'),
    );
  }

  /** Hex root of the first `treeSize` events. */
  rootAt(treeSize: number): string {
    if (treeSize === this.size) return this.accumulator.root().toString('hex');
    const acc = new MerkleAccumulator();
    for (let i = 0; i < treeSize; i++) acc.append(itemAt(this.leaves, i));
    return acc.root().toString('hex');
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
      const last = this.checkpointList[this.checkpointList.length - 1]?.tree_size ?? 0;
      if (
        this.failure === undefined &&
        this.size - last >= (this.options.checkpointEvery ?? 1000)
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
    let prev = this.lastDigest;
    for (const p of batch) {
      try {
        const draft = this.toDraft(p.input);
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
    for (const s of sealed) {
      const index = this.leaves.length;
      const leaf = hashLeaf(Buffer.from(s.line, 'utf8'));
      this.leaves.push(leaf);
      this.accumulator.append(leaf);
      this.offsets.push(this.byteLength);
      this.byteLength += Buffer.byteLength(s.line, 'utf8') + 1;
      if (index === 0) this.firstDigestHex = s.digest.toString('hex');
      this.lastDigest = s.digest;
      this.eventIds.add(s.eventId);
      s.p.resolve({ index, event_id: s.eventId, digest: s.digest.toString('hex') });
    }
  }

  private toDraft(input: AuditEventInput): AuditEventDraft {
    const redactor = this.options.redactor ?? defaultRedactor;
    const { event_id, timestamp, plan_token: planToken, ...rest } = input;
    return {
      ...redactor.redact(rest),
      // PlanToken.token is a public digest, not a credential: keep it (only when it is one), and
      // redact the rest of the token object like anything else.
      ...(planToken === undefined
        ? {}
        : {
            plan_token: {
              ...redactor.redact(planToken),
              token: isSha256Hex(planToken.token) ? planToken.token : REDACTED,
            },
          }),
      event_id: event_id ?? this.options.ids.uuid(),
      timestamp: timestamp ?? toProfileTimestamp(this.options.clock.now()),
    };
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

  private async recordRecoveries(...torn: (TornTail | undefined)[]): Promise<void> {
    for (const t of torn) {
      if (t === undefined) continue;
      await this.append({
        event_type: 'incomplete_entry',
        workflow_state: 'NONE',
        severity: 'warning',
        message: `torn final line of ${t.file} recovered: ${t.length} bytes at offset ${t.offset} (sha256 ${t.sha256}) moved to ${t.quarantinedAs}; it was never acknowledged`,
      });
    }
  }
}

const defaultRedactor = new Redactor();
