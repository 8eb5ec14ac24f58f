/**
 * Single-writer lock on a Clearance home. Two writers would fork the audit chain, so a second
 * process is refused with HOME_LOCKED. The lock file holds the owner's pid; a lock whose process
 * is gone (after a crash) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { ClearanceError } from '@clearance/protocol';
import { isErrno } from './fs-util.js';

/** A held lock; release it on shutdown. */
export interface HomeLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

/** Take the lock at `path` or throw HOME_LOCKED. */
export async function acquireLock(path: string): Promise<HomeLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      const pid = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new ClearanceError('HOME_LOCKED', `home is in use by process ${pid}`, {
          detail: { pid },
        });
      }
      if (pid === process.pid)
        throw new ClearanceError('HOME_LOCKED', 'home is already open in this process');
      // Stale lock from a process that no longer exists: remove it and try once more.
      await unlink(path).catch(() => undefined);
    }
  }
  throw new ClearanceError('HOME_LOCKED', 'could not take the home lock');
}
