/** Shared set-up for the sandbox tests: per-run directories, launches and process checks. */
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxLaunch, SandboxLimits, SandboxMode } from '../../src/sandbox/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const NODE = '/usr/bin/node';
export const NOBODY = 65534;

export const LIMITS: SandboxLimits = {
  wallTimeMs: 30_000,
  memoryBytes: 512 * 1024 * 1024,
  stdoutBytes: 1024 * 1024,
  stderrBytes: 64 * 1024,
  fileSizeBytes: 16 * 1024 * 1024,
  processes: 512,
};

/** A temp root that uid 65534 can traverse (mkdtemp makes 0700 folders). */
export async function makeRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-sandbox-'));
  await chmod(root, 0o711);
  return root;
}

export async function removeRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

export interface RunDirs {
  readonly workspace: string;
  readonly artifacts: string;
  readonly temp: string;
  readonly output: string;
  readonly engines: string;
}

/** Fresh per-run folders under `root`; the workspace holds existing.txt ("original"). */
export async function makeRun(root: string): Promise<RunDirs> {
  const run = await mkdtemp(join(root, 'run-'));
  await chmod(run, 0o711);
  const dirs: RunDirs = {
    workspace: join(run, 'workspace'),
    artifacts: join(run, 'artifacts'),
    temp: join(run, 'temp'),
    output: join(run, 'output'),
    engines: join(run, 'engines'),
  };
  for (const dir of Object.values(dirs)) await mkdir(dir, { mode: 0o755 });
  await writeFile(join(dirs.workspace, 'existing.txt'), 'original', { mode: 0o644 });
  // The workspace and the engine copies belong to uid 65534 and are writable by anyone (flight-
  // plans run as a per-launch uid, U4), so file permissions would let the engine write them:
  // only the read-only mounts stand in the way (EROFS, not EACCES).
  await chown(dirs.workspace, NOBODY, NOBODY);
  await chown(join(dirs.workspace, 'existing.txt'), NOBODY, NOBODY);
  await chmod(dirs.workspace, 0o777);
  await chmod(join(dirs.workspace, 'existing.txt'), 0o666);
  // Engines are copied out of the repository so that nothing can touch the fixtures themselves.
  for (const name of await readdir(FIXTURES)) {
    await copyFile(join(FIXTURES, name), join(dirs.engines, name));
    await chmod(join(dirs.engines, name), 0o666);
    await chown(join(dirs.engines, name), NOBODY, NOBODY);
  }
  return dirs;
}

/** A node-engine launch of `fixture` over `dirs`. */
export function nodeLaunch(
  dirs: RunDirs,
  mode: SandboxMode,
  fixture: string,
  extra: { args?: readonly string[]; limits?: Partial<SandboxLimits>; stdin?: string } = {},
): SandboxLaunch {
  return {
    mode,
    executable: join(dirs.engines, fixture),
    interpreter: NODE,
    args: extra.args ?? [],
    mounts: {
      workspace: dirs.workspace,
      artifacts: dirs.artifacts,
      temp: dirs.temp,
      ...(mode === 'take-off' ? { output: dirs.output } : {}),
    },
    stdin: Buffer.from(extra.stdin ?? '{}'),
    limits: { ...LIMITS, ...extra.limits },
  };
}

/** Host pids of the processes whose pid namespace is `ns` (e.g. "pid:[4026532181]"). */
export async function pidsInNamespace(ns: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const link = await readlink(`/proc/${entry}/ns/pid`).catch(() => undefined);
    if (link === ns) pids.push(Number(entry));
  }
  return pids;
}

/** Resolve once `predicate` holds, checking every 20 ms (no deadline: the test timeout is it). */
export async function waitFor(predicate: () => Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, 20));
}

export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}
