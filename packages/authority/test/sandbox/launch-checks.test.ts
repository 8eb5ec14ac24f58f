/**
 * Host-side checks before a launch (SANDBOX_FAILED, nothing started) and the hand-over of the
 * per-run directories to uid 65534 (ORCH-1).
 */
import { chmod, chown, mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BubblewrapSandbox } from '../../src/sandbox/index.js';
import type { SandboxLaunch } from '../../src/sandbox/index.js';
import { NOBODY, codeOf, makeRoot, makeRun, nodeLaunch, removeRoot } from './helpers.js';
import type { RunDirs } from './helpers.js';

let root: string;
let markers: string;
let sandbox: BubblewrapSandbox;

beforeAll(async () => {
  root = await makeRoot();
  markers = join(root, 'markers');
  await mkdir(markers);
  await chmod(markers, 0o777);
  const prlimit = join(root, 'prlimit');
  await writeFile(prlimit, `#!/bin/sh\n: > "${markers}/launch-$$"\nexec /usr/bin/prlimit "$@"\n`, {
    mode: 0o755,
  });
  sandbox = await BubblewrapSandbox.create({ prlimitPath: prlimit });
});
afterAll(async () => {
  await removeRoot(root);
});

let dirs: RunDirs;
beforeEach(async () => {
  dirs = await makeRun(root);
});

async function launches(): Promise<number> {
  return (await readdir(markers)).length;
}

/** Run `launch`; expect SANDBOX_FAILED and no process started. */
async function refused(launch: SandboxLaunch): Promise<void> {
  const before = await launches();
  expect(await codeOf(sandbox.run(launch))).toBe('SANDBOX_FAILED');
  expect(await launches()).toBe(before);
}

describe('launch checks', () => {
  it('refuses a flight-plan whose artifacts dir is not empty (stale artifact, ORCH-1)', async () => {
    await writeFile(join(dirs.artifacts, 'stale.json'), '{}');
    await refused(nodeLaunch(dirs, 'flight-plan', 'introspect.mjs'));
  });

  // Also proves ENG-16 (each launch gets a fresh, empty temp dir).
  it('refuses a temp or output dir that is not empty (ORCH-2)', async () => {
    await writeFile(join(dirs.temp, 'left-over'), 'x');
    await refused(nodeLaunch(dirs, 'flight-plan', 'introspect.mjs'));
    const other = await makeRun(root);
    await writeFile(join(other.output, 'left-over'), 'x');
    await refused(nodeLaunch(other, 'take-off', 'introspect.mjs'));
  });

  it('refuses a per-run dir that is a symlink, without chowning its target', async () => {
    const target = join(root, 'precious');
    await mkdir(target, { mode: 0o755 });
    const link = join(root, `link-${Date.now()}`);
    await symlink(target, link);
    const launch = nodeLaunch(dirs, 'flight-plan', 'introspect.mjs');
    await refused({ ...launch, mounts: { ...launch.mounts, artifacts: link } });
    const info = await stat(target);
    expect([info.uid, info.mode & 0o777]).toEqual([0, 0o755]);
  });

  it('refuses overlapping mounts (temp inside the workspace, artifacts = temp)', async () => {
    const inside = join(dirs.workspace, 'tmp');
    await mkdir(inside);
    const launch = nodeLaunch(dirs, 'flight-plan', 'introspect.mjs');
    await refused({ ...launch, mounts: { ...launch.mounts, temp: inside } });
    await refused({ ...launch, mounts: { ...launch.mounts, temp: dirs.artifacts } });
  });

  it('refuses a missing workspace or engine file', async () => {
    const launch = nodeLaunch(dirs, 'flight-plan', 'introspect.mjs');
    await refused({ ...launch, mounts: { ...launch.mounts, workspace: join(root, 'none') } });
    await refused({ ...launch, executable: join(dirs.engines, 'none.mjs') });
    await refused({ ...launch, executable: dirs.engines });
  });

  it('accepts a take-off whose artifacts dir holds the restored copy', async () => {
    await writeFile(join(dirs.artifacts, 'restored.json'), '{}', { mode: 0o644 });
    const before = await launches();
    const result = await sandbox.run(nodeLaunch(dirs, 'take-off', 'introspect.mjs'));
    expect(result.exitCode).toBe(0);
    expect(await launches()).toBe(before + 1);
  });
});

describe('directory hand-over (host-uid)', () => {
  it('chowns artifacts, temp and output to 65534 with mode 0700, and leaves the workspace alone', async () => {
    await chown(dirs.workspace, 0, 0);
    await chmod(dirs.workspace, 0o755);
    const result = await sandbox.run(nodeLaunch(dirs, 'take-off', 'introspect.mjs'));
    expect(result.exitCode).toBe(0);
    for (const dir of [dirs.artifacts, dirs.temp, dirs.output]) {
      const info = await stat(dir);
      expect([info.uid, info.gid, info.mode & 0o777]).toEqual([NOBODY, NOBODY, 0o700]);
    }
    const ws = await stat(dirs.workspace);
    expect([ws.uid, ws.gid, ws.mode & 0o777]).toEqual([0, 0, 0o755]);
  });
});
