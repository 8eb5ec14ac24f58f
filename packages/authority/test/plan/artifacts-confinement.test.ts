/**
 * S-15 / ART-2: nothing outside ARTIFACTS_DIR is ever touched. Every path handed to node:fs by the
 * collector is recorded (the module is wrapped, not replaced) and must lie inside the directory.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const touched: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const record =
    <A extends unknown[], R>(fn: (path: string, ...rest: A) => R) =>
    (path: string, ...rest: A): R => {
      touched.push(String(path));
      return fn(path, ...rest);
    };
  return {
    ...actual,
    default: actual,
    open: record(actual.open as (p: string, ...r: unknown[]) => ReturnType<typeof actual.open>),
    lstat: record(actual.lstat as (p: string, ...r: unknown[]) => ReturnType<typeof actual.lstat>),
    stat: record(actual.stat as (p: string, ...r: unknown[]) => ReturnType<typeof actual.stat>),
    readdir: record(actual.readdir as (p: string, ...r: unknown[]) => Promise<unknown>),
    readFile: record(actual.readFile as (p: string, ...r: unknown[]) => Promise<unknown>),
    readlink: record(actual.readlink as (p: string, ...r: unknown[]) => Promise<unknown>),
    realpath: record(actual.realpath as (p: string, ...r: unknown[]) => Promise<unknown>),
  };
});

const { collectArtifacts } = await import('../../src/plan/index.js');
const { baseMeta, errorOf, receiptWith, removeTemps, sha, tempDir, writeArtifacts } =
  await import('./helpers.js');

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await tempDir('clearance-conf-');
  outside = await tempDir('clearance-conf-out-');
  await writeFile(join(outside, 'passwd'), 'root:x:0:0');
  touched.length = 0;
});
afterEach(removeTemps);

function expectConfined(): void {
  expect(touched.length).toBeGreaterThan(0);
  for (const p of touched) expect(p === dir || p.startsWith(dir + sep)).toBe(true);
}

describe('collectArtifacts never opens anything outside the directory', () => {
  it('a valid collection stays inside', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'a', body: 'b' }]);
    touched.length = 0;
    await collectArtifacts(dir, receiptWith(entries));
    expectConfined();
  });

  it('(b) body_file pointing at a file outside', async () => {
    const rel = join('..', '..', outside, 'passwd');
    const entries = await writeArtifacts(dir, [{ name: 'a', meta: baseMeta({ body_file: rel }) }]);
    touched.length = 0;
    expect((await errorOf(collectArtifacts(dir, receiptWith(entries))))?.code).toBe(
      'ARTIFACT_INVALID',
    );
    expectConfined();
  });

  it('(c) body.data and artifact.json symlinked outside', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'a', meta: baseMeta({ body_file: 'body.data' }) },
    ]);
    await symlink(join(outside, 'passwd'), join(dir, 'a', 'body.data'));
    await mkdir(join(dir, 'b'));
    await symlink(join(outside, 'passwd'), join(dir, 'b', 'artifact.json'));
    const receipt = receiptWith([...entries, { name: 'b', role: 'log', path: '', hash: sha('') }]);
    touched.length = 0;
    expect((await errorOf(collectArtifacts(dir, receipt)))?.code).toBe('ARTIFACT_INVALID');
    expectConfined();
  });

  it('(a) an artifact directory that is a symlink to a folder outside', async () => {
    await writeArtifacts(outside, [{ name: 'a' }]);
    await symlink(join(outside, 'a'), join(dir, 'a'));
    const receipt = receiptWith([{ name: 'a', role: 'log', path: '', hash: sha('') }]);
    touched.length = 0;
    expect((await errorOf(collectArtifacts(dir, receipt)))?.code).toBe('ARTIFACT_INVALID');
    expectConfined();
  });

  it('(d) a receipt naming ".." (and "../x")', async () => {
    for (const name of ['..', '../x']) {
      touched.length = 0;
      const receipt = receiptWith([{ name, role: 'log', path: '', hash: sha('') }]);
      expect((await errorOf(collectArtifacts(dir, receipt)))?.code).toBe('ARTIFACT_INVALID');
      for (const p of touched) expect(p === dir || p.startsWith(dir + sep)).toBe(true);
    }
  });
});
