/**
 * RFC 6962 / RFC 9162 Merkle tree hashing: leaf and node hashes, tree roots, and an incremental
 * accumulator. Pure and synchronous: `node:crypto` and the package error class only.
 *
 * Proof generation and verification live in `merkle-proofs.ts` (inclusion, consistency) and
 * `merkle-subtree.ts` (subtree consistency). Every byte input is a `Uint8Array`; every hash is
 * SHA-256, so every hash input must be exactly {@link HASH_SIZE} bytes. Returned hashes are fresh
 * `Buffer`s (a `Uint8Array` subclass) that the caller owns.
 */
import * as nodeCrypto from 'node:crypto';
import { ClearanceError } from './errors.js';

/** Codes carried by {@link MerkleProofError}. */
export type MerkleErrorCode = 'MERKLE_PROOF_INVALID' | 'MERKLE_INPUT_INVALID';

/**
 * The only error this module family throws. `MERKLE_INPUT_INVALID`: an argument is malformed
 * (not a safe non-negative integer, out of range, not a 32-byte hash). `MERKLE_PROOF_INVALID`:
 * the arguments are well formed but the proof does not verify (wrong length, hashes mismatch).
 */
export class MerkleProofError extends ClearanceError {
  /** Stable code (one of the package's closed list); branch on this, never on `message`. */
  declare readonly code: MerkleErrorCode;

  /** Build an error with a stable `code` and a human-readable `message`. */
  constructor(code: MerkleErrorCode, message: string) {
    super(code, message);
    this.name = 'MerkleProofError';
  }
}

/** Size in bytes of every hash (SHA-256). */
export const HASH_SIZE = 32;

/**
 * Upper bound on the length of any proof this module accepts. Sizes are safe integers (< 2^53), so
 * a genuine proof has at most 54 hashes; anything longer is rejected before it is even inspected.
 */
export const MAX_PROOF_LENGTH = 64;

const LEAF_PREFIX = Buffer.of(0x00);
// One scratch buffer for 0x01 || left || right: hashing is synchronous, so it is never shared.
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_SIZE);
NODE_INPUT[0] = 0x01;

// crypto.hash (Node >= 20.12) is about twice as fast as createHash for 65-byte inputs; the
// fallback keeps older Node 20 releases working.
const sha256: (data: Uint8Array) => Buffer =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'buffer')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest();

// Private copy: callers may mutate the exported constant, comparisons must not see that.
const EMPTY = sha256(new Uint8Array(0));

/** MTH({}) = SHA-256 of the empty string: the root of the empty tree. Treat as read-only. */
export const EMPTY_ROOT: Uint8Array = Buffer.from(EMPTY);

/** @internal A MERKLE_INPUT_INVALID error. */
export function inputError(message: string): MerkleProofError {
  return new MerkleProofError('MERKLE_INPUT_INVALID', message);
}

/** @internal A MERKLE_PROOF_INVALID error. */
export function proofError(message: string): MerkleProofError {
  return new MerkleProofError('MERKLE_PROOF_INVALID', message);
}

/** @internal Returns `value` if it is a safe non-negative integer, else throws MERKLE_INPUT_INVALID. */
export function requireCount(value: unknown, what: string): number {
  // Rejects strings, bigints, NaN, ±Infinity, fractions and anything >= 2^53, where numbers stop
  // being exact and the halving/doubling arithmetic below would silently go wrong.
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw inputError(`${what} must be a non-negative safe integer`);
  }
  return value;
}

/** @internal Returns `value` if it is a 32-byte Uint8Array, else throws MERKLE_INPUT_INVALID. */
export function requireHash(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw inputError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
  }
  return value;
}

/**
 * @internal Returns `value` if it is a Uint8Array of any length. Used for roots on the trivial
 * paths (equal sizes, empty subtree) where a root is only compared for byte equality, never hashed;
 * RFC 9162 and the transparency-dev vectors accept such roots there. Every path that hashes or
 * recomputes a root still goes through {@link requireHash}.
 */
export function requireBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw inputError(`${what} must be a Uint8Array`);
  return value;
}

/**
 * @internal Validates an attacker-supplied proof and returns a private copy of its entries, so a
 * proxy or getter cannot show one value to validation and another to hashing.
 */
export function requireProof(value: unknown): Uint8Array[] {
  if (!Array.isArray(value)) throw inputError('proof must be an array of hashes');
  // Bound the work before touching entries: no genuine proof is this long.
  if (value.length > MAX_PROOF_LENGTH)
    throw proofError(`proof has more than ${MAX_PROOF_LENGTH} hashes`);
  const copy: Uint8Array[] = [];
  for (let i = 0; i < value.length; i++) copy.push(requireHash(value[i], `proof[${i}]`));
  return copy;
}

