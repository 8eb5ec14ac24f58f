import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileContentStore } from '../src/cas/file-store.js';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('FileContentStore', () => {
  let root: string;
  let store: FileContentStore;
  beforeEach(async () => {
    root = join(await mkdtemp(join(tmpdir(), 'clearance-cas-')), 'cas');
    store = await FileContentStore.open(root, { maxBlobBytes: 1024 * 1024 });
  });

  // Also proves ART-13, RMOS S8 (content-addressed, verified by hash).
  it('addresses blobs by the SHA-256 of their exact bytes and reads them back', async () => {
    const bytes = Buffer.from('hello, clearance\n');
    const ref = await store.put(bytes);
    expect(ref).toEqual({ address: sha(bytes), size: bytes.length, created: true });
    expect(await store.has(ref.address)).toBe(true);
    expect((await store.get(ref.address)).equals(bytes)).toBe(true);
    expect(await store.verify(ref.address)).toMatchObject({
      address: ref.address,
      size: bytes.length,
    });
  });

  it('stores blobs read-only, under a fan-out folder', async () => {
    const ref = await store.put(Buffer.from('x'));
    const path = store.pathOf(ref.address);
    expect(path).toBe(join(root, 'sha256', ref.address.slice(0, 2), ref.address));
    expect((await stat(path)).mode & 0o777).toBe(0o444);
  });

  it('deduplicates identical bytes, also under concurrent writers', async () => {
    const bytes = Buffer.alloc(50_000, 7);
    const refs = await Promise.all(Array.from({ length: 16 }, () => store.put(bytes)));
    expect(new Set(refs.map((r) => r.address)).size).toBe(1);
    expect(refs.filter((r) => r.created).length).toBe(1);
  });

  it('snapshots the caller buffer: later changes to it do not change the blob', async () => {
    const bytes = Buffer.from('original bytes');
    const pending = store.put(bytes);
    bytes.fill(0x41);
    const ref = await pending;
    expect((await store.get(ref.address)).toString()).toBe('original bytes');
  });

  it('streams files in with putFile', async () => {
    const src = join(root, '..', 'big.bin');
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    await writeFile(src, data);
    const ref = await store.putFile(src);
    expect(ref.address).toBe(sha(data));
    expect((await store.get(ref.address)).equals(data)).toBe(true);
  });

  describe('when a stored blob is corrupted on disk', () => {
    it('get and verify fail loudly with CAS_CORRUPT, and put never overwrites it', async () => {
      const bytes = Buffer.from('approved artifact');
      const ref = await store.put(bytes);
      const path = store.pathOf(ref.address);
      await chmod(path, 0o644);
      await writeFile(path, 'tampered artifact');
      expect(await codeOf(store.get(ref.address))).toBe('CAS_CORRUPT');
      expect(await codeOf(store.verify(ref.address))).toBe('CAS_CORRUPT');
      // Re-storing the genuine bytes verifies the existing blob instead of replacing it.
      expect(await codeOf(store.put(bytes))).toBe('CAS_CORRUPT');
      expect(await readFile(path, 'utf8')).toBe('tampered artifact');
    });
  });

  it('reads multi-slice blobs exactly, and detects a truncated or extended one', async () => {
    const big = await FileContentStore.open(join(root, '..', 'big-cas'), {
      maxBlobBytes: 8 * 1024 * 1024,
    });
    const data = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < data.length; i++) data[i] = (i * 131) % 253;
    const ref = await big.put(data);
    expect((await big.get(ref.address)).equals(data)).toBe(true);
    const path = big.pathOf(ref.address);
    await chmod(path, 0o644);
    await writeFile(path, data.subarray(0, data.length - 1));
    expect(await codeOf(big.get(ref.address))).toBe('CAS_CORRUPT');
    await writeFile(path, Buffer.concat([data, Buffer.from('x')]));
    expect(await codeOf(big.get(ref.address))).toBe('CAS_CORRUPT');
    expect(await codeOf(big.verify(ref.address))).toBe('CAS_CORRUPT');
  });

  it('refuses addresses that are not 64 lowercase hex characters (no traversal)', async () => {
    for (const bad of [
      '../../etc/passwd',
      'A'.repeat(64),
      'a'.repeat(63),
      `${'a'.repeat(64)}/..`,
      '',
    ]) {
      expect(await codeOf(store.get(bad))).toBe('CAS_ADDRESS_INVALID');
      expect(await codeOf(store.verify(bad))).toBe('CAS_ADDRESS_INVALID');
      expect(await codeOf(store.has(bad))).toBe('CAS_ADDRESS_INVALID');
    }
  });

  it('reports a missing blob as CAS_NOT_FOUND', async () => {
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await codeOf(store.get('0'.repeat(64)))).toBe('CAS_NOT_FOUND');
  });

  it('enforces the size limit on put, putFile and get', async () => {
    expect(await codeOf(store.put(Buffer.alloc(1024 * 1024 + 1)))).toBe('CAS_TOO_LARGE');
    const src = join(root, '..', 'huge.bin');
    await writeFile(src, Buffer.alloc(1024 * 1024 + 1));
    expect(await codeOf(store.putFile(src))).toBe('CAS_TOO_LARGE');
  });

  it('leaves no temp files behind', async () => {
    await store.put(Buffer.from('a'));
    await codeOf(store.put(Buffer.alloc(1024 * 1024 + 1)));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });
});
