/**
 * Offline verification of a whole audit log and its signed checkpoints: everything an auditor needs
 * is the two files and the trusted public key(s). Pure: bytes in, report out.
 */
import { ClearanceError } from '../errors.js';
import type { TrustedKeys } from '../signing.js';
import { AuditChainVerifier, type AuditBreak } from './chain.js';
import { assertCheckpointSigned, parseCheckpointLine, type AuditCheckpoint } from './checkpoint.js';

/** Input of {@link verifyAuditLog}. */
export interface AuditLogInput {
  /** Raw bytes of the event log (one canonical JSON event per line, each ending in \n). */
  readonly log: Uint8Array;
  /** Raw bytes of the checkpoint file (same line discipline); empty or absent means none. */
  readonly checkpoints?: Uint8Array;
  readonly trustedKeys: TrustedKeys;
  /** Check every per-event signature (default true). */
  readonly verifySignatures?: boolean;
  /**
   * Check signatures only of events not covered by a verified checkpoint (a writer reopening its
   * own log: the signed checkpoint root already binds every earlier event).
   */
  readonly signaturesAfterCheckpointOnly?: boolean;
  /** Return the leaf hashes and last digest of the verified prefix (for a log writer reopening). */
  readonly keepState?: boolean;
}

/** State of the verified prefix, returned when `keepState` is set. */
export interface VerifiedLogState {
  readonly leafHashes: readonly Buffer[];
  /** Byte offset of each verified line in the log. */
  readonly lineOffsets: readonly number[];
  /** Event id of each verified event, in order. */
  readonly eventIds: readonly string[];
  readonly lastDigest: Buffer | undefined;
  /** The signed checkpoints, all verified against the log. */
  readonly checkpoints: readonly AuditCheckpoint[];
}

/** Outcome of verifying a log. `ok` is true only when nothing at all is wrong. */
export interface AuditVerification {
  readonly ok: boolean;
  /** Events that passed every check (all of them when ok). */
  readonly verifiedEvents: number;
  /** Checkpoints that passed every check. */
  readonly verifiedCheckpoints: number;
  /** Largest tree size covered by a verified checkpoint (0 when none). */
  readonly checkpointedSize: number;
  /** Hex RFC 6962 root over the verified events. */
  readonly rootHash: string;
  /** Hex E(first event), the log's identity. */
  readonly logId: string | undefined;
  readonly signaturesChecked: boolean;
  readonly break: AuditBreak | undefined;
  readonly state?: VerifiedLogState;
}

const NEWLINE = 0x0a;

/** Split stored bytes into complete lines; `tail` holds bytes after the last newline (a torn line). */
export function splitLines(bytes: Uint8Array): { lines: Uint8Array[]; tail: Uint8Array } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  return { lines, tail: buf.subarray(start) };
}

function parseCheckpoints(
  bytes: Uint8Array | undefined,
  trustedKeys: TrustedKeys,
): AuditCheckpoint[] {
  if (bytes === undefined || bytes.length === 0) return [];
  const { lines, tail } = splitLines(bytes);
  if (tail.length > 0)
    throw new ClearanceError('AUDIT_CHECKPOINT_INVALID', 'checkpoint file ends with a torn line');
  const out: AuditCheckpoint[] = [];
  for (const [i, raw] of lines.entries()) {
    const cp = parseCheckpointLine(Buffer.from(raw).toString('utf8'));
    assertCheckpointSigned(cp, trustedKeys);
    const prev = out[out.length - 1];
    if (prev !== undefined && (cp.tree_size <= prev.tree_size || cp.log_id !== prev.log_id)) {
      throw new ClearanceError(
        'AUDIT_CHECKPOINT_INVALID',
        `checkpoint ${i} does not extend checkpoint ${i - 1}`,
      );
    }
    out.push(cp);
  }
  return out;
}

