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
 * the workspace's real path, so two configured names of one folder share a lock, and nested
 * workspaces (one inside another) exclude each other as one workspace does.
 */
import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';

type Mode = 'shared' | 'exclusive';

/** A held workspace lock. */
export interface HeldLock {
  /** Give the lock back (a second call does nothing). */
  release(): void;
}

interface Waiter {
  readonly key: string;
  readonly mode: Mode;
  readonly grant: () => void;
}

interface Holder {
  readonly key: string;
  readonly mode: Mode;
}

/**
 * Two holds conflict when their workspaces overlap (the same real path, or one inside the other:
 * configured workspaces may nest, and a take-off on either changes what the other hashes) and
 * one of them is exclusive.
 */
function conflicts(a: Holder, b: Holder): boolean {
  if (a.mode === 'shared' && b.mode === 'shared') return false;
  return a.key === b.key || within(a.key, b.key) || within(b.key, a.key);
}

function within(inner: string, outer: string): boolean {
  return inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);
}

/** The workspace locks of one orchestrator. */
export class WorkspaceLocks {
  private readonly holders = new Set<Holder>();
  private readonly queue: Waiter[] = [];

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
    const holder: Holder = { key, mode };
    await new Promise<void>((grant) => {
      const take = (): void => {
        this.holders.add(holder);
        grant();
      };
      this.queue.push({ key, mode, grant: take });
      this.dispatch();
    });
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.holders.delete(holder);
        this.dispatch();
      },
    };
  }

  // Arrival order among overlapping holds: a waiter is granted only when it conflicts with no
  // holder and with no earlier waiter (a waiting take-off is not overtaken by later flight-plans).
  private dispatch(): void {
    const waiting: Waiter[] = [];
    for (const w of this.queue.splice(0, this.queue.length)) {
      const blocked =
        [...this.holders].some((h) => conflicts(h, w)) || waiting.some((e) => conflicts(e, w));
      if (blocked) waiting.push(w);
      else w.grant();
    }
    this.queue.push(...waiting);
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
