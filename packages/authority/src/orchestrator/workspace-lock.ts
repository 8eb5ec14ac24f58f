/**
 * Per-workspace readers–writer locks (issue 10, B1). A take-off changes its workspace, so take-offs
 * on one workspace are serialised (exclusive) and the workspace-hash check of V4 runs under the
 * lock: of two approved plans made on the same workspace state, the second take-off sees the
 * first one's change and fails WORKSPACE_CHANGED instead of overwriting it. Flight-plans only read
 * the workspace; they share the lock, so many run at once but none hashes or reads a half-applied
 * take-off.
 *
 * In-process only: the home lock guarantees one authority process per home. Waiters are served in
 * arrival order (a waiting take-off is not starved by a stream of flight-plans). Locks are keyed by
 * the workspace's real path, so two configured names of one folder share a lock.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';

type Mode = 'shared' | 'exclusive';

/** A held workspace lock. */
export interface HeldLock {
  /** Give the lock back (a second call does nothing). */
  release(): void;
}

interface Waiter {
  readonly mode: Mode;
  readonly grant: () => void;
}

/** One readers–writer lock with a FIFO queue. */
class RwLock {
  private readers = 0;
  private writer = false;
  private readonly queue: Waiter[] = [];

  get idle(): boolean {
    return this.readers === 0 && !this.writer && this.queue.length === 0;
  }

  acquire(mode: Mode): Promise<void> {
    return new Promise<void>((grant) => {
      this.queue.push({ mode, grant });
      this.dispatch();
    });
  }

  release(mode: Mode): void {
    if (mode === 'exclusive') this.writer = false;
    else this.readers -= 1;
    this.dispatch();
  }

  private dispatch(): void {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      if (this.writer) return;
      if (head.mode === 'exclusive') {
        if (this.readers > 0) return;
        this.writer = true;
      } else {
        this.readers += 1;
      }
      this.queue.shift();
      head.grant();
    }
  }
}

/** The workspace locks of one orchestrator. */
export class WorkspaceLocks {
  private readonly locks = new Map<string, RwLock>();

  /** Run `fn` holding the workspace's lock in shared mode (flight-plan). */
  shared<T>(workspacePath: string, fn: () => Promise<T>): Promise<T> {
    return this.with(workspacePath, 'shared', fn);
  }

  /** Run `fn` holding the workspace's lock exclusively (take-off). */
  exclusive<T>(workspacePath: string, fn: () => Promise<T>): Promise<T> {
    return this.with(workspacePath, 'exclusive', fn);
  }

  /**
   * Take the workspace's lock and hold it until `release()` (idempotent), for sections that do
   * not fit one callback: a take-off holds it from the workspace-hash check until its engine has
   * exited, not while it restores, verifies or records.
   */
  async hold(workspacePath: string, mode: Mode): Promise<HeldLock> {
    const key = await keyOf(workspacePath);
    let lock = this.locks.get(key);
    if (lock === undefined) {
      lock = new RwLock();
      this.locks.set(key, lock);
    }
    const taken = lock;
    await taken.acquire(mode);
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        taken.release(mode);
        if (taken.idle && this.locks.get(key) === taken) this.locks.delete(key);
      },
    };
  }

  private async with<T>(workspacePath: string, mode: Mode, fn: () => Promise<T>): Promise<T> {
    const held = await this.hold(workspacePath, mode);
    try {
      return await fn();
    } finally {
      held.release();
    }
  }
}

async function keyOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    // A missing workspace fails later with its own error; it still gets a stable key.
    return resolve(path);
  }
}
