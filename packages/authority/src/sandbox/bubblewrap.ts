/**
 * The bubblewrap engine sandbox. There is no fallback: if bubblewrap or prlimit is missing, or a
 * trivial sandbox cannot be started, create() refuses with SANDBOX_UNAVAILABLE and no engine is
 * ever launched unsandboxed.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import {
  PROBE_COMMAND,
  PROBE_OK,
  buildBwrapOptions,
  buildEngineCommand,
  buildPrlimitArgs,
  buildProbeOptions,
} from './bwrap-args.js';
import {
  DEFAULT_LAUNCH_UIDS,
  defaultMaxConcurrentLaunches,
  LaunchSlots,
  type UidRange,
} from './launch-slots.js';
import { SANDBOX_GID, SANDBOX_UID } from './paths.js';
import { prepareMounts, type HostOwner } from './prepare.js';
import { runSandboxProcess } from './spawn.js';
import type { ProcessPlan } from './spawn.js';
import type {
  EngineSandbox,
  SandboxIdentity,
  SandboxLaunch,
  SandboxLimits,
  SandboxResult,
} from './types.js';
import { validateLaunch } from './validate.js';

/** Where Debian's bubblewrap package installs bwrap. */
export const DEFAULT_BWRAP_PATH = '/usr/bin/bwrap';
/** Where util-linux installs prlimit. */
export const DEFAULT_PRLIMIT_PATH = '/usr/bin/prlimit';

/** Options of BubblewrapSandbox.create. */
export interface BubblewrapOptions {
  readonly bwrapPath?: string;
  readonly prlimitPath?: string;
  /** Default: 'host-uid' when the authority runs as root, else 'userns'. */
  readonly identity?: SandboxIdentity;
  /**
   * At most this many engines run at once; further launches wait in a FIFO queue (the wall time
   * starts at spawn). Default: {@link defaultMaxConcurrentLaunches}.
   */
  readonly maxConcurrentLaunches?: number;
  /**
   * Host uids for per-launch identities (host-uid identity only): every flight-plan launch runs
   * as a uid of its own from this range, so RLIMIT_NPROC is its own. Take-off keeps uid 65534,
   * the owner of the workspaces it writes. Default: {@link DEFAULT_LAUNCH_UIDS}.
   */
  readonly launchUids?: UidRange;
}

/** Generous limits for the one-off availability probe (a few shell commands). */
const PROBE_LIMITS: SandboxLimits = {
  wallTimeMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  stdoutBytes: 4096,
  stderrBytes: 4096,
  fileSizeBytes: 1024 * 1024,
  processes: 4096,
};

/** How much of the probe's stderr goes into the error message. */
const PROBE_STDERR_CHARS = 500;

function unavailable(message: string, options?: { cause?: unknown }): never {
  throw new ClearanceError('SANDBOX_UNAVAILABLE', message, options);
}

