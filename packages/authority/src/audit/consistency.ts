/**
 * Is this log an extension of a checkpoint trusted from elsewhere (a copy saved by an auditor, the
 * witness's latest)? Issue 10 U1: a log whose tail was cut together with the checkpoints covering
 * it still verifies on its own; only a checkpoint kept outside the home can tell. Pure: the caller
 * supplies the log's leaf hashes and the trusted keys.
 */
import {
  assertCheckpointSigned,
  ClearanceError,
  consistencyProof,
  MerkleAccumulator,
  parseCheckpointLine,
  verifyConsistency,
  type AuditCheckpoint,
  type ErrorCode,
  type TrustedKeys,
} from '@clearance/protocol';

/** Outcome of {@link checkAgainstCheckpoint}: the RFC 6962 proof when the log extends it. */
export interface ConsistencyResult {
  readonly checkpoint: AuditCheckpoint;
  readonly treeSize: number;
  readonly rootHash: string;
  /** Hex RFC 6962 consistency proof from the checkpoint's size to `treeSize`. */
  readonly proof: readonly string[];
}

/** Which codes a refusal uses: `clearance audit verify` reports, start-up refuses as a rollback. */
export interface ConsistencyCodes {
  /** The log has fewer events than the checkpoint (default AUDIT_TRUNCATED). */
  readonly smaller: ErrorCode;
  /** Different log id or prefix root (default AUDIT_INCONSISTENT). */
  readonly diverged: ErrorCode;
}

const VERIFY_CODES: ConsistencyCodes = {
  smaller: 'AUDIT_TRUNCATED',
  diverged: 'AUDIT_INCONSISTENT',
};

/**
 * Parse a trusted checkpoint file: one or more checkpoint lines as `checkpoints.jsonl` or a
 * witness's `latest.json` hold them (surrounding blank lines allowed). AUDIT_CHECKPOINT_INVALID
 * when any line is not a canonical checkpoint.
 */
export function parseTrustedCheckpoints(text: string): AuditCheckpoint[] {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length === 0)
    throw new ClearanceError('AUDIT_CHECKPOINT_INVALID', 'no checkpoint in the trusted file');
  return lines.map((l) => parseCheckpointLine(l.trim()));
}

/**
 * The parts of a log a consistency check needs: {@link AuditLog} has them, and
 * {@link treeOfLeaves} builds them from stored leaf hashes.
 */
export interface LogTree {
  readonly size: number;
  /** Hex E(first event) (undefined while empty). */
  readonly logId: string | undefined;
  /** Hex root of the first `treeSize` events. */
  rootAt(treeSize: number): string;
  /** Hex RFC 6962 consistency proof between two sizes (1 <= size1 <= size2 <= size). */
  consistencyProof(size1: number, size2: number): readonly string[];
}

/** A {@link LogTree} over leaf hashes read back from a log file. */
export function treeOfLeaves(leaves: readonly Uint8Array[], logId: string | undefined): LogTree {
  const rootAt = (n: number): string => {
    const acc = new MerkleAccumulator();
    for (let i = 0; i < n; i++) {
      const leaf = leaves[i];
      if (leaf !== undefined) acc.append(leaf);
    }
    return acc.root().toString('hex');
  };
  return {
    size: leaves.length,
    logId,
    rootAt,
    consistencyProof: (a, b) =>
      consistencyProof(a, b, leaves.slice(0, b)).map((h) => Buffer.from(h).toString('hex')),
  };
}

/**
 * Prove that `log` extends `checkpoint`: the checkpoint must be signed by a trusted key
 * (AUDIT_CHECKPOINT_INVALID), the log must be at least as large (codes.smaller), of the same log
 * id, and an RFC 6962 consistency proof from the checkpoint's signed root to the log's current
 * root must verify (codes.diverged). The proof is generated from the log and verified against the
 * signed root exactly as a remote auditor would check it.
 */
export function checkAgainstCheckpoint(
  checkpoint: AuditCheckpoint,
  log: LogTree,
  trustedKeys: TrustedKeys,
  codes: ConsistencyCodes = VERIFY_CODES,
): ConsistencyResult {
  assertCheckpointSigned(checkpoint, trustedKeys);
  const size = log.size;
  const detail = { checkpoint_size: checkpoint.tree_size, log_size: size };
  if (size < checkpoint.tree_size) {
    throw new ClearanceError(
      codes.smaller,
      `the log has ${size} events, fewer than the ${checkpoint.tree_size} of the trusted checkpoint`,
      { detail },
    );
  }
  if (log.logId !== checkpoint.log_id) {
    throw new ClearanceError(codes.diverged, 'the trusted checkpoint is of another log', {
      detail,
    });
  }
  const root = log.rootAt(size);
  const proof = log.consistencyProof(checkpoint.tree_size, size);
  try {
    verifyConsistency(
      checkpoint.tree_size,
      size,
      proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(checkpoint.root_hash, 'hex'),
      Buffer.from(root, 'hex'),
    );
  } catch (cause) {
    throw new ClearanceError(
      codes.diverged,
      `the first ${checkpoint.tree_size} events do not have the trusted checkpoint's root`,
      { cause, detail },
    );
  }
  return { checkpoint, treeSize: size, rootHash: root, proof };
}
