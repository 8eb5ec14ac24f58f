/**
 * Merkle module tests: every transparency-dev/merkle vector (fixtures/merkle, vendored byte-exact),
 * golden RFC 6962 values, exhaustive round trips for small trees against a spec-literal reference,
 * and hostile-input checks.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  hashChildren,
  hashLeaf,
  MAX_PROOF_LENGTH,
  MerkleAccumulator,
  MerkleProofError,
  merkleRoot,
  type MerkleErrorCode,
} from '../src/merkle.js';
import {
  consistencyProof,
  inclusionProof,
  subtreeInclusionProof,
  verifyConsistency,
  verifyInclusion,
  verifySubtreeInclusion,
} from '../src/merkle-proofs.js';
import {
  isValidSubtree,
  subtreeConsistencyProof,
  verifySubtreeConsistency,
} from '../src/merkle-subtree.js';

// ---------------------------------------------------------------------------------------------
// Helpers and a spec-literal RFC 6962 reference (recursive, slicing; only for small trees).
// ---------------------------------------------------------------------------------------------

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const sha256 = (b: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(b).digest());
const hexes = (list: readonly Uint8Array[]): string[] => list.map(hex);

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('test bug: missing value');
  return value;
}

function caught(fn: () => void): unknown {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err;
  }
}

/** Asserts that `fn` throws a MerkleProofError (with `code`, when given). */
function expectMerkleError(fn: () => void, code?: MerkleErrorCode): void {
  const err = caught(fn);
  expect(err).toBeInstanceOf(MerkleProofError);
  if (code !== undefined) expect((err as MerkleProofError).code).toBe(code);
}

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(b);
  copy[bit >> 3] = must(copy[bit >> 3]) ^ (1 << (bit & 7));
  return copy;
}

function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function refRoot(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return must(d[0]);
  const k = largestPow2Below(d.length);
  return hashChildren(refRoot(d.slice(0, k)), refRoot(d.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]). */
function refPath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = largestPow2Below(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refRoot(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refRoot(d.slice(0, k))];
}

/** RFC 6962 §2.1.2 SUBPROOF(m, D[n], b). */
function refSubproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refRoot(d)];
  const k = largestPow2Below(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refRoot(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refRoot(d.slice(0, k))];
}

/** Leaves hashLeaf([i]) for i < n (n <= 256). */
const byteLeaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => hashLeaf(Uint8Array.of(i)));

/** Leaves hashLeaf(u32be(i)) for i < n, distinct for any n. */
function wideLeaves(n: number): Uint8Array[] {
  const data = Buffer.alloc(4);
  return Array.from({ length: n }, (_, i) => {
    data.writeUInt32BE(i);
    return hashLeaf(data);
  });
}

// ---------------------------------------------------------------------------------------------
// transparency-dev/merkle vectors
// ---------------------------------------------------------------------------------------------

const FIXTURES = fileURLToPath(new URL('./fixtures/merkle/', import.meta.url));
const KINDS = ['inclusion', 'consistency', 'subtreeinclusion', 'subtreeconsistency'] as const;
type Kind = (typeof KINDS)[number];

interface Vector {
  readonly desc: string;
  readonly wantErr: boolean;
  readonly proof: readonly string[] | null;
  readonly [field: string]: unknown;
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? listJson(join(dir, e.name))
        : e.name.endsWith('.json')
          ? [join(dir, e.name)]
          : [],
    )
    .sort();
}

/** Strict standard base64 (Buffer alone would skip invalid characters silently). */
function b64(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new Error(`test bug: not a string: ${String(value)}`);
  const bytes = Buffer.from(value, 'base64');
  expect(bytes.toString('base64')).toBe(value);
  return new Uint8Array(bytes);
}

const num = (v: Vector, field: string): number => v[field] as number;

/**
 * Vectors whose `wantErr: false` relies on upstream accepting hashes that are not 32 bytes long
 * (Go's verifier never checks root lengths on its trivial paths). This module insists on 32-byte
 * hashes everywhere, so these four throw MERKLE_INPUT_INVALID instead; the test then re-runs each
 * with every odd-length hash replaced by its SHA-256 (equal stays equal, distinct stays distinct)
 * and requires success, which pins that the proof logic itself agrees with upstream.
 */
