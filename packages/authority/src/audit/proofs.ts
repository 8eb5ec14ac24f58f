/**
 * The RFC 6962 Merkle tree over the audit log's lines (AUD-5): leaf hashes kept in memory, the
 * running root, and the inclusion and consistency proofs built from them. No I/O: the writer
 * appends a leaf once its line is durable, readers ask for proofs.
 */
import {
  ClearanceError,
  consistencyProof,
  inclusionProof,
  MerkleAccumulator,
  type AuditCheckpoint,
} from '@clearance/protocol';
import { itemAt } from '../narrow.js';

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

/** Leaf hashes of the durable events and the proofs over them. */
export class AuditTree {
  private readonly accumulator = new MerkleAccumulator();
  private readonly leaves: Buffer[] = [];

  /** A tree over `leaves` (the leaf hashes a verified log yielded). */
  constructor(leaves: readonly Buffer[]) {
    for (const leaf of leaves) this.append(leaf);
  }

  /** Number of leaves (durable events). */
  get size(): number {
    return this.leaves.length;
  }

  /** Add the leaf hash of one durable event. */
  append(leaf: Buffer): void {
    this.leaves.push(leaf);
    this.accumulator.append(leaf);
  }

  /** Hex root of the first `treeSize` events. */
  rootAt(treeSize: number): string {
    if (treeSize === this.size) return this.accumulator.root().toString('hex');
    const acc = new MerkleAccumulator();
    for (let i = 0; i < treeSize; i++) acc.append(itemAt(this.leaves, i));
    return acc.root().toString('hex');
  }

  /**
   * Inclusion proof of event `index` in the tree of the first `treeSize` events, with the signed
   * checkpoint of that size when `checkpoints` holds one.
   */
  inclusionProof(
    index: number,
    treeSize: number,
    checkpoints: readonly AuditCheckpoint[],
  ): InclusionProofResult {
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize || treeSize > this.size) {
      throw new ClearanceError(
        'AUDIT_INDEX_OUT_OF_RANGE',
        `no event ${index} in a tree of ${treeSize}`,
      );
    }
    const leaves = treeSize === this.size ? this.leaves : this.leaves.slice(0, treeSize);
    const proof = inclusionProof(index, leaves).map((h) => Buffer.from(h).toString('hex'));
    const root = this.rootAt(treeSize);
    const cp = checkpoints.find((c) => c.tree_size === treeSize);
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
}
