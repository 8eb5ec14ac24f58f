/**
 * Concurrency bound and per-launch identities of engine launches (issue 10, U4).
 *
 * RLIMIT_NPROC is counted per host uid: when every sandbox ran as uid 65534, twelve concurrent
 * Node engines shared one budget and some died (exit 139, time-outs) for want of threads. Now
 * every launch first takes a slot from a FIFO queue (at most `maxConcurrent` engines run at once;
 * the wall-time limit starts only once the engine is spawned, so queue wait never counts against
 * it), and a flight-plan launch gets a host uid of its own from a configured range, so its
 * process budget is its own: a launch that hits its limit fails alone.
 *
 * Why uids and not cgroups: the reference machine (Debian 12 container) has cgroup v1 with a
 * writable pids controller, but hosts differ (v1/v2, delegated or not, read-only in many
 * containers), while a setuid by a root authority works wherever the host-uid sandbox works. The
 * uid also separates launches for the kernel in every other per-user respect (signals, /proc).
 */
import { availableParallelism } from 'node:os';
import { ClearanceError } from '@clearance/protocol';

/** A configured range of host uids reserved for engine launches. */
export interface UidRange {
  readonly first: number;
  readonly count: number;
}

/** Default per-launch uid range: 100000–165533, above every regular account and 65534. */
export const DEFAULT_LAUNCH_UIDS: UidRange = Object.freeze({ first: 100_000, count: 65_534 });

/** Largest uid a range may reach (below the 32-bit "no uid" value and the overflow ids). */
export const MAX_LAUNCH_UID = 2 ** 31 - 2;

/** Default bound on concurrent engine launches for this machine: twice the cores, at least 4. */
export function defaultMaxConcurrentLaunches(): number {
  return Math.max(4, 2 * availableParallelism());
}

/** A taken slot; `uid` is the launch's own host uid (gid equal), or undefined when none applies. */
export interface LaunchSlot {
  readonly uid: number | undefined;
  release(): void;
}

/**
 * FIFO semaphore over engine launches plus the uid allocator. Uids are handed out round-robin
 * over the range, skipping those in use, so a just-released uid is reused as late as possible.
 */
export class LaunchSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inUse = new Set<number>();
  private cursor = 0;

  constructor(
    /** At most this many launches run at once. */
    readonly maxConcurrent: number,
    /** Uids of per-launch identities; undefined when launches cannot change uid (not root). */
    readonly uids: UidRange | undefined,
  ) {
    if (!Number.isSafeInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new ClearanceError('SANDBOX_FAILED', 'max concurrent launches must be at least 1');
    }
    if (uids !== undefined) {
      const last = uids.first + uids.count - 1;
      if (!Number.isSafeInteger(uids.first) || uids.first < 1 || last > MAX_LAUNCH_UID) {
        throw new ClearanceError('SANDBOX_FAILED', 'launch uid range out of bounds');
      }
      if (uids.count < maxConcurrent) {
        // Every running launch needs a uid of its own.
        throw new ClearanceError('SANDBOX_FAILED', 'launch uid range smaller than the slots');
      }
    }
  }

  /** Launches running now, and launches waiting for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Wait for a slot (first come, first served). `ownUid`: allocate a per-launch uid too (when a
   * range is configured); otherwise the launch keeps the shared identity.
   */
  async acquire(ownUid: boolean): Promise<LaunchSlot> {
    if (this.running >= this.maxConcurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    // The slot is ours (a releasing launch hands its slot over without decrementing).
    const uid = ownUid && this.uids !== undefined ? this.allocateUid(this.uids) : undefined;
    let released = false;
    return {
      uid,
      release: () => {
        if (released) return;
        released = true;
        if (uid !== undefined) this.inUse.delete(uid);
        const next = this.waiting.shift();
        if (next === undefined) this.running--;
        else next();
      },
    };
  }

  private allocateUid(range: UidRange): number {
    for (let i = 0; i < range.count; i++) {
      const uid = range.first + ((this.cursor + i) % range.count);
      if (!this.inUse.has(uid)) {
        this.cursor = (this.cursor + i + 1) % range.count;
        this.inUse.add(uid);
        return uid;
      }
    }
    // Unreachable: the range holds at least maxConcurrent uids and each slot holds at most one.
    throw new ClearanceError('INTERNAL', 'no free launch uid');
  }
}