// Every vector must agree with upstream; none is special-cased.
const STRICTER_THAN_UPSTREAM = new Set<string>([]);

function runVector(kind: Kind, v: Vector, fix: (h: Uint8Array) => Uint8Array): void {
  const h = (field: string): Uint8Array => fix(b64(v[field]));
  const proof = (v.proof ?? []).map((p) => fix(b64(p)));
  switch (kind) {
    case 'inclusion':
      return verifyInclusion(
        num(v, 'leafIdx'),
        num(v, 'treeSize'),
        h('leafHash'),
        proof,
        h('root'),
      );
    case 'consistency':
      return verifyConsistency(num(v, 'size1'), num(v, 'size2'), proof, h('root1'), h('root2'));
    case 'subtreeinclusion':
      return verifySubtreeInclusion(
        num(v, 'leafIdx'),
        num(v, 'start'),
        num(v, 'end'),
        h('leafHash'),
        proof,
        h('root'),
      );
    case 'subtreeconsistency':
      return verifySubtreeConsistency(
        num(v, 'start'),
        num(v, 'end'),
        num(v, 'size'),
        proof,
        h('root1'),
        h('root2'),
      );
  }
}

const toHashSize = (b: Uint8Array): Uint8Array => (b.length === 32 ? b : sha256(b));

describe('transparency-dev/merkle vectors', () => {
  const files = listJson(FIXTURES);
  let ran = 0;

  it('vendors the 518 vector files with LICENSE and SOURCE.md', () => {
    expect(files).toHaveLength(518);
    expect(readdirSync(FIXTURES).sort()).toEqual(['LICENSE', 'SOURCE.md', ...KINDS].sort());
  });

  for (const file of files) {
    const rel = relative(FIXTURES, file).split(sep).join('/');
    const kind = rel.split('/')[0] as Kind;
    const v = JSON.parse(readFileSync(file, 'utf8')) as Vector;
    it(`${rel}: ${v.desc}`, () => {
      ran++;
      expect(KINDS).toContain(kind);
      // JSON numbers past 2^53 lose precision; they are only ever in must-fail vectors.
      for (const f of ['leafIdx', 'treeSize', 'size1', 'size2', 'start', 'end', 'size']) {
        if (f in v && !Number.isSafeInteger(v[f])) expect(v.wantErr).toBe(true);
      }
      const err = caught(() => runVector(kind, v, (b) => b));
      if (STRICTER_THAN_UPSTREAM.has(rel)) {
        expect(v.wantErr).toBe(false);
        expect(err).toBeInstanceOf(MerkleProofError);
        expect((err as MerkleProofError).code).toBe('MERKLE_INPUT_INVALID');
        expect(caught(() => runVector(kind, v, toHashSize))).toBeUndefined();
      } else if (v.wantErr) {
        expect(err).toBeInstanceOf(MerkleProofError);
        expect(['MERKLE_INPUT_INVALID', 'MERKLE_PROOF_INVALID']).toContain(
          (err as MerkleProofError).code,
        );
      } else {
        expect(err).toBeUndefined();
      }
    });
  }

  it('ran every vector file exactly once', () => {
    expect(ran).toBe(518);
  });
});

// ---------------------------------------------------------------------------------------------
// Hashing and roots
// ---------------------------------------------------------------------------------------------

