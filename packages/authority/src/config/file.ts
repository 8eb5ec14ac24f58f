/**
 * Read a file exactly once, refusing symlinks and anything that is not a regular file, with a size
 * cap. The status used for checks comes from the same open descriptor the bytes are read from, so
 * the file checked is the file read (no stat-then-open race).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ClearanceError, type ErrorCode, type ErrorDetail } from '@clearance/protocol';
import { isErrno } from '../fs-util.js';

/** The bytes of a file and the mode bits it had when it was read. */
export interface ReadResult {
  readonly bytes: Buffer;
  readonly mode: number;
}

/** How failures are reported: the code and detail belong to the caller (config vs engine). */
export interface ReadFailure {
  readonly code: ErrorCode;
  readonly what: string;
  readonly detail: ErrorDetail;
}

const CHUNK = 1024 * 1024;
// O_NOFOLLOW: a symlink in the last component fails with ELOOP instead of being followed.
// O_NONBLOCK: opening a FIFO must not hang; it is refused as non-regular right after.
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function failure(f: ReadFailure, message: string, cause?: unknown): ClearanceError {
  return new ClearanceError(f.code, `${f.what} ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    detail: f.detail,
  });
}

async function openNoFollow(path: string, f: ReadFailure): Promise<FileHandle> {
  try {
    return await open(path, FLAGS);
  } catch (err) {
    if (isErrno(err, 'ELOOP')) throw failure(f, 'is a symbolic link', err);
    if (isErrno(err, 'ENOENT')) throw failure(f, 'does not exist', err);
    throw failure(f, 'cannot be opened', err);
  }
}

/** Read up to maxBytes; the file may grow after fstat, so the cap is enforced while reading. */
async function readCapped(handle: FileHandle, maxBytes: number, f: ReadFailure): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    total += bytesRead;
    if (total > maxBytes) throw failure(f, `is larger than ${maxBytes} bytes`);
    chunks.push(chunk.subarray(0, bytesRead));
  }
}

/** Read a regular, non-symlink file of at most `maxBytes`; failures use `f.code`. */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  f: ReadFailure,
): Promise<ReadResult> {
  const handle = await openNoFollow(path, f);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw failure(f, 'is not a regular file');
    if (st.size > maxBytes) throw failure(f, `is larger than ${maxBytes} bytes`);
    return { bytes: await readCapped(handle, maxBytes, f), mode: st.mode & 0o7777 };
  } catch (err) {
    if (err instanceof ClearanceError) throw err;
    throw failure(f, 'cannot be read', err);
  } finally {
    await handle.close();
  }
}