/** An absolute path to an executable file, or SANDBOX_UNAVAILABLE naming how to install it. */
async function requireBinary(path: string, name: string, pkg: string): Promise<void> {
  const hint = `${name} is required to run engines; install it with \`apt-get install ${pkg}\``;
  if (!isAbsolute(path)) unavailable(`${name} path must be absolute: ${path}; ${hint}`);
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
    await access(path, constants.X_OK);
  } catch (err) {
    unavailable(`${name} not found or not executable at ${path}; ${hint}`, { cause: err });
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The identity to use; refuses combinations that would weaken the sandbox silently. */
function resolveIdentity(requested: SandboxIdentity | undefined): SandboxIdentity {
  const root = isRoot();
  const identity = requested ?? (root ? 'host-uid' : 'userns');
  if (identity === 'host-uid' && !root) {
    unavailable('host-uid sandbox identity needs the authority to run as root; use userns');
  }
  if (identity === 'userns' && root) {
    // The engine would be host root outside its namespace: never do that quietly.
    unavailable('userns sandbox identity would run engines as host root; use host-uid');
  }
  if (identity !== 'host-uid' && identity !== 'userns') unavailable('unknown sandbox identity');
  return identity;
}

/** Runs engines under bubblewrap with prlimit limits; see SandboxLaunch for the mount rules. */
export class BubblewrapSandbox implements EngineSandbox {
  readonly kind = 'bubblewrap';

  private constructor(
    private readonly bwrapPath: string,
    private readonly prlimitPath: string,
    /** Who the engine runs as (see SandboxIdentity). */
    readonly identity: SandboxIdentity,
    /** The launch queue and the per-launch uids. */
    readonly slots: LaunchSlots,
  ) {}

  /**
   * Check that bubblewrap and prlimit exist and that a trivial sandbox runs with the chosen
   * identity. Any failure is SANDBOX_UNAVAILABLE; nothing else is launched.
   */
  static async create(options: BubblewrapOptions = {}): Promise<BubblewrapSandbox> {
    if (process.platform !== 'linux') unavailable('the bubblewrap sandbox needs Linux');
    const bwrapPath = options.bwrapPath ?? DEFAULT_BWRAP_PATH;
    const prlimitPath = options.prlimitPath ?? DEFAULT_PRLIMIT_PATH;
    await requireBinary(bwrapPath, 'bubblewrap (bwrap)', 'bubblewrap');
    await requireBinary(prlimitPath, 'prlimit', 'util-linux');
    const identity = resolveIdentity(options.identity);
    const slots = new LaunchSlots(
      options.maxConcurrentLaunches ?? defaultMaxConcurrentLaunches(),
      // Only root can start a launcher under another uid.
      identity === 'host-uid' ? (options.launchUids ?? DEFAULT_LAUNCH_UIDS) : undefined,
    );
    const sandbox = new BubblewrapSandbox(bwrapPath, prlimitPath, identity, slots);
    await sandbox.probe();
    return sandbox;
  }

  /**
   * Launch one engine; resolves once every process of the sandbox is gone. Waits for a launch
   * slot first; a flight-plan launch runs as a per-launch uid (see BubblewrapOptions.launchUids).
   */
  async run(launch: SandboxLaunch): Promise<SandboxResult> {
    validateLaunch(launch);
    const slot = await this.slots.acquire(launch.mode === 'flight-plan');
    try {
      const owner = this.owner(slot.uid);
      await prepareMounts(launch, owner);
      return await runSandboxProcess(
        this.plan(
          {
            prlimitArgs: buildPrlimitArgs(launch.limits),
            bwrapOptions: buildBwrapOptions(launch, this.identity),
            command: buildEngineCommand(launch),
            stdin: launch.stdin,
            limits: launch.limits,
          },
          owner,
        ),
      );
    } finally {
      slot.release();
    }
  }

  /** Host uid/gid of a launch: its own uid, else 65534; none under userns. */
  private owner(uid: number | undefined): HostOwner | undefined {
    if (this.identity !== 'host-uid') return undefined;
    return uid === undefined ? { uid: SANDBOX_UID, gid: SANDBOX_GID } : { uid, gid: uid };
  }

  private plan(
    parts: {
      prlimitArgs: string[];
      bwrapOptions: string[];
      command: readonly string[];
      stdin: Uint8Array;
      limits: SandboxLimits;
    },
    owner: HostOwner | undefined,
  ): ProcessPlan {
    const { limits, ...rest } = parts;
    return {
      ...rest,
      bwrapPath: this.bwrapPath,
      prlimitPath: this.prlimitPath,
      wallTimeMs: limits.wallTimeMs,
      stdoutBytes: limits.stdoutBytes,
      stderrBytes: limits.stderrBytes,
      ...(owner === undefined ? {} : { credentials: owner }),
    };
  }

  /**
   * One probe, as a per-launch uid when a range is configured (the less usual identity: a uid
   * with no account; if it works, 65534 works the same way), else as 65534.
   */
  private async probe(): Promise<void> {
    const slot = await this.slots.acquire(true);
    try {
      await this.probeAs(this.owner(slot.uid));
    } finally {
      slot.release();
    }
  }

  private async probeAs(owner: HostOwner | undefined): Promise<void> {
    let result: SandboxResult;
    try {
      result = await runSandboxProcess(
        this.plan(
          {
            prlimitArgs: buildPrlimitArgs(PROBE_LIMITS),
            bwrapOptions: buildProbeOptions(this.identity),
            command: PROBE_COMMAND,
            stdin: new Uint8Array(0),
            limits: PROBE_LIMITS,
          },
          owner,
        ),
      );
    } catch (err) {
      unavailable(`bubblewrap sandbox could not be started (${this.bwrapPath})`, { cause: err });
    }
    if (result.exitCode !== 0 || result.stdout.toString('utf8') !== `${PROBE_OK}\n`) {
      const stderr = result.stderr.toString('utf8').slice(0, PROBE_STDERR_CHARS).trim();
      unavailable(
        `bubblewrap sandbox probe failed (exit ${String(result.exitCode)}` +
          `${result.signal === null ? '' : `, ${result.signal}`}): ${stderr}`,
      );
    }
  }
}