/** The RFC 6962 reference tree (certificate-transparency test data) and its roots for n = 1..8. */
const REF_DATA = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const REF_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('hashing and roots', () => {
  const refLeaves = REF_DATA.map((d) => hashLeaf(unhex(d)));

  it('uses the RFC 6962 leaf, node and empty-tree hashes', () => {
    expect(hex(EMPTY_ROOT)).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(merkleRoot([]))).toBe(hex(EMPTY_ROOT));
    expect(hex(hashLeaf(new Uint8Array(0)))).toBe(REF_ROOTS[0]);
    expect(hex(hashChildren(must(refLeaves[0]), must(refLeaves[1])))).toBe(REF_ROOTS[1]);
    // Domain separation: a leaf over (l || r) never equals the node over (l, r).
    const l = must(refLeaves[0]);
    const r = must(refLeaves[1]);
    expect(hex(hashLeaf(Buffer.concat([l, r])))).not.toBe(hex(hashChildren(l, r)));
  });

  it('computes the roots of the RFC 6962 reference tree for n = 1..8', () => {
    REF_ROOTS.forEach((root, i) => expect(hex(merkleRoot(refLeaves.slice(0, i + 1)))).toBe(root));
  });

  it('accumulator root equals merkleRoot and the reference MTH for every prefix up to 300', () => {
    const leaves = wideLeaves(300);
    const acc = new MerkleAccumulator();
    expect(hex(acc.root())).toBe(hex(EMPTY_ROOT));
    for (let n = 1; n <= 300; n++) {
      acc.append(must(leaves[n - 1]));
      expect(acc.size).toBe(n);
      const want = hex(refRoot(leaves.slice(0, n)));
      expect(hex(acc.root())).toBe(want);
      expect(hex(merkleRoot(leaves.slice(0, n)))).toBe(want);
    }
  });

  it('copies appended leaves and returned roots', () => {
    const leaf = new Uint8Array(must(byteLeaves(1)[0]));
    const acc = new MerkleAccumulator();
    acc.append(leaf);
    const before = hex(acc.root());
    leaf[0] = must(leaf[0]) ^ 1;
    acc.root().fill(0);
    expect(hex(acc.root())).toBe(before);
  });

  it('computes a 1,000,000-leaf root in linear time', () => {
    const leaves = wideLeaves(1_000_000);
    const t0 = performance.now();
    const root = merkleRoot(leaves);
    const elapsed = performance.now() - t0;
    const acc = new MerkleAccumulator();
    for (const leaf of leaves) acc.append(leaf);
    expect(hex(acc.root())).toBe(hex(root));
    // ~1 s on a laptop; an O(n log n) or quadratic build would blow far past this.
    expect(elapsed).toBeLessThan(20_000);
  });

  it('rejects malformed hashing inputs with MERKLE_INPUT_INVALID', () => {
    const h32 = new Uint8Array(32);
    const h31 = new Uint8Array(31);
    expectMerkleError(() => hashLeaf('abc' as unknown as Uint8Array), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => hashChildren(h31, h32), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => hashChildren(h32, new Uint8Array(33)), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => merkleRoot([h32, h31]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => merkleRoot('x' as unknown as Uint8Array[]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => new MerkleAccumulator().append(h31), 'MERKLE_INPUT_INVALID');
    const err = caught(() => hashChildren(h31, h32));
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('MerkleProofError');
  });
});

// ---------------------------------------------------------------------------------------------
// Generated proofs
// ---------------------------------------------------------------------------------------------

describe('inclusion proofs', () => {
  const leaves = byteLeaves(70);

  it('generates the RFC 6962 path and verifies for every (index, size) with size <= 70', () => {
    for (let n = 1; n <= 70; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        expect(hexes(proof)).toEqual(hexes(refPath(i, tree)));
        verifyInclusion(i, n, must(tree[i]), proof, root);
        verifySubtreeInclusion(i, 0, n, must(tree[i]), proof, root);
      }
    }
  });

  it('rejects every single-bit flip in every proof hash (size <= 24)', () => {
    for (let n = 2; n <= 24; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        proof.forEach((_, j) => {
          for (const bit of [0, 7, 100, 255]) {
            const bad = proof.map((p, k) => (k === j ? flipBit(p, bit) : p));
            expectMerkleError(
              () => verifyInclusion(i, n, must(tree[i]), bad, root),
              'MERKLE_PROOF_INVALID',
            );
          }
        });
      }
    }
  });

  it('rejects a proof used at the wrong index, size, leaf or root', () => {
    for (let n = 1; n <= 20; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, tree);
        const leaf = must(tree[i]);
        for (let j = 0; j < n; j++) {
          if (j !== i) expectMerkleError(() => verifyInclusion(j, n, leaf, proof, root));
        }
        // A wrong treeSize only fails when it changes the path's shape: an inclusion proof does not
        // bind the size (e.g. leaf 0 of 6 and of 7 chain identically); the signed checkpoint does.
        if (refPath(i, leaves.slice(0, n + 1)).length !== proof.length) {
          expectMerkleError(
            () => verifyInclusion(i, n + 1, leaf, proof, root),
            'MERKLE_PROOF_INVALID',
          );
        }
        expectMerkleError(
          () => verifyInclusion(i, n, flipBit(leaf, 3), proof, root),
          'MERKLE_PROOF_INVALID',
        );
        expectMerkleError(
          () => verifyInclusion(i, n, leaf, proof, flipBit(root, 9)),
          'MERKLE_PROOF_INVALID',
        );
        expectMerkleError(
          () => verifyInclusion(i, n, leaf, [...proof, root], root),
          'MERKLE_PROOF_INVALID',
        );
        if (proof.length > 0) {
          expectMerkleError(
            () => verifyInclusion(i, n, leaf, proof.slice(1), root),
            'MERKLE_PROOF_INVALID',
          );
        }
      }
    }
  });

  it('rejects an over-long path that would re-root a leaf higher up the tree', () => {
    // Leaf 3 of a 4-leaf tree chains to the root through left siblings only, so a verifier that
    // kept hashing past sn = 0 would accept "leaf 3 is leaf 0 of a 1-leaf tree with root MTH(4)".
    const tree = leaves.slice(0, 4);
    const l = (i: number): Uint8Array => must(tree[i]);
    const bogus = [l(2), hashChildren(l(0), l(1))];
    expectMerkleError(
      () => verifyInclusion(0, 1, l(3), bogus, merkleRoot(tree)),
      'MERKLE_PROOF_INVALID',
    );
    expectMerkleError(
      () => verifyInclusion(1, 2, l(3), bogus, merkleRoot(tree)),
      'MERKLE_PROOF_INVALID',
    );
  });

  it('rejects hostile indices, sizes, hashes and proofs with a coded error', () => {
    const tree = leaves.slice(0, 8);
    const root = merkleRoot(tree);
    const leaf = must(tree[3]);
    const proof = inclusionProof(3, tree);
    const asNum = (x: unknown): number => x as number;
    const INPUT = 'MERKLE_INPUT_INVALID';
    expectMerkleError(() => verifyInclusion(8, 8, leaf, proof, root), INPUT);
    expectMerkleError(() => verifyInclusion(0, 0, leaf, [], root), INPUT);
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 53, '3', 3n, null, undefined]) {
      expectMerkleError(() => verifyInclusion(asNum(bad), 8, leaf, proof, root), INPUT);
      expectMerkleError(() => verifyInclusion(3, asNum(bad), leaf, proof, root), INPUT);
    }
    expectMerkleError(() => verifyInclusion(3, 8, leaf.subarray(1), proof, root), INPUT);
    expectMerkleError(() => verifyInclusion(3, 8, leaf, proof, root.subarray(1)), INPUT);
    expectMerkleError(
      () => verifyInclusion(3, 8, leaf, [must(proof[0]).subarray(1), ...proof.slice(1)], root),
      INPUT,
    );
    expectMerkleError(
      () => verifyInclusion(3, 8, leaf, 'proof' as unknown as Uint8Array[], root),
      INPUT,
    );
    expectMerkleError(
      () => verifyInclusion(3, 8, leaf, [hex(leaf)] as unknown as Uint8Array[], root),
      INPUT,
    );
    const huge = Array.from({ length: MAX_PROOF_LENGTH + 1 }, () => leaf);
    expectMerkleError(() => verifyInclusion(3, 8, leaf, huge, root), 'MERKLE_PROOF_INVALID');
    expectMerkleError(() => inclusionProof(8, tree), INPUT);
    expectMerkleError(() => inclusionProof(-1, tree), INPUT);
  });
});