/**
 * Verify every event link and signature, the tail, and every checkpoint. The reported break is the
 * lowest event index at which the log can no longer be trusted:
 * - an event failing a check → that event's index;
 * - a checkpoint covering more events than verified → AUDIT_TRUNCATED at the first missing index;
 * - a checkpoint whose root differs → the first index after the previous matching checkpoint;
 * - a final line without newline → AUDIT_TORN_TAIL at its index (a crash mid-append; never accepted).
 */
export function verifyAuditLog(input: AuditLogInput): AuditVerification {
  let checkpoints: AuditCheckpoint[];
  let checkpointError: ClearanceError | undefined;
  try {
    checkpoints = parseCheckpoints(input.checkpoints, input.trustedKeys);
  } catch (err) {
    checkpoints = [];
    checkpointError =
      err instanceof ClearanceError ? err : new ClearanceError('INTERNAL', 'checkpoint error');
  }
  // Skipping signatures below the last checkpoint is safe only because that checkpoint's signed
  // root is compared below: the result is ok only if it binds every skipped event.
  const signaturesFrom =
    input.signaturesAfterCheckpointOnly === true ? (checkpoints.at(-1)?.tree_size ?? 0) : 0;
  const verifier = new AuditChainVerifier({
    trustedKeys: input.trustedKeys,
    ...(input.verifySignatures === undefined ? {} : { verifySignatures: input.verifySignatures }),
    verifySignaturesFrom: signaturesFrom,
    keepLeafHashes: input.keepState === true,
  });
  const lineOffsets: number[] = [];
  const wanted = new Map(checkpoints.map((c) => [c.tree_size, c]));
  const rootsAt = new Map<number, string>();
  const { lines, tail } = splitLines(input.log);
  let offset = 0;
  for (const line of lines) {
    if (verifier.push(line) !== undefined) break;
    lineOffsets.push(offset);
    offset += line.length + 1;
    if (wanted.has(verifier.count)) rootsAt.set(verifier.count, verifier.root().toString('hex'));
  }
  const verifiedEvents = verifier.count;
  let brk = verifier.break;
  let verifiedCheckpoints = 0;
  let checkpointedSize = 0;
  for (const cp of checkpoints) {
    if (brk !== undefined) break;
    if (cp.tree_size > verifiedEvents) {
      const torn = tail.length > 0 ? ' (the last line is torn)' : '';
      brk = verifier.fail(
        'AUDIT_TRUNCATED',
        `signed checkpoint covers ${cp.tree_size} events but only ${verifiedEvents} are present${torn}`,
      );
    } else if (rootsAt.get(cp.tree_size) !== cp.root_hash || cp.log_id !== verifier.logId) {
      brk = {
        index: checkpointedSize,
        code: 'AUDIT_CHECKPOINT_INVALID',
        reason: `events ${checkpointedSize}..${cp.tree_size - 1} do not match the signed checkpoint of size ${cp.tree_size}`,
      };
    } else {
      verifiedCheckpoints++;
      checkpointedSize = cp.tree_size;
    }
  }
  if (brk === undefined && checkpointError !== undefined) {
    brk = { index: verifiedEvents, code: checkpointError.code, reason: checkpointError.message };
  }
  if (brk === undefined && tail.length > 0) {
    brk = verifier.fail(
      'AUDIT_TORN_TAIL',
      `log ends with a torn line of ${tail.length} bytes (crash mid-append)`,
    );
  }
  return {
    ok: brk === undefined,
    verifiedEvents,
    verifiedCheckpoints,
    checkpointedSize,
    rootHash: verifier.root().toString('hex'),
    logId: verifier.logId,
    signaturesChecked: input.verifySignatures !== false,
    break: brk,
    ...(input.keepState === true
      ? {
          state: {
            leafHashes: verifier.leafHashes(),
            lineOffsets,
            eventIds: verifier.eventIds(),
            lastDigest: verifier.lastDigest,
            checkpoints,
          },
        }
      : {}),
  };
}
