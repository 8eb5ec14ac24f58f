/**
 * RFC 6962 / RFC 9162 inclusion and consistency proofs: generation (for the log writer, O(n) over
 * the leaf hashes) and verification (for anyone, O(log n), all inputs treated as hostile).
 *
 * Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 step by step. Positions are safe integers
 * and every "right-shift" / "LSB" is done with exact division, never with 32-bit bit operators.
 */
import {
  bytesEqual,
  inputError,
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
import { buildSubtreeProof, isValidSubtree } from './merkle-subtree.js';

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function isPowerOfTwo(x: number): boolean {
  let p = 1;
  while (p < x) p *= 2;
  return p === x;
}

/** RFC 6962 §2.1.1 PATH(index, D[lo:hi]), iteratively: siblings top-down, returned bottom-up. */
function inclusionPath(
  leaves: readonly Uint8Array[],
  lo: number,
  hi: number,
  index: number,
): Buffer[] {
  const siblings: Buffer[] = [];
  let start = lo;
  let end = hi;
  while (end - start > 1) {
    const mid = start + splitPoint(end - start);
    if (index < mid) {
      siblings.push(rangeRoot(leaves, mid, end));
      end = mid;
    } else {
      siblings.push(rangeRoot(leaves, start, mid));
      start = mid;
    }
  }
  return siblings.reverse();
}

/** Inclusion proof (audit path) of leaf `index` in the tree of all `leafHashes`. O(n) hashing. */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Buffer[] {
  const leaves = requireLeafHashes(leafHashes);
  const i = requireCount(index, 'index');
  if (i >= leaves.length) throw inputError('index must be less than the number of leaves');
  return inclusionPath(leaves, 0, leaves.length, i);
}

/**
 * Inclusion proof of leaf `index` in the valid subtree [start, end) of `leafHashes`: the audit
 * path of leaf index - start in the tree D[start:end].
 */
export function subtreeInclusionProof(
  index: number,
  start: number,
  end: number,
  leafHashes: readonly Uint8Array[],
): Buffer[] {
  const leaves = requireLeafHashes(leafHashes);
  const [i, s, e] = [
    requireCount(index, 'index'),
    requireCount(start, 'start'),
    requireCount(end, 'end'),
  ];
  if (!isValidSubtree(s, e)) throw inputError(`[${s}, ${e}) is not a valid subtree`);
  if (i < s || i >= e) throw inputError('index must lie in [start, end)');
  if (e > leaves.length) throw inputError('end exceeds the number of leaf hashes');
  return inclusionPath(leaves, s, e, i);
}

/**
 * Consistency proof from the tree of the first `size1` leaves to the tree of the first `size2`
 * (RFC 6962 §2.1.2 PROOF(m, D[n])). Requires 1 <= size1 <= size2 <= leafHashes.length; equal sizes
 * give an empty proof. O(size2) hashing.
 */
export function consistencyProof(
  size1: number,
  size2: number,
  leafHashes: readonly Uint8Array[],
): Buffer[] {
  const leaves = requireLeafHashes(leafHashes);
  const [m, n] = [requireCount(size1, 'size1'), requireCount(size2, 'size2')];
  // A proof from the empty tree proves nothing (RFC 9162 defines none), so refuse to make one.
  if (m === 0) throw inputError('size1 must be at least 1');
  if (m > n) throw inputError('size1 must not exceed size2');
  if (n > leaves.length) throw inputError('size2 exceeds the number of leaf hashes');
  return buildSubtreeProof(0, m, n, leaves);
}

/** RFC 9162 §2.1.3.2 steps 2-5: the root implied by `path`, or a throw if its length is wrong. */
function rootFromInclusionPath(
  index: number,
  size: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
): Uint8Array {
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) throw proofError('inclusion proof is too long');
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (fn !== 0 && !isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw proofError('inclusion proof is too short');
  return r;
}

/**
 * Verifies that `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves with root `root`
 * (RFC 9162 §2.1.3.2). Returns nothing; throws {@link MerkleProofError} on any failure.
 */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const index = requireCount(leafIndex, 'leafIndex');
  const size = requireCount(treeSize, 'treeSize');
  const leaf = requireHash(leafHash, 'leafHash');
  const expected = requireHash(root, 'root');
  const path = requireProof(proof);
  // Step 1; also covers treeSize 0, where no leaf exists.
  if (index >= size) throw inputError('leafIndex must be less than treeSize');
  if (!bytesEqual(rootFromInclusionPath(index, size, leaf, path), expected)) {
    throw proofError('inclusion proof does not match the root');
  }
}

/**
 * Verifies that `leafHash` is leaf `leafIndex` (an absolute index, start <= leafIndex < end) of
 * the valid subtree [start, end) whose root is `subtreeRoot`. Throws {@link MerkleProofError}.
 */
export function verifySubtreeInclusion(
  leafIndex: number,
  start: number,
  end: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  subtreeRoot: Uint8Array,
): void {
  const [i, s, e] = [
    requireCount(leafIndex, 'leafIndex'),
    requireCount(start, 'start'),
    requireCount(end, 'end'),
  ];
  if (!isValidSubtree(s, e)) throw inputError(`[${s}, ${e}) is not a valid subtree`);
  if (i < s || i >= e) throw inputError('leafIndex must lie in [start, end)');
  verifyInclusion(i - s, e - s, leafHash, proof, subtreeRoot);
}

/** RFC 9162 §2.1.4.2 steps 1-6 for 0 < first < second: the recomputed (first, second) roots. */
function rootsFromConsistencyPath(
  first: number,
  second: number,
  firstHash: Uint8Array,
  path: readonly Uint8Array[],
): { fr: Uint8Array; sr: Uint8Array } {
  const head = path[0];
  // Step 1: with first < second an empty proof proves nothing.
  if (head === undefined) throw proofError('consistency proof is empty');
  // Step 2: when first is a power of two its root is the seed and is not repeated in the proof.
  const prepend = isPowerOfTwo(first);
  let fr = prepend ? firstHash : head;
  let sr = fr;
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
  for (const c of prepend ? path : path.slice(1)) {
    if (sn === 0) throw proofError('consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn !== 0 && !isOdd(fn)) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw proofError('consistency proof is too short');
  return { fr, sr };
}

/**
 * Verifies that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
 * leaves with root `root2` (RFC 9162 §2.1.4.2). Requires 1 <= size1 <= size2; equal sizes need an
 * empty proof and equal roots. Returns nothing; throws {@link MerkleProofError} on any failure.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const first = requireCount(size1, 'size1');
  const second = requireCount(size2, 'size2');
  const path = requireProof(proof);
  if (first > second) throw inputError('size1 must not exceed size2');
  // Every tree extends the empty tree, so a proof from size 0 is meaningless: refuse it.
  if (first === 0) throw inputError('size1 must be at least 1');
  if (first === second) {
    if (path.length !== 0) throw proofError('equal sizes need an empty consistency proof');
    if (!bytesEqual(requireBytes(root1, 'root1'), requireBytes(root2, 'root2'))) {
      throw proofError('equal sizes but different roots');
    }
    return;
  }
  const firstRoot = requireHash(root1, 'root1');
  const secondRoot = requireHash(root2, 'root2');
  const { fr, sr } = rootsFromConsistencyPath(first, second, firstRoot, path);
  if (!bytesEqual(fr, firstRoot)) throw proofError('consistency proof does not match root1');
  if (!bytesEqual(sr, secondRoot)) throw proofError('consistency proof does not match root2');
}
