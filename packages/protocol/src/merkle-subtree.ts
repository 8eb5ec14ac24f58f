/**
 * Subtree consistency proofs: evidence that the leaves [start, end), whose RFC 6962 root is
 * `subtreeRoot`, sit at exactly those positions in a tree of `size` leaves whose root is `root`.
 * Same proof format as transparency-dev/merkle's subtree proofs and the subtree proofs of
 * draft-davidben-tls-merkle-tree-certs. An RFC 6962 consistency proof from size m to size n is
 * the special case [0, m) in n; `consistencyProof` in `merkle-proofs.ts` is built here.
 *
 * [start, end) is a valid subtree when start < end and start is a multiple of the smallest power
 * of two >= end - start (start = 0 always qualifies): only then is its root a node, or a prefix of
 * a node, of every larger tree, so only then can a proof exist. The empty range [i, i) is accepted
 * by verification as a degenerate case whose root must be SHA-256("").
 */
import {
  bytesEqual,
  inputError,
  isEmptyRoot,
  nodeHash,
  proofError,
  rangeRoot,
  requireCount,
  requireBytes,
  requireHash,
  requireLeafHashes,
  requireProof,
  splitPoint,
} from './merkle.js';

/** Where the subtree lies relative to the split point of the node being descended. */
type Side = 'left' | 'right' | 'straddle';

/** One level of the descent: which side the subtree is on and the range of the sibling node. */
interface Step {
  readonly side: Side;
  readonly siblingStart: number;
  readonly siblingEnd: number;
}

/** The descent from the tree root to the innermost node whose range the proof starts from. */
interface Shape {
  /** Top-down; a proof lists the matching sibling hashes bottom-up. */
  readonly steps: readonly Step[];
  /** True when the innermost node is the subtree itself, so its hash is not in the proof. */
  readonly baseKnown: boolean;
  readonly baseStart: number;
  readonly baseEnd: number;
}

/** True when [start, end) is a non-empty valid subtree (see the module comment). */
export function isValidSubtree(start: number, end: number): boolean {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || start >= end) {
    return false;
  }
  let width = 1;
  while (width < end - start) width *= 2;
  return start % width === 0;
}

/**
 * RFC 6962 §2.1.2 SUBPROOF generalised from prefixes [0, m) to valid subtrees: descend from the
 * root, taking the sibling of each node on the way. When the subtree straddles a split (only
 * possible for a subtree starting at the node's first leaf), the left child becomes part of the
 * subtree and the innermost node's hash can no longer be assumed known.
 */
function subtreeShape(start: number, end: number, size: number): Shape {
  const steps: Step[] = [];
  let lo = 0;
  let hi = size;
  let first = start;
  let known = true;
  // Invariant lo <= first < end <= hi, and hi - lo shrinks every round, so this terminates.
  while (first !== lo || end !== hi) {
    const mid = lo + splitPoint(hi - lo);
    if (end <= mid) {
      steps.push({ side: 'left', siblingStart: mid, siblingEnd: hi });
      hi = mid;
    } else if (first >= mid) {
      steps.push({ side: 'right', siblingStart: lo, siblingEnd: mid });
      lo = mid;
    } else {
      // A misaligned range would straddle with first > lo; callers reject those before we get here.
      if (first !== lo) throw inputError(`[${start}, ${end}) is not a valid subtree`);
      steps.push({ side: 'straddle', siblingStart: lo, siblingEnd: mid });
      lo = mid;
      first = mid;
      known = false;
    }
  }
  return { steps, baseKnown: known, baseStart: lo, baseEnd: hi };
}

/** @internal Subtree proof over validated leaves for a valid subtree with end <= size <= leaves. */
export function buildSubtreeProof(
  start: number,
  end: number,
  size: number,
  leafHashes: readonly Uint8Array[],
): Buffer[] {
  const shape = subtreeShape(start, end, size);
  const proof = shape.baseKnown ? [] : [rangeRoot(leafHashes, shape.baseStart, shape.baseEnd)];
  for (const step of [...shape.steps].reverse()) {
    proof.push(rangeRoot(leafHashes, step.siblingStart, step.siblingEnd));
  }
  return proof;
}

