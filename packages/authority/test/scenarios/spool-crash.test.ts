/**
 * Issue 10, B2: the G-code release is write-ahead (intent recorded → published → completion
 * recorded) and recovery reconciles the spool with the WALs. The authority runs as its own
 * process and is SIGKILLed after the program reached the spool and before the WAL recorded the
 * release; reopened, the spool holds no unrecorded program (it and the temp link are in
 * `spool/quarantine/` with notes and critical audit events), and a retry yields exactly one
 * runnable program for the job.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { deepVerifyHome, openAuthority } from '../../src/index.js';
import { decideSpool, withdrawRelease } from '../../src/cnc/spool-reconcile.js';
import { greenJob, prepareCncHome } from './cnc-harness.js';
import { assertHomeConsistent, cleanup } from './harness.js';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./fixtures/fault-child.mjs', import.meta.url));
const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await cleanup(r);
});

const users = {
  approver: { name: 'alice', roles: ['approver'] },
  operator: { name: 'olga', roles: ['operator'] },
};

async function childKilledAt(homeDir: string, point: string): Promise<boolean> {
  try {
    await run(process.execPath, [CHILD, homeDir, point, JSON.stringify(greenJob())], {
      timeout: 120_000,
    });
    return false;
  } catch (err) {
    if ((err as { signal?: string }).signal === 'SIGKILL') return true;
    throw err;
  }
}

/** Runnable programs: files directly in the spool (the quarantine folder is not one). */
async function runnable(spool: string): Promise<string[]> {
  return (await readdir(spool, { withFileTypes: true }))
    .filter((e) => e.name !== 'quarantine')
    .map((e) => e.name)
    .sort();
}

