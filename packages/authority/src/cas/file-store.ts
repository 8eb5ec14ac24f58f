/**
 * File implementation of the content-addressed store under `$CLEARANCE_HOME/cas/`.
 *
 * Layout: `sha256/<first two hex>/<64 hex>` (mode 0444) and `tmp/` for writes in progress.
 * Write path: temp file (O_EXCL) → write → fsync → link(2) to the final name → fsync the folder.
 * link(2) fails with EEXIST instead of replacing, so an existing blob is never overwritten, even by
 * a concurrent writer; on EEXIST the existing blob is verified, and a corrupt one fails loudly.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, isSha256Hex } from '@clearance/protocol';
import { fsyncDir, isErrno } from '../fs-util.js';
import type { BlobRef, ContentAddress, ContentStore } from './store.js';

/** Options of {@link FileContentStore}. */
export interface FileStoreOptions {
  /** Largest blob accepted by put/putFile and returned by get (default 1 GiB). */
  readonly maxBlobBytes?: number;
}

const BLOB_MODE = 0o444;
const DEFAULT_MAX = 1024 * 1024 * 1024;

/** Content-addressed store backed by a directory. Create with {@link FileContentStore.open}. */
export class FileContentStore implements ContentStore {
  private readonly maxBlobBytes: number;

  private constructor(
    private readonly root: string,
    options: FileStoreOptions,
  ) {
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX;
  }

  /** Fan-out folders known to exist durably (created or seen by this process). */
  private readonly fanouts = new Set<string>();

