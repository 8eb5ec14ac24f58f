/**
 * The deployment's append-only, hash-chained, Ed25519-signed audit log (AUD-5, §4.2.11).
 *
 * `events.jsonl` holds one canonical AuditEvent per line; `checkpoints.jsonl` holds signed RFC 6962
 * checkpoints over those lines. Appends are group-committed (writer.ts): no append resolves before
 * its bytes are durable. On open, the whole log is re-verified (links, schema, checkpoint roots)
 * and a torn final line left by a crash is moved to `quarantine/`, truncated and recorded as an
 * `incomplete_entry` event (drafts.ts) — never silently dropped, never accepted. Proofs are built
 * from the in-memory tree (proofs.ts).
 */
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ClearanceError,
  assertAuditEvent,
  parseJsonStrict,
  verifyAuditLog,
  type AuditCheckpoint,
  type AuditEvent,
  type DigestSigner,
  type Redactor,
  type TrustedKeys,
} from '@clearance/protocol';
import { itemAt } from '../narrow.js';
import type { Clock, IdSource } from '../runtime.js';
import { AppendLog } from '../store/append-log.js';
import { tornTailEvent, type AuditEventInput } from './drafts.js';
import { AuditTree, type InclusionProofResult } from './proofs.js';
import { AuditWriter, LogState, type AuditReceipt } from './writer.js';

export type { AuditEventInput } from './drafts.js';
export type { InclusionProofResult } from './proofs.js';
export type { AuditReceipt } from './writer.js';

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

/** The audit log of one Clearance home. Single writer: the home lock guarantees it. */
export class AuditLog {
  private constructor(
    private readonly dir: string,
    private readonly state: LogState,
    private readonly writer: AuditWriter,
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
    const logBytes = events.bytes;
    const result = verifyAuditLog({
      log: logBytes,
      checkpoints: checkpointFile.bytes,
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
    const state = new LogState(
      new AuditTree(result.state.leafHashes),
      [...result.state.lineOffsets],
      logBytes.length,
      result.state.lastDigest,
      new Set(result.state.eventIds),
      [...result.state.checkpoints],
      result.logId,
    );
    const writer = new AuditWriter(options, events.log, checkpointFile.log, state);
    const log = new AuditLog(options.dir, state, writer);
    for (const torn of [events.torn, checkpointFile.torn]) {
      if (torn !== undefined) await log.append(tornTailEvent(torn));
    }
    return log;
  }

  /** Number of durable events. */
  get size(): number {
    return this.state.tree.size;
  }

  /** Hex E(first event), the identity of this log (undefined while empty). */
  get logId(): string | undefined {
    return this.state.logId;
  }

  /** True when a durable event carries this event_id (recovery emits missing events exactly once). */
  hasEvent(eventId: string): boolean {
    return this.state.eventIds.has(eventId);
  }

  /**
   * Be told of every signed checkpoint once it is durable (issue 10 U1: the witness). Called
   * synchronously from the write path: the listener queues its work and returns.
   */
  onCheckpoint(listener: (checkpoint: AuditCheckpoint, line: string) => void): void {
    this.writer.onCheckpoint(listener);
  }

  /** Signed checkpoints written so far, oldest first. */
  get checkpoints(): readonly AuditCheckpoint[] {
    return this.state.checkpoints;
  }

  /** Append one event; resolves only once it is durable (fdatasync), with its index and digest. */
  append(input: AuditEventInput): Promise<AuditReceipt> {
    return this.writer.append(input);
  }

  /** Write a signed checkpoint for the current size (no-op when the last one already covers it). */
  checkpoint(): Promise<AuditCheckpoint | undefined> {
    return this.writer.checkpoint();
  }

  /** Read events `[from, from + limit)` back from disk (as stored). */
  async read(from: number, limit: number): Promise<AuditEvent[]> {
    await this.writer.idle();
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(limit) || limit < 0) {
      throw new ClearanceError('VALIDATION_FAILED', 'from and limit must be non-negative integers');
    }
    const end = Math.min(this.size, from + limit);
    if (from >= end) return [];
    const start = itemAt(this.state.offsets, from);
    const stop = end < this.size ? itemAt(this.state.offsets, end) : this.state.byteLength;
    const buf = Buffer.alloc(stop - start);
    const handle = await open(join(this.dir, 'events.jsonl'), 'r');
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
    return this.state.tree.inclusionProof(index, treeSize, this.state.checkpoints);
  }

  /** RFC 6962 consistency proof between two tree sizes of this log. */
  consistencyProof(size1: number, size2: number): readonly string[] {
    return this.state.tree.consistencyProof(size1, size2);
  }

  /** Hex root of the first `treeSize` events. */
  rootAt(treeSize: number): string {
    return this.state.tree.rootAt(treeSize);
  }

  /** Flush pending appends, write a final checkpoint (clean shutdown) and close the files. */
  close(): Promise<void> {
    return this.writer.close();
  }
}
