import { execFileSync } from 'node:child_process';
import { appendFile, chmod, mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffWorkspaces, hashWorkspace } from '../../src/plan/index.js';
import { errorOf, removeTemps, sha, tempDir } from './helpers.js';

describe('hashWorkspace (§4.2.5)', () => {
  let root: string;
  beforeEach(async () => {
    root = await tempDir('clearance-ws-');
    await mkdir(join(root, 'src'));
    await writeFile(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    await writeFile(join(root, 'README.md'), '# hi\n');
  });
  afterEach(removeTemps);

  it('records sorted POSIX paths with type, exec bit, size and content hash', async () => {
    await chmod(join(root, 'README.md'), 0o644);
    const snap = await hashWorkspace(root);
    expect(snap.entries.map((e) => e.path)).toEqual(['README.md', 'src', 'src/a.ts']);
    expect(snap.entries[0]).toEqual({
      path: 'README.md',
      type: 'file',
      mode_exec: false,
      size: 5,
      sha256: sha('# hi\n'),
    });
    expect(snap.entries[1]).toMatchObject({ type: 'dir', size: 0 });
    expect(snap).toMatchObject({ files: 2, bytes: 5 + 20, exclude: [] });
  });

  it('is deterministic: the same tree hashes the same', async () => {
    expect((await hashWorkspace(root)).hash).toBe((await hashWorkspace(root)).hash);
  });

  const mutations: [string, (root: string) => Promise<void>][] = [
    ['one appended byte (S-14)', (r) => appendFile(join(r, 'src', 'a.ts'), 'x')],
    ['a same-size content change', (r) => writeFile(join(r, 'README.md'), '# ho\n')],
    ['a new file (S-14)', (r) => writeFile(join(r, 'new.txt'), '')],
    ['a new empty directory', (r) => mkdir(join(r, 'empty'))],
    ['an exec bit (S-14 chmod)', (r) => chmod(join(r, 'README.md'), 0o755)],
    ['a rename', (r) => rename(join(r, 'README.md'), join(r, 'README.txt'))],
    ['a new symlink', (r) => symlink('README.md', join(r, 'link'))],
  ];
  it.each(mutations)('changes the hash on %s', async (_label, mutate) => {
    await chmod(join(root, 'README.md'), 0o644);
    const before = await hashWorkspace(root);
    await mutate(root);
    const after = await hashWorkspace(root);
    expect(after.hash).not.toBe(before.hash);
    const diff = diffWorkspaces(before, after);
    expect(diff.added.length + diff.removed.length + diff.changed.length).toBeGreaterThan(0);
  });

  it('does not follow symlinks: it records the target, and target content outside is not hashed', async () => {
    const outside = await tempDir('clearance-ws-outside-');
    await writeFile(join(outside, 'secret'), 'v1');
    await symlink(join(outside, 'secret'), join(root, 'link'));
    await symlink(outside, join(root, 'dirlink'));
    const before = await hashWorkspace(root);
    const link = before.entries.find((e) => e.path === 'link');
    expect(link).toEqual({
      path: 'link',
      type: 'symlink',
      mode_exec: false,
      size: Buffer.byteLength(join(outside, 'secret')),
      link_target: join(outside, 'secret'),
    });
    expect(before.entries.some((e) => e.path.startsWith('dirlink/'))).toBe(false);
    await writeFile(join(outside, 'secret'), 'v2 changed');
    expect((await hashWorkspace(root)).hash).toBe(before.hash);
  });

  it('a retargeted symlink changes the hash', async () => {
    await symlink('README.md', join(root, 'link'));
    const before = await hashWorkspace(root);
    await rename(join(root, 'link'), join(root, 'tmp'));
    await symlink('src/a.ts', join(root, 'link'));
    await rename(join(root, 'tmp'), join(root, 'old'));
    const diff = diffWorkspaces(before, await hashWorkspace(root));
    expect(diff).toEqual({ added: ['old'], removed: [], changed: ['link'] });
  });

  it('a FIFO fails with WORKSPACE_INVALID (and is never opened)', async () => {
    execFileSync('mkfifo', [join(root, 'src', 'pipe')]);
    const err = await errorOf(hashWorkspace(root));
    expect(err?.code).toBe('WORKSPACE_INVALID');
    expect(err?.detail).toEqual({ path: 'src/pipe' });
  });

  it('an excluded FIFO is never looked at', async () => {
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await expect(hashWorkspace(root, { exclude: ['pipe'] })).resolves.toBeDefined();
  });

  it('exclusions leave out a subtree and are part of the hashed object', async () => {
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git', 'index'), 'stat data');
    const all = await hashWorkspace(root);
    const ex = await hashWorkspace(root, { exclude: ['.git/'] });
    expect(ex.entries.some((e) => e.path.startsWith('.git'))).toBe(false);
    expect(ex.exclude).toEqual(['.git/']);
    await writeFile(join(root, '.git', 'index'), 'rewritten stat data');
    expect((await hashWorkspace(root, { exclude: ['.git/'] })).hash).toBe(ex.hash);
    expect((await hashWorkspace(root, { exclude: ['.git'] })).hash).not.toBe(ex.hash);
    expect(all.hash).not.toBe(ex.hash);
    // An exclusion that matches nothing still changes the hash: the list itself is bound.
    const unused = await hashWorkspace(root, { exclude: ['.git/', 'nothing-here'] });
    expect(unused.entries).toEqual(ex.entries);
    expect(unused.hash).not.toBe(ex.hash);
  });

  it('exclusion order and duplicates do not matter', async () => {
    const a = await hashWorkspace(root, { exclude: ['x', 'y/', 'x'] });
    const b = await hashWorkspace(root, { exclude: ['y/', 'x'] });
    expect(a.hash).toBe(b.hash);
  });

  it.each(['', '/abs', '../up', 'a/../b', './a', 'a//b', '/'])(
    'rejects the exclusion %j',
    async (e) => {
      expect((await errorOf(hashWorkspace(root, { exclude: [e] })))?.code).toBe(
        'WORKSPACE_INVALID',
      );
    },
  );

  it('limits: too many entries or bytes fail with WORKSPACE_INVALID', async () => {
    await expect(hashWorkspace(root, { maxEntries: 3 })).resolves.toBeDefined();
    expect((await errorOf(hashWorkspace(root, { maxEntries: 2 })))?.code).toBe('WORKSPACE_INVALID');
    await expect(hashWorkspace(root, { maxBytes: 25 })).resolves.toBeDefined();
    expect((await errorOf(hashWorkspace(root, { maxBytes: 24 })))?.code).toBe('WORKSPACE_INVALID');
  });

  it('a root that is missing, a file or a symlink fails with WORKSPACE_INVALID', async () => {
    const other = await tempDir('clearance-ws-link-');
    await symlink(root, join(other, 'ws'));
    for (const r of [join(root, 'missing'), join(root, 'README.md'), join(other, 'ws')]) {
      expect((await errorOf(hashWorkspace(r)))?.code).toBe('WORKSPACE_INVALID');
    }
  });

  it('a file name that is not UTF-8 fails with WORKSPACE_INVALID', async () => {
    const name = Buffer.concat([Buffer.from(join(root, 'bad-')), Buffer.of(0xff)]);
    await writeFile(name, 'x');
    expect((await errorOf(hashWorkspace(root)))?.code).toBe('WORKSPACE_INVALID');
  });

  it('hashes files larger than one read chunk by streaming', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x61);
    await writeFile(join(root, 'big.bin'), big);
    const snap = await hashWorkspace(root);
    expect(snap.entries.find((e) => e.path === 'big.bin')?.sha256).toBe(sha(big));
  });
});
