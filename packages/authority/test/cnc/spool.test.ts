/** Releasing G-code to the spool folder: write once, read-only, never replaced. */
import { mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@clearance/protocol';
import { releaseToSpool, SPOOL_FILE_MODE } from '../../src/cnc/spool.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (hasCode(err)) return err.code;
    throw err;
  }
  return 'resolved';
}

describe('releaseToSpool', () => {
  it('writes the bytes read-only and leaves no temp file', async () => {
    const spool = join(dir, 'spool');
    const path = await releaseToSpool(spool, 'wf-1-abc-program.gcode', Buffer.from('G21\nM30\n'));
    expect(await readFile(path, 'utf8')).toBe('G21\nM30\n');
    expect((await stat(path)).mode & 0o777).toBe(SPOOL_FILE_MODE);
    expect(await readdir(spool)).toEqual(['wf-1-abc-program.gcode']);
  });

  it('accepts the same bytes again but never replaces a file with other bytes', async () => {
    await releaseToSpool(dir, 'p.gcode', Buffer.from('G21\n'));
    await expect(releaseToSpool(dir, 'p.gcode', Buffer.from('G21\n'))).resolves.toBe(
      join(dir, 'p.gcode'),
    );
    expect(await code(releaseToSpool(dir, 'p.gcode', Buffer.from('G20\n')))).toBe(
      'CNC_RELEASE_FAILED',
    );
    expect(await readFile(join(dir, 'p.gcode'), 'utf8')).toBe('G21\n');
  });

  it('does not write through a symlink planted under the target name', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'keep');
    await symlink(victim, join(dir, 'p.gcode'));
    expect(await code(releaseToSpool(dir, 'p.gcode', Buffer.from('G21\n')))).toBe(
      'CNC_RELEASE_FAILED',
    );
    expect(await readFile(victim, 'utf8')).toBe('keep');
  });

  it('refuses names that could leave the folder', async () => {
    for (const name of ['../x.gcode', '.hidden', 'a/b.gcode', '', 'x'.repeat(200)]) {
      expect(await code(releaseToSpool(dir, name, Buffer.from('G21\n')))).toBe(
        'CNC_RELEASE_FAILED',
      );
    }
  });
});
