/**
 * Host-side preparation of one launch: the mount sources must be what they claim to be, and the
 * per-run directories are handed to the sandbox user.
 */
import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import type { SandboxLaunch } from './types.js';

/** Host uid/gid that owns a launch's per-run directories (and runs its launcher). */
export interface HostOwner {
  readonly uid: number;
  readonly gid: number;
}

/** Mode of the per-run directories: the sandbox user only. */
export const RUN_DIR_MODE = 0o700;

function fail(message: string, field: string, cause?: unknown): never {
  throw new ClearanceError('SANDBOX_FAILED', message, {
    cause,
    detail: { field },
  });
}

async function requireKind(path: string, field: string, kind: 'file' | 'directory'): Promise<void> {
  const info = await stat(path).catch((err: unknown) =>
    fail(`${field} does not exist`, field, err),
  );
  const ok = kind === 'file' ? info.isFile() : info.isDirectory();
  if (!ok) fail(`${field} is not a ${kind}`, field);
}

/**
 * Give a per-run directory to the launch's host owner (host-uid identity: 65534 or the
 * launch's own uid) and make it private (mode 0700).
 * O_NOFOLLOW: a symlink planted in place of the directory must not redirect the chown.
 */
async function handOver(
  path: string,
  field: string,
  owner: HostOwner | undefined,
  mustBeEmpty: boolean,
): Promise<void> {
  const flags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
  const handle = await open(path, flags).catch((err: unknown) =>
    fail(`${field} must be an existing directory (not a symlink)`, field, err),
  );
  try {
    if (mustBeEmpty && (await readdir(path)).length > 0) fail(`${field} must be empty`, field);
    if (owner !== undefined) await handle.chown(owner.uid, owner.gid);
    await handle.chmod(RUN_DIR_MODE);
  } finally {
    await handle.close();
  }
}

/** True when `inner` is `outer` or lies inside it. */
function within(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * No mount source may contain another: a temp dir inside the workspace would be a writable window
 * into a read-only workspace, and a shared artifacts/temp dir would defeat the read-only copy.
 */
async function requireDisjoint(sources: readonly (readonly [string, string])[]): Promise<void> {
  const real = await Promise.all(
    sources.map(([field, path]) =>
      realpath(path).catch((err: unknown) => fail(`${field} does not exist`, field, err)),
    ),
  );
  for (let i = 0; i < real.length; i++) {
    for (let j = i + 1; j < real.length; j++) {
      const a = real[i];
      const b = real[j];
      if (a !== undefined && b !== undefined && (within(a, b) || within(b, a))) {
        const field = sources[j]?.[0] ?? 'mounts';
        fail('mount sources must not overlap', field);
      }
    }
  }
}

/**
 * Check the mount sources and hand the per-run directories over. The workspace is left alone:
 * its readability by any uid (flight-plan runs as a per-launch uid: the "other" permission bits)
 * and its writability by uid 65534 (take-off) are the caller's job.
 */
export async function prepareMounts(
  launch: SandboxLaunch,
  owner: HostOwner | undefined,
): Promise<void> {
  const { mounts } = launch;
  await requireKind(launch.executable, 'executable', 'file');
  await requireKind(mounts.workspace, 'mounts.workspace', 'directory');
  const sources: [string, string][] = [
    ['mounts.workspace', mounts.workspace],
    ['mounts.artifacts', mounts.artifacts],
    ['mounts.temp', mounts.temp],
  ];
  if (mounts.output !== undefined) sources.push(['mounts.output', mounts.output]);
  await requireDisjoint(sources);
  // Flight-plan artifacts start fresh and empty (ORCH-1); take-off gets a restored copy.
  await handOver(mounts.artifacts, 'mounts.artifacts', owner, launch.mode === 'flight-plan');
  await handOver(mounts.temp, 'mounts.temp', owner, true);
  if (mounts.output !== undefined) {
    await handOver(mounts.output, 'mounts.output', owner, true);
  }
}