describe('consistency proofs', () => {
  const leaves = byteLeaves(40);
  const roots = Array.from({ length: 41 }, (_, n) => merkleRoot(leaves.slice(0, n)));
  const rootAt = (n: number): Uint8Array => must(roots[n]);

  it('generates the RFC 6962 proof and verifies for all 1 <= m <= n <= 40', () => {
    for (let n = 1; n <= 40; n++) {
      const tree = leaves.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, n, tree);
        expect(hexes(proof)).toEqual(hexes(refSubproof(m, tree, true)));
        verifyConsistency(m, n, proof, rootAt(m), rootAt(n));
        // Cross-check: the subtree verifier is an independent implementation of the same check.
        verifySubtreeConsistency(0, m, n, proof, rootAt(m), rootAt(n));
        expect(hexes(subtreeConsistencyProof(0, m, n, tree))).toEqual(hexes(proof));
      }
    }
  });

  it('rejects bit flips, wrong roots, wrong sizes and wrong lengths', () => {
    for (let n = 2; n <= 24; n++) {
      const tree = leaves.slice(0, n);
      for (let m = 1; m < n; m++) {
        const proof = consistencyProof(m, n, tree);
        const [r1, r2] = [rootAt(m), rootAt(n)];
        const verifiers = [
          (p: Uint8Array[], a: Uint8Array, b: Uint8Array) => verifyConsistency(m, n, p, a, b),
          (p: Uint8Array[], a: Uint8Array, b: Uint8Array) =>
            verifySubtreeConsistency(0, m, n, p, a, b),
        ];
        for (const verify of verifiers) {
          proof.forEach((_, j) => {
            const bad = proof.map((p, k) => (k === j ? flipBit(p, 77) : p));
            expectMerkleError(() => verify(bad, r1, r2), 'MERKLE_PROOF_INVALID');
          });
          expectMerkleError(() => verify(proof, flipBit(r1, 0), r2), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify(proof, r1, flipBit(r2, 0)), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify(proof.slice(1), r1, r2), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify(proof.slice(0, -1), r1, r2), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify([...proof, r2], r1, r2), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify([r1, ...proof], r1, r2), 'MERKLE_PROOF_INVALID');
          expectMerkleError(() => verify([], r1, r2), 'MERKLE_PROOF_INVALID');
        }
        expectMerkleError(() => verifyConsistency(m + 1, n, proof, rootAt(m + 1), r2));
        if (n < 40) expectMerkleError(() => verifyConsistency(m, n + 1, proof, r1, rootAt(n + 1)));
      }
    }
  });

  it('rejects an over-long proof that would graft both trees under a common left sibling', () => {
    // Within the [4, 8) half of an 8-leaf tree, 3 -> 4 is proved by [l6, l7, H(l4, l5)]. One extra
    // hash MTH(D[0:4]) would, without RFC 9162's "sn is 0" stop, graft both results under it and
    // "prove" that MTH(7), claimed as a 3-leaf root, extends to MTH(8), claimed as a 4-leaf root.
    const tree = leaves.slice(0, 8);
    const l = (i: number): Uint8Array => must(tree[i]);
    const proof = [l(6), l(7), hashChildren(l(4), l(5)), rootAt(4)];
    expectMerkleError(
      () => verifyConsistency(3, 4, proof, rootAt(7), rootAt(8)),
      'MERKLE_PROOF_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeConsistency(0, 3, 4, proof, rootAt(7), rootAt(8)),
      'MERKLE_PROOF_INVALID',
    );
    // The same proof without the extra hash is genuine for the half-tree itself.
    const half = tree.slice(4);
    verifyConsistency(3, 4, proof.slice(0, 3), merkleRoot(half.slice(0, 3)), merkleRoot(half));
  });

  it('handles equal and empty sizes and rejects hostile inputs', () => {
    const r = rootAt(5);
    verifyConsistency(5, 5, [], r, r);
    expectMerkleError(() => verifyConsistency(5, 5, [r], r, r), 'MERKLE_PROOF_INVALID');
    expectMerkleError(() => verifyConsistency(5, 5, [], r, rootAt(4)), 'MERKLE_PROOF_INVALID');
    expectMerkleError(
      () => verifyConsistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(() => verifyConsistency(0, 5, [], EMPTY_ROOT, r), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyConsistency(6, 5, [], r, r), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyConsistency(2.5, 5, [], r, r), 'MERKLE_INPUT_INVALID');
    // Equal sizes only compare the roots (as upstream does); any hashing path needs 32 bytes.
    verifyConsistency(5, 5, [], r.subarray(1), r.subarray(1));
    expectMerkleError(
      () => verifyConsistency(4, 5, consistencyProof(4, 5, leaves), r.subarray(1), r),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(() => consistencyProof(0, 5, leaves), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => consistencyProof(6, 5, leaves), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => consistencyProof(5, 41, leaves), 'MERKLE_INPUT_INVALID');
    expect(consistencyProof(5, 5, leaves)).toEqual([]);
  });
});