  /** Open (creating if needed) a store rooted at `root` (e.g. `$CLEARANCE_HOME/cas`). */
  static async open(root: string, options: FileStoreOptions = {}): Promise<FileContentStore> {
    await mkdir(join(root, 'sha256'), { recursive: true, mode: 0o700 });
    await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o700 });
    return new FileContentStore(root, options);
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    this.checkSize(bytes.length);
    // Snapshot first: the caller could change its buffer while the write is in flight, and the
    // bytes hashed must be exactly the bytes written (TOCTOU).
    const snapshot = Buffer.from(bytes);
    const address = createHash('sha256').update(snapshot).digest('hex');
    // Already stored: re-verify the existing blob instead of writing and syncing a copy that
    // link(2) would refuse anyway (identical records are common: receipts, empty sets).
    if (await this.has(address)) return { ...(await this.verify(address)), created: false };
    return this.writeOnce(async (handle) => {
      await handle.writeFile(snapshot);
      return { address, size: snapshot.length };
    });
  }

  async putFile(path: string): Promise<BlobRef> {
    return this.writeOnce(async (handle) => {
      const hash = createHash('sha256');
      let size = 0;
      for await (const buf of readChunks(path)) {
        size += buf.length;
        this.checkSize(size);
        hash.update(buf);
        await handle.writeFile(buf);
      }
      return { address: hash.digest('hex'), size };
    });
  }

  async get(address: ContentAddress): Promise<Buffer> {
    const path = this.pathOf(address);
    const handle = await this.openExisting(path, address);
    try {
      const { size } = await handle.stat();
      this.checkSize(size);
      // One allocation for the result; 1 MiB slices are read with one read in flight and hashed
      // as they land, so SHA-256 overlaps the I/O instead of following it.
      const bytes = Buffer.allocUnsafe(size);
      const hash = createHash('sha256');
      const readAt = async (offset: number): Promise<number> => {
        const length = Math.min(GET_SLICE_BYTES, size - offset);
        if (length === 0) return 0;
        const { bytesRead } = await handle.read(bytes, offset, length, offset);
        return bytesRead;
      };
      let offset = 0;
      let pending = readAt(0);
      while (offset < size) {
        const got = await pending;
        if (got === 0) break; // shorter than stat said: the hash check below fails loudly
        const start = offset;
        offset += got;
        pending = readAt(offset);
        hash.update(bytes.subarray(start, offset));
      }
      await pending;
      this.assertMatches(address, hash.digest('hex'));
      return bytes;
    } finally {
      await handle.close();
    }
  }

  async has(address: ContentAddress): Promise<boolean> {
    try {
      return (await stat(this.pathOf(address))).isFile();
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  async verify(address: ContentAddress): Promise<BlobRef> {
    const path = this.pathOf(address);
    const handle = await this.openExisting(path, address);
    await handle.close();
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of readChunks(path)) {
      size += chunk.length;
      hash.update(chunk);
    }
    this.assertMatches(address, hash.digest('hex'));
    return { address, size, created: false };
  }

  /** Absolute path of a blob; refuses anything that is not a lowercase hex digest (no traversal). */
  pathOf(address: ContentAddress): string {
    if (!isSha256Hex(address)) {
      throw new ClearanceError(
        'CAS_ADDRESS_INVALID',
        'content address must be 64 lowercase hex characters',
      );
    }
    return join(this.root, 'sha256', address.slice(0, 2), address);
  }

  private checkSize(size: number): void {
    if (size > this.maxBlobBytes) {
      throw new ClearanceError('CAS_TOO_LARGE', `blob exceeds ${this.maxBlobBytes} bytes`);
    }
  }

  private assertMatches(address: ContentAddress, actual: string): void {
    if (actual !== address) {
      throw new ClearanceError(
        'CAS_CORRUPT',
        `stored blob ${address} no longer matches its address`,
        {
          detail: { address, actual },
        },
      );
    }
  }

  private async openExisting(path: string, address: ContentAddress): Promise<FileHandle> {
    try {
      return await open(path, 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new ClearanceError('CAS_NOT_FOUND', `no blob ${address}`, { detail: { address } });
      }
      throw err;
    }
  }

  /** Write to a fresh temp file via `fill`, fsync it, then publish it under its address. */
  private async writeOnce(
    fill: (h: FileHandle) => Promise<{ address: string; size: number }>,
  ): Promise<BlobRef> {
    const temp = join(this.root, 'tmp', `${randomBytes(16).toString('hex')}.part`);
    const handle = await open(temp, 'wx', BLOB_MODE);
    try {
      let result: { address: string; size: number };
      try {
        result = await fill(handle);
        // fdatasync also flushes the size and allocation a new file needs to be read back.
        await handle.datasync();
      } finally {
        await handle.close();
      }
      return await this.publish(temp, result.address, result.size);
    } catch (err) {
      if (err instanceof ClearanceError) throw err;
      throw new ClearanceError('CAS_WRITE_FAILED', 'blob could not be stored', { cause: err });
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  private async publish(temp: string, address: string, size: number): Promise<BlobRef> {
    const final = this.pathOf(address);
    const fanout = join(this.root, 'sha256', address.slice(0, 2));
    if (!this.fanouts.has(fanout)) {
      await mkdir(fanout, { recursive: true, mode: 0o700 });
      // The new folder's own entry must be durable too.
      await fsyncDir(join(this.root, 'sha256'));
      this.fanouts.add(fanout);
    }
    try {
      await link(temp, final);
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      // Same address: the bytes must be identical. Verify, never replace.
      return { ...(await this.verify(address)), created: false };
    }
    await fsyncDir(fanout);
    return { address, size, created: true };
  }
}

const CHUNK_BYTES = 1 << 22;
/** get() reads into its result in 1 MiB slices: measured best for read ∥ hash overlap (bench 1b). */
const GET_SLICE_BYTES = 1 << 20;

/** Read a file in 4 MiB chunks (each yielded buffer is fresh, so callers may keep it). */
async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  // Size the buffers to the file (small blobs are the common case; a 4 MiB buffer per read of a
  // 300-byte record is pure garbage-collector work). +1 so that end of file is seen in one read.
  const { size } = await handle.stat();
  const chunkBytes = Math.max(1, Math.min(CHUNK_BYTES, size + 1));
  const next = async (): Promise<Buffer> => {
    const buf = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await handle.read(buf, 0, buf.length, null);
    return buf.subarray(0, bytesRead);
  };
  try {
    // Keep one read in flight while the caller hashes the previous chunk.
    let pending = next();
    for (;;) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = next();
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}
