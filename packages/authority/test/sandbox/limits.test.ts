/**
 * Real bubblewrap runs against the limits: wall time (ORCH-13), memory, output caps, process
 * count; and no process of the sandbox survives its run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BubblewrapSandbox } from '../../src/sandbox/index.js';
import { makeRoot, makeRun, nodeLaunch, pidsInNamespace, removeRoot } from './helpers.js';

let root: string;
let sandbox: BubblewrapSandbox;

beforeAll(async () => {
  root = await makeRoot();
  sandbox = await BubblewrapSandbox.create();
});
afterAll(async () => {
  await removeRoot(root);
});

const MiB = 1024 * 1024;

describe('wall time (ORCH-13)', () => {
  it('kills a hanging engine and its children, and reports timedOut', async () => {
    const dirs = await makeRun(root);
    // hold.mjs never sees workspace/go, so only the wall-time kill ends it.
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'hold.mjs', { limits: { wallTimeMs: 2_000 } }),
    );
    expect(result.timedOut).toBe(true);
    expect(result.stdoutOverflow).toBe(false);
    expect(result.exitCode === 137 || result.signal === 'SIGKILL').toBe(true);
    const { ns } = JSON.parse(await readFile(join(dirs.artifacts, 'ready.json'), 'utf8')) as {
      ns: string;
    };
    expect(await pidsInNamespace(ns)).toEqual([]);
  });

  it('also kills a sandbox still being set up (wall time shorter than start-up)', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'hold.mjs', { limits: { wallTimeMs: 1 } }),
    );
    expect(result.timedOut).toBe(true);
    expect(result.exitCode === 0 && result.signal === null).toBe(false);
  });

  it('does not flag an engine that finishes in time', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'chatty.mjs', { args: ['0'] }),
    );
    expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    expect(result.stdout.toString()).toBe('ok');
  });
});

describe('memory', () => {
  const limits = { memoryBytes: 256 * MiB };

  it('lets an engine use memory below the limit', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'alloc.mjs', { args: ['64'], limits }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('{"allocatedMiB":64}');
  });

  it('stops an engine allocating beyond memoryBytes', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'alloc.mjs', { args: ['512'], limits }),
    );
    expect(result.exitCode === 0 && result.signal === null).toBe(false);
    expect(result.stdout.toString()).not.toContain('allocatedMiB');
    expect(result.timedOut).toBe(false);
  });
});

describe('output caps', () => {
  it('kills an engine that floods stdout and keeps only the cap', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'spew.mjs', { limits: { stdoutBytes: 100_000 } }),
    );
    expect(result.stdoutOverflow).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.stdout.length).toBe(100_000);
    expect(result.stdout.every((byte) => byte === 0x61)).toBe(true);
    expect(result.exitCode === 0 && result.signal === null).toBe(false);
  });

  it('truncates stderr beyond its cap without killing the engine', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'chatty.mjs', {
        args: ['200000'],
        limits: { stderrBytes: 10_000 },
      }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('ok');
    expect(result.stderrTruncated).toBe(true);
    expect(result.stdoutOverflow).toBe(false);
    expect(result.stderr.length).toBe(10_000);
  });

  it('an engine that ignores its stdin does not fail the launcher (EPIPE)', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'chatty.mjs', { args: ['0'], stdin: 'x'.repeat(8 * MiB) }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('ok');
  });
});

describe('processes', () => {
  it('bounds a fork bomb with RLIMIT_NPROC and kills what it started', async () => {
    const dirs = await makeRun(root);
    // A Node engine alone needs about a dozen tasks (threads count), so the cap is 48.
    const result = await sandbox.run(
      nodeLaunch(dirs, 'flight-plan', 'forkbomb.mjs', { args: ['96'], limits: { processes: 48 } }),
    );
    expect(result.exitCode).toBe(0);
    const seen = JSON.parse(result.stdout.toString()) as {
      started: number;
      refused: number;
      codes: string[];
      ns: string;
    };
    expect(seen.started + seen.refused).toBe(96);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.started).toBeLessThan(48);
    expect(seen.codes).toEqual(['EAGAIN']);
    expect(await pidsInNamespace(seen.ns)).toEqual([]);
  });
});