/** @internal Validates a list of leaf hashes (each 32 bytes) and returns it unchanged. */
export function requireLeafHashes(value: unknown): readonly Uint8Array[] {
  if (!Array.isArray(value)) throw inputError('leafHashes must be an array of hashes');
  for (let i = 0; i < value.length; i++) requireHash(value[i], `leafHashes[${i}]`);
  return value as readonly Uint8Array[];
}

/** @internal Byte equality of two arrays (hashes are public, so no constant-time need). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** @internal True when the (cached) empty-tree root equals `hash`. */
export function isEmptyRoot(hash: Uint8Array): boolean {
  return bytesEqual(hash, EMPTY);
}

/** @internal Largest power of two strictly less than `n`, for a safe integer n >= 2 (RFC 6962 k). */
export function splitPoint(n: number): number {
  let k = 1;
  // Doubling stays exact up to 2^53, so no 32-bit shift truncation can occur.
  while (k * 2 < n) k *= 2;
  return k;
}

/** @internal Node hash without argument checks; callers have validated both inputs. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_SIZE);
  return sha256(NODE_INPUT);
}

/** Leaf hash: SHA-256(0x00 || data) for arbitrary `data`. */
export function hashLeaf(data: Uint8Array): Buffer {
  if (!(data instanceof Uint8Array)) throw inputError('leaf data must be a Uint8Array');
  return sha256(Buffer.concat([LEAF_PREFIX, data]));
}

/** Interior node hash: SHA-256(0x01 || left || right); both children must be 32-byte hashes. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return nodeHash(requireHash(left, 'left'), requireHash(right, 'right'));
}

/**
 * Push one leaf onto a stack of perfect-subtree roots ("peaks") holding `size` leaves: the peaks
 * are the roots of the perfect subtrees given by the set bits of `size`, largest first. Each
 * trailing 1 bit of `size` merges one peak, so n pushes cost n - 1 node hashes in total.
 */
function pushPeak(peaks: Uint8Array[], size: number, leafHash: Uint8Array): void {
  let node = leafHash;
  for (let s = size; s % 2 === 1; s = (s - 1) / 2) {
    const left = peaks.pop();
    // Unreachable while the invariant (one peak per set bit of size) holds.
    if (left === undefined) throw inputError('internal: accumulator peaks out of sync');
    node = nodeHash(left, node);
  }
  peaks.push(node);
}

/** Fold peaks right to left: exactly RFC 6962 MTH, whose right parts split the same way. */
function foldPeaks(peaks: readonly Uint8Array[]): Buffer {
  const root = peaks.reduceRight<Uint8Array | undefined>(
    (acc, peak) => (acc === undefined ? peak : nodeHash(peak, acc)),
    undefined,
  );
  return Buffer.from(root ?? EMPTY);
}

/** @internal MTH(D[start:end]) over already-validated leaf hashes, O(end - start), no recursion. */
export function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  const peaks: Uint8Array[] = [];
  for (let i = start; i < end; i++) {
    const leaf = leafHashes[i];
    // Callers pass validated ranges; a hole here would be a bug, never a silent substitute.
    if (leaf === undefined) throw inputError(`leafHashes[${i}] is missing`);
    pushPeak(peaks, i - start, leaf);
  }
  return foldPeaks(peaks);
}

/** RFC 6962 MTH over `leafHashes` (split at the largest power of two < n); empty → EMPTY_ROOT. O(n). */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  const leaves = requireLeafHashes(leafHashes);
  return rangeRoot(leaves, 0, leaves.length);
}

/**
 * Incremental RFC 6962 root over an append-only list of leaf hashes (a compact range: one root
 * per perfect subtree). `append` is amortised O(1) hashes, `root()` is O(log n), memory O(log n).
 */
export class MerkleAccumulator {
  readonly #peaks: Uint8Array[] = [];
  #size = 0;

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Append one 32-byte leaf hash (copied, so later mutation by the caller has no effect). */
  append(leafHash: Uint8Array): void {
    const leaf = requireHash(leafHash, 'leafHash');
    // Past 2^53 - 1 leaves the size would stop being exact.
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw inputError('accumulator is full');
    pushPeak(this.#peaks, this.#size, Buffer.from(leaf));
    this.#size += 1;
  }

  /** The RFC 6962 root of all leaves appended so far (EMPTY_ROOT when none), as a fresh Buffer. */
  root(): Buffer {
    return foldPeaks(this.#peaks);
  }
}
