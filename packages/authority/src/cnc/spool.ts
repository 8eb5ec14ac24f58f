/**
 * Releasing approved G-code to the spool folder the machine side reads: written once, read-only,
 * never replaced. Temp file + fsync, then link(2), which refuses to overwrite an existing name, so
 * a released program can only ever be the bytes that were validated and recorded.
 */
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, constantTimeEqual } from '@clearance/protocol';
import { fsyncDir, isErrno } from '../fs-util.js';

/** True for a name a release may use (never hidden, never a path, never `quarantine`). */
export function isSpoolName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) && name !== SPOOL_QUARANTINE;
}

/** The spool's sub-folder for programs that are not (or no longer) recorded releases. */
export const SPOOL_QUARANTINE = 'quarantine';

/** Mode of released files: read-only for everyone who may read the spool folder. */
export const SPOOL_FILE_MODE = 0o444;

/**
 * Write `bytes` as `name` in `dir` exactly once; an equal existing file is accepted. The caller has
 * recorded the release intent first (write-ahead, B2); `onPublished` runs once the name is durable
 * in the folder and before the temp name is removed (crash injection).
 */
export async function releaseToSpool(
  dir: string,
  name: string,
  bytes: Buffer,
  onPublished?: () => void,
): Promise<string> {
  if (!isSpoolName(name)) {
    throw new ClearanceError('CNC_RELEASE_FAILED', 'spool file name is not allowed');
  }
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const target = join(dir, name);
  const temp = join(dir, `.${name}.${process.pid}.tmp`);
  await unlink(temp).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT')) throw err;
  });
  try {
    const handle = await open(temp, 'wx', SPOOL_FILE_MODE);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, target);
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      // O_NOFOLLOW: a symlink planted under the name is never followed, even to equal bytes.
      const existing = await readFile(target, { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
      if (existing.length !== bytes.length || !constantTimeEqual(existing, bytes)) {
        throw new ClearanceError(
          'CNC_RELEASE_FAILED',
          `spool file ${name} exists with other bytes`,
        );
      }
    }
    await fsyncDir(dir);
    onPublished?.();
    return target;
  } catch (err) {
    if (err instanceof ClearanceError) throw err;
    throw new ClearanceError('CNC_RELEASE_FAILED', 'G-code could not be written to the spool', {
      cause: err,
    });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