/** Validates start <= end <= size as safe non-negative integers. */
function requireRange(start: unknown, end: unknown, size: unknown): [number, number, number] {
  const s = requireCount(start, 'start');
  const e = requireCount(end, 'end');
  const n = requireCount(size, 'size');
  if (s > e) throw inputError('start must not exceed end');
  if (e > n) throw inputError('end must not exceed size');
  return [s, e, n];
}

/**
 * Subtree consistency proof for the valid subtree [start, end) of the tree formed by the first
 * `size` of `leafHashes`. The empty range yields an empty proof. O(size) hashing.
 */
export function subtreeConsistencyProof(
  start: number,
  end: number,
  size: number,
  leafHashes: readonly Uint8Array[],
): Buffer[] {
  const leaves = requireLeafHashes(leafHashes);
  const [s, e, n] = requireRange(start, end, size);
  if (n > leaves.length) throw inputError('size exceeds the number of leaf hashes');
  if (s === e) return [];
  if (!isValidSubtree(s, e)) throw inputError(`[${s}, ${e}) is not a valid subtree`);
  return buildSubtreeProof(s, e, n, leaves);
}

/** Element `i` of a list whose length the caller has already checked. */
function at(list: readonly Uint8Array[], i: number): Uint8Array {
  const item = list[i];
  // Unreachable after the exact length check; kept so a bug fails closed with a coded error.
  if (item === undefined) throw proofError('proof is too short');
  return item;
}

/** Replays a proof along `shape`, returning the recomputed subtree root and tree root. */
function rootsFromProof(
  shape: Shape,
  path: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): { sub: Uint8Array; full: Uint8Array } {
  const expected = shape.steps.length + (shape.baseKnown ? 0 : 1);
  if (path.length !== expected) {
    throw proofError(`proof has ${path.length} hashes, expected ${expected}`);
  }
  let next = 0;
  let sub = shape.baseKnown ? subtreeRoot : at(path, next++);
  let full = sub;
  for (const step of [...shape.steps].reverse()) {
    const sibling = at(path, next++);
    if (step.side === 'left') {
      full = nodeHash(full, sibling);
    } else {
      // 'right' and 'straddle' both have the sibling on the left; only a straddle is inside.
      if (step.side === 'straddle') sub = nodeHash(sibling, sub);
      full = nodeHash(sibling, full);
    }
  }
  return { sub, full };
}

/**
 * Verifies a subtree consistency proof: the valid subtree [start, end) with root `subtreeRoot` is
 * part of the tree of `size` leaves with root `root`. The empty range [i, i) (i <= size) verifies
 * iff the proof is empty and `subtreeRoot` is SHA-256(""); `root` is then irrelevant, since every
 * tree contains the empty range. Returns nothing; throws {@link MerkleProofError} on any failure.
 */
export function verifySubtreeConsistency(
  start: number,
  end: number,
  size: number,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
  root: Uint8Array,
): void {
  const [s, e, n] = requireRange(start, end, size);
  const path = requireProof(proof);
  const wholeRoot = requireBytes(root, 'root');
  // The subtree is the whole tree: its root must be the tree root and nothing needs proving.
  if (s === 0 && e === n && e > 0) {
    if (path.length !== 0) throw proofError('a subtree equal to the tree must have an empty proof');
    if (!bytesEqual(requireBytes(subtreeRoot, 'subtreeRoot'), wholeRoot))
      throw proofError('subtree root differs from tree root');
    return;
  }
  const subRoot = requireHash(subtreeRoot, 'subtreeRoot');
  if (s === e) {
    if (path.length !== 0) throw proofError('an empty subtree must have an empty proof');
    if (!isEmptyRoot(subRoot)) throw proofError('the root of an empty subtree is SHA-256("")');
    return;
  }
  if (!isValidSubtree(s, e)) throw inputError(`[${s}, ${e}) is not a valid subtree`);
  const treeRoot = requireHash(root, 'root');
  const { sub, full } = rootsFromProof(subtreeShape(s, e, n), path, subRoot);
  if (!bytesEqual(sub, subRoot)) throw proofError('proof does not match the subtree root');
  if (!bytesEqual(full, treeRoot)) throw proofError('proof does not match the tree root');
}