describe('subtree proofs', () => {
  const N = 33;
  const leaves = byteLeaves(N);

  it('classifies valid subtrees', () => {
    expect(isValidSubtree(0, 5)).toBe(true);
    expect(isValidSubtree(8, 16)).toBe(true);
    expect(isValidSubtree(4, 7)).toBe(true);
    expect(isValidSubtree(1, 3)).toBe(false);
    expect(isValidSubtree(2, 5)).toBe(false);
    expect(isValidSubtree(3, 3)).toBe(false);
    expect(isValidSubtree(1, 2 ** 60)).toBe(false);
  });

  it('round-trips inclusion and consistency for every valid subtree of trees up to 33 leaves', () => {
    for (let n = 1; n <= N; n++) {
      const tree = leaves.slice(0, n);
      const root = merkleRoot(tree);
      for (let s = 0; s < n; s++) {
        for (let e = s + 1; e <= n; e++) {
          if (!isValidSubtree(s, e)) {
            expectMerkleError(() => subtreeConsistencyProof(s, e, n, tree), 'MERKLE_INPUT_INVALID');
            expectMerkleError(
              () => verifySubtreeConsistency(s, e, n, [], root, root),
              'MERKLE_INPUT_INVALID',
            );
            continue;
          }
          const sub = merkleRoot(tree.slice(s, e));
          const proof = subtreeConsistencyProof(s, e, n, tree);
          verifySubtreeConsistency(s, e, n, proof, sub, root);
          proof.forEach((_, j) => {
            const bad = proof.map((p, k) => (k === j ? flipBit(p, 200) : p));
            expectMerkleError(
              () => verifySubtreeConsistency(s, e, n, bad, sub, root),
              'MERKLE_PROOF_INVALID',
            );
          });
          expectMerkleError(() => verifySubtreeConsistency(s, e, n, proof, flipBit(sub, 1), root));
          expectMerkleError(() => verifySubtreeConsistency(s, e, n, [...proof, sub], sub, root));
          for (let i = s; i < e; i++) {
            const path = subtreeInclusionProof(i, s, e, tree);
            verifySubtreeInclusion(i, s, e, must(tree[i]), path, sub);
            if (e - s < n)
              expectMerkleError(() => verifySubtreeInclusion(i, s, e, must(tree[i]), path, root));
          }
        }
      }
    }
  });

  it('treats the empty range as the empty tree and rejects hostile ranges', () => {
    const root = merkleRoot(leaves);
    verifySubtreeConsistency(3, 3, N, [], EMPTY_ROOT, root);
    expect(subtreeConsistencyProof(3, 3, N, leaves)).toEqual([]);
    expectMerkleError(
      () => verifySubtreeConsistency(3, 3, N, [root], EMPTY_ROOT, root),
      'MERKLE_PROOF_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeConsistency(3, 3, N, [], root, root),
      'MERKLE_PROOF_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeConsistency(4, 3, N, [], root, root),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeConsistency(0, N + 1, N, [], root, root),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeInclusion(3, 3, 3, must(leaves[3]), [], root),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(
      () => verifySubtreeInclusion(1, 2, 4, must(leaves[1]), [], root),
      'MERKLE_INPUT_INVALID',
    );
    expectMerkleError(() => subtreeInclusionProof(0, 0, N + 1, leaves), 'MERKLE_INPUT_INVALID');
  });
});
