/**
 * The engine sandbox contract: what the orchestrator asks for (SandboxLaunch) and what it gets
 * back (SandboxResult). The sandbox is a pure launcher: it neither parses the receipt nor looks at
 * artifacts; the orchestrator does both from the bytes and directories returned here.
 */

/** Resource limits of one engine launch. Every value is a positive safe integer. */
export interface SandboxLimits {
  /** Kill the whole sandbox (SIGKILL) after this many milliseconds; at most 2^31-1. */
  readonly wallTimeMs: number;
  /**
   * RLIMIT_DATA via prlimit, per process (a cgroup would be needed for one cap over the whole
   * sandbox; RLIMIT_NPROC bounds the product). RLIMIT_AS would break V8, which reserves far more
   * than it uses. Node needs about 100 MiB to start; far below that it aborts or hangs until the
   * wall time.
   */
  readonly memoryBytes: number;
  /** Stdout cap; exceeding it kills the engine and sets `stdoutOverflow`. */
  readonly stdoutBytes: number;
  /** Stderr cap; bytes beyond it are dropped (`stderrTruncated`), which is not fatal. */
  readonly stderrBytes: number;
  /** RLIMIT_FSIZE: the largest file the engine may write. */
  readonly fileSizeBytes: number;
  /**
   * RLIMIT_NPROC. Linux counts threads, and counts every process of the launch's host uid, so
   * launches sharing a uid share it (take-offs as 65534; flight-plans each have their own uid);
   * a Node engine alone needs about 12.
   */
  readonly processes: number;
}

/**
 * Host directories mounted into the sandbox. All paths are absolute, and every ancestor must be
 * searchable by the launch's host uid (bubblewrap opens the mount sources as that user): 65534
 * for take-off, a per-launch uid from the configured range for flight-plan (issue 10, U4), so in
 * practice by "other".
 *
 * - `workspace` is never chowned: in flight-plan it must be readable by any uid (a per-launch
 *   uid), in take-off writable by 65534 (the caller arranges this, e.g. by handing over a
 *   working copy).
 * - `artifacts`, `temp` and `output` are chowned to the launch's uid and set to mode 0700 before
 *   launch (host uid identity) and left that way. They must be real directories, not symlinks. `temp`, `output`
 *   and, in flight-plan, `artifacts` must be empty (ORCH-1). The take-off `artifacts` copy is
 *   mounted read-only; its contents must be readable by 65534.
 */
export interface SandboxMounts {
  /** Host dir mounted at /cabincrew/workspace: read-only in flight-plan, writable in take-off. */
  readonly workspace: string;
  /** Host dir mounted at /cabincrew/artifacts: writable in flight-plan, read-only in take-off. */
  readonly artifacts: string;
  /** Fresh, empty host dir mounted writable at /cabincrew/tmp. */
  readonly temp: string;
  /** Take-off only (required there, refused in flight-plan): fresh, empty, writable /cabincrew/output. */
  readonly output?: string;
}

/** The two engine modes. */
export type SandboxMode = 'flight-plan' | 'take-off';

/** One engine launch. */
export interface SandboxLaunch {
  readonly mode: SandboxMode;
  /** Absolute host path of the engine file; bound read-only at /cabincrew/engine/<basename>. */
  readonly executable: string;
  /**
   * Absolute path inside the sandbox root (under /usr, /bin or /sbin), e.g. /usr/bin/node. When
   * set, argv is [interpreter, /cabincrew/engine/<basename>, ...args, '--mode', mode].
   */
  readonly interpreter?: string;
  /** Extra argv; the runner always appends ['--mode', mode]. */
  readonly args: readonly string[];
  readonly mounts: SandboxMounts;
  /** The EngineInput JSON bytes, written to the engine's stdin, which is then closed. */
  readonly stdin: Uint8Array;
  readonly limits: SandboxLimits;
}

/** What happened to one launch. */
export interface SandboxResult {
  /**
   * Exit status of the sandbox. An engine killed by signal N shows as 128+N (bubblewrap's
   * convention), e.g. 137 after a wall-time kill.
   */
  readonly exitCode: number | null;
  /** Set only when the launcher process itself died of a signal. */
  readonly signal: string | null;
  /** The first `limits.stdoutBytes` bytes at most. */
  readonly stdout: Buffer;
  /** The first `limits.stderrBytes` bytes at most. */
  readonly stderr: Buffer;
  /** The engine was killed for writing more than `limits.stdoutBytes` to stdout. */
  readonly stdoutOverflow: boolean;
  /** Stderr was longer than `limits.stderrBytes`; the rest was dropped. */
  readonly stderrTruncated: boolean;
  /** The engine was killed at `limits.wallTimeMs`. */
  readonly timedOut: boolean;
  /** Wall time from spawn to the last process of the sandbox being gone, in whole ms. */
  readonly durationMs: number;
}

/** Anything that can run an engine in isolation. */
export interface EngineSandbox {
  /** Implementation name, recorded in audit events, e.g. 'bubblewrap'. */
  readonly kind: string;
  /** Launch one engine and wait until every process of it is gone. */
  run(launch: SandboxLaunch): Promise<SandboxResult>;
}

/**
 * Who the engine runs as.
 *
 * - `host-uid` (authority runs as root): the launcher is spawned with a real uid/gid and no
 *   supplementary groups: 65534 for take-off (the owner of the workspaces it writes), a
 *   per-launch uid (gid equal) from the configured range for flight-plan, so each flight-plan has
 *   an RLIMIT_NPROC budget of its own. Inside its user namespace the engine is always 65534.
 * - `userns` (authority is not root): the engine is 65534 only inside its user namespace; on the
 *   host it is the authority's own uid. Weaker: a sandbox escape lands in the authority's account,
 *   and RLIMIT_NPROC is shared with the authority's own processes.
 */
export type SandboxIdentity = 'host-uid' | 'userns';
