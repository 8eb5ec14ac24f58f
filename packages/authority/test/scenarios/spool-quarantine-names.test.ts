/**
 * Issue 10, B2 (audit of the merged result): spool reconciliation runs on every start, so moving an
 * entry into `spool/quarantine/` must not fail on names it meets there — a note left by a crash
 * between the note write and the move, or a planted name too long for its note — or the authority
 * could never start again (and the error was a bare errno, not a ClearanceError).
 */
import { lstat, mkdir, readdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deepVerifyHome, openAuthority } from '../../src/index.js';
import { greenJob, prepareCncHome } from './cnc-harness.js';
import { cleanup } from './harness.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await cleanup(r);
});

async function runnable(spool: string): Promise<string[]> {
  return (await readdir(spool)).filter((n) => n !== 'quarantine').sort();
}

/**
 * Plant something in the spool of a fresh cnc home, open the authority and require that it starts,
 * quarantines exactly one file and leaves nothing runnable; `more` checks further while it is open.
 */
async function quarantinedOnOpen(
  plant: (spool: string) => Promise<void>,
  more: (spool: string) => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const { root, homeDir, spool } = await prepareCncHome();
  roots.push(root);
  await plant(spool);
  const a = await openAuthority({ homeDir });
  try {
    expect(a.recovery.filter((x) => x.from === 'spool')).toHaveLength(1);
    expect(await runnable(spool)).toEqual([]);
    await more(spool);
  } finally {
    await a.close();
  }
}

describe('spool quarantine names (B2)', () => {
  it('B2 / WAL-6, AUD-9: a crash between the quarantine note and the move does not stop the next start; the program is still withdrawn', async () => {
    await quarantinedOnOpen(async (spool) => {
      await writeFile(join(spool, 'planted.nc'), 'G0 X0\n', { mode: 0o444 });
      // What a crash after the note write and before the rename leaves behind.
      await mkdir(join(spool, 'quarantine'), { mode: 0o700 });
      await writeFile(join(spool, 'quarantine', 'planted.nc.note.json'), '{}\n', { mode: 0o600 });
    });
  }, 120_000);

  it('B2 / AUD-9: a planted spool file whose name leaves no room for its note is still quarantined and the authority starts', async () => {
    await quarantinedOnOpen(async (spool) => {
      const long = `${'x'.repeat(250)}.nc`;
      await writeFile(join(spool, long), 'G0 X0\n', { mode: 0o444 });
    });
  }, 120_000);

  it('B2 / AUD-9: a `quarantine` symlink planted in the spool (here to the spool itself) does not keep a withdrawn program runnable', async () => {
    await quarantinedOnOpen(
      async (spool) => {
        await writeFile(join(spool, 'planted.nc'), 'G0 X0\n', { mode: 0o444 });
        await symlink('.', join(spool, 'quarantine'));
      },
      async (spool) => {
        const q = await lstat(join(spool, 'quarantine'));
        expect(q.isDirectory() && !q.isSymbolicLink()).toBe(true);
        expect(q.mode & 0o777).toBe(0o700);
      },
    );
  }, 120_000);

  it('B2 / WAL-6, AUD-9: a workflow that ends FAILED although its WAL records the release completion (completion batch cut short) leaves no runnable program', async () => {
    const { root, homeDir, spool } = await prepareCncHome();
    roots.push(root);
    const a = await openAuthority({ homeDir });
    let id = '';
    try {
      const o = a.orchestrator;
      const wf = await o.propose(
        {
          engine: 'cnc',
          workspace: 'demo',
          config: { job: greenJob() },
          context: {},
          stripped: [],
        },
        { name: 'agent-1', roles: ['agent'] },
      );
      id = wf.workflow_id;
      await o.approveWorkflow(id, {
        approved: true,
        reason: 'fixture checked',
        user: { name: 'alice', roles: ['approver'] },
      });
      expect((await o.takeoff(id, { name: 'olga', roles: ['operator'] })).state).toBe('COMPLETED');
    } finally {
      await a.close();
    }
    expect(await runnable(spool)).toHaveLength(1);
    // Keep the release record, lose step_completed and workflow_completed (one batch, cut short).
    const wal = join(homeDir, 'workflows', id, 'wal.jsonl');
    const lines = (await readFile(wal, 'utf8')).split('\n').filter(Boolean);
    expect(lines.at(-3)).toContain('clearance.cnc-release"');
    await writeFile(
      wal,
      lines
        .slice(0, -2)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const offline = await deepVerifyHome(homeDir);
    expect(offline.checks.find((c) => c.name === 'spool')?.problems.map((p) => p.code)).toEqual([
      'SPOOL_UNRECORDED',
    ]);
    const b = await openAuthority({ homeDir });
    try {
      expect((await b.orchestrator.get(id)).state).toBe('FAILED');
      expect(await runnable(spool)).toEqual([]);
    } finally {
      await b.close();
    }
  }, 120_000);

  it('B2 / AUD-9: a planted spool file larger than one read can hold (sparse, 2.2 GB) is quarantined; the authority still starts', async () => {
    await quarantinedOnOpen(async (spool) => {
      await writeFile(join(spool, 'huge.nc'), '');
      await truncate(join(spool, 'huge.nc'), 2_200_000_000);
    });
  }, 120_000);
});