describe('write-ahead G-code release (B2)', () => {
  it('B2 / WAL-6, AUD-9: SIGKILL between spool write and WAL record → reopen quarantines the unrecorded program and the temp link with critical audit events; a retry leaves exactly one runnable program', async () => {
    const { root, homeDir, spool } = await prepareCncHome();
    roots.push(root);
    expect(await childKilledAt(homeDir, 'spool-published')).toBe(true);
    // The crash left what the issue describes: a program and its temp link in the spool.
    const left = await runnable(spool);
    expect(left).toHaveLength(2);
    expect(left.filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
    // Offline, before any server touched it, the deep verifier names both (B2, AUD-9).
    const spoolProblems = async () =>
      (await deepVerifyHome(homeDir)).checks.find((c) => c.name === 'spool')?.problems ?? [];
    expect((await spoolProblems()).map((p) => p.code)).toEqual([
      'SPOOL_UNRECORDED',
      'SPOOL_UNRECORDED',
    ]);

    const first = await openAuthority({ homeDir });
    try {
      const o = first.orchestrator;
      const [crashed] = await o.list();
      expect(crashed?.state).toBe('FAILED');
      expect(crashed?.failure).toBe('take-off interrupted; outcome unknown');
      expect(await runnable(spool)).toEqual([]);
      const quarantined = (await readdir(join(spool, 'quarantine'))).sort();
      expect(quarantined.filter((n) => n.endsWith('.note.json'))).toHaveLength(2);
      const notes = await Promise.all(
        quarantined
          .filter((n) => n.endsWith('.note.json'))
          .map(
            async (n) =>
              JSON.parse(await readFile(join(spool, 'quarantine', n), 'utf8')) as {
                reason: string;
                workflow_id: string | null;
              },
          ),
      );
      expect(notes.map((n) => n.reason).sort()).toEqual(['interrupted-release', 'temp-file']);
      expect(notes.find((n) => n.reason === 'interrupted-release')?.workflow_id).toBe(
        crashed?.workflow_id,
      );
      expect(first.recovery.filter((a) => a.from === 'spool')).toHaveLength(2);
      const events = await first.home.audit.read(0, first.home.audit.size);
      const critical = events.filter((e) => e.event_type === 'spool_quarantined');
      expect(critical).toHaveLength(2);
      expect(critical.every((e) => e.severity === 'critical')).toBe(true);

      // The operator retries: exactly one runnable program for the job, the retry's.
      const retried = await o.retry(crashed?.workflow_id ?? '', users.operator);
      expect(retried.state).toBe('AWAITING_APPROVAL');
      await o.approveWorkflow(retried.workflow_id, {
        approved: true,
        reason: 'fixture checked',
        user: users.approver,
      });
      const done = await o.takeoff(retried.workflow_id, users.operator);
      expect(done.state).toBe('COMPLETED');
      const programs = await runnable(spool);
      expect(programs).toHaveLength(1);
      expect(programs[0]?.startsWith(retried.workflow_id)).toBe(true);
    } finally {
      await first.close();
    }

    // A completed, recorded release stays; an unrecorded file dropped in is withdrawn.
    await writeFile(join(spool, 'planted.nc'), 'G0 X0\n', { mode: 0o444 });
    const second = await openAuthority({ homeDir });
    try {
      expect(second.recovery.filter((a) => a.from === 'spool').map((a) => a.action)).toEqual([
        expect.stringMatching(/^quarantined spool file planted\.nc \(unrecorded\)/),
      ]);
      expect(await runnable(spool)).toHaveLength(1);
    } finally {
      await second.close();
    }
    // The one released program is a completed, recorded release: the offline check agrees.
    expect(await spoolProblems()).toEqual([]);
    await assertHomeConsistent(homeDir);
  }, 300_000);
});

describe('spool reconciliation decisions (B2)', () => {
  const rec = (file: string, sha256: string, completed: boolean) => ({
    file,
    workflowId: 'wf-1',
    sha256,
    completed,
  });
  it('B2 / AUD-9: only a completed record with equal bytes keeps its file; everything else is quarantined', () => {
    const d = decideSpool(
      [
        { name: 'done.nc', sha256: 'a' },
        { name: 'half.nc', sha256: 'b' },
        { name: 'changed.nc', sha256: 'x' },
        { name: 'stray.nc', sha256: 'c' },
        { name: '.done.nc.1.tmp', sha256: 'a' },
        { name: 'link.nc', sha256: undefined },
      ],
      [
        rec('done.nc', 'a', false),
        rec('done.nc', 'a', true),
        rec('half.nc', 'b', false),
        rec('changed.nc', 'c', true),
        rec('link.nc', 'd', true),
      ],
    );
    expect(d.map((x) => [x.name, x.action === 'keep' ? 'keep' : x.reason])).toEqual([
      ['done.nc', 'keep'],
      ['half.nc', 'interrupted-release'],
      ['changed.nc', 'bytes-differ'],
      ['stray.nc', 'unrecorded'],
      ['.done.nc.1.tmp', 'temp-file'],
      ['link.nc', 'not-a-file'],
    ]);
  });

  it('B2: a release that fails after publishing withdraws exactly its own program (other bytes stay for reconciliation)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-spool-'));
    roots.push(dir);
    await writeFile(join(dir, 'ours.nc'), 'G0 X1\n', { mode: 0o444 });
    await writeFile(join(dir, 'theirs.nc'), 'G0 X2\n', { mode: 0o444 });
    const sha = createHash('sha256').update('G0 X1\n').digest('hex');
    expect(await withdrawRelease(dir, 'ours.nc', sha, { reason: 'failed-release' })).toBe(
      'quarantine/ours.nc',
    );
    expect(await withdrawRelease(dir, 'theirs.nc', sha, { reason: 'failed-release' })).toBe(
      undefined,
    );
    expect(await withdrawRelease(dir, 'missing.nc', sha, { reason: 'x' })).toBe(undefined);
    expect(await runnable(dir)).toEqual(['theirs.nc']);
    expect((await stat(join(dir, 'quarantine'))).mode & 0o777).toBe(0o700);
  });
});
