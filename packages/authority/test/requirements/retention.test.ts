/**
 * I11-6 / AUD-13: retention must not compromise auditability. The only retention the authority
 * has is the removal of launch folders under work/ (after a flight-plan, after a failure, and the
 * sweep at open); audit/, workflows/, cas/ and runs/ have no deletion path at all (a torn,
 * never-acknowledged last line is cut only after its bytes are kept in quarantine). Removing work/
 * (by the authority or by an operator) never breaks `audit verify --deep`, and a restart keeps
 * every byte of the audit log it had.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deepVerifyHome } from '../../src/deep-verify.js';
import { assertHomeConsistent } from '../scenarios/harness.js';
import { proposePatch, restartScenario, startScenario, tsFiles } from './scenario.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * The authority's files that delete anything, each with what it deletes. A new deletion path
 * fails this list: review it against AUD-13 (it must not touch audit/, workflows/, cas/ blobs,
 * runs/ or keys/) and add it here. engines/ is left out: engines run in the sandbox and change
 * only the workspace they are given.
 */
const DELETERS: Record<string, string> = {
  // Never an acknowledged event: appends resolve only once the whole line is fsynced.
  'audit/torn-tail.ts': 'a torn last line of a JSONL file, after copying it to quarantine/',
  'orchestrator/context.ts': 'launch folders under work/ (fresh run dir, drop, sweep at open)',
  'config/registry.ts': 'a materialised engine copy that failed its digest check',
  'cas/file-store.ts': 'its own cas/tmp/*.part file when a put fails',
  'fs-util.ts': 'the temp file of an atomic write that failed',
  'lock.ts': 'home.lock on release, or a stale one',
  'cnc/spool.ts': 'its own temp file of a spool publish that failed',
};

describe('I11-6: retention and auditability (AUD-13)', () => {
  it('AUD-13: the authority deletes only launch folders and its own temp files: no deletion path for audit, WAL, store or runs', async () => {
    const deleters: string[] = [];
    for (const file of await tsFiles(SRC)) {
      const rel = relative(SRC, file);
      if (rel.startsWith('engines/')) continue;
      const code = (await readFile(file, 'utf8'))
        .split('\n')
        .filter((l) => !l.trim().startsWith('*') && !l.trim().startsWith('//'))
        .join('\n');
      if (/\b(rm|rmdir|unlink|rmSync|rmdirSync|unlinkSync|truncate|ftruncate)\s*\(/.test(code)) {
        deleters.push(rel);
      }
    }
    expect(deleters.sort()).toEqual(Object.keys(DELETERS).sort());
  });

  it('AUD-13: after work/ is swept (at open) or removed by hand, audit verify --deep passes and no audit byte is lost', async () => {
    let h = await startScenario({ 'a.txt': 'one\n' }, { rules: { default: 'allow' } });
    const done = await proposePatch(h, { path: 'a.txt', before: 'one', after: 'two' });
    expect((await h.orchestrator.takeoff(done.workflow_id, h.users.operator)).state).toBe(
      'COMPLETED',
    );
    const failed = await h.orchestrator.propose(
      {
        engine: 'patch',
        workspace: 'demo',
        config: { patch: 'not a diff' },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    expect(failed.state).toBe('FAILED');
    // Launch folders are gone once used; a crash's debris is planted for the sweep at open.
    const work = join(h.homeDir, 'work');
    await mkdir(join(work, done.workflow_id, 'takeoff', 'artifacts', 'x'), { recursive: true });
    await writeFile(
      join(work, done.workflow_id, 'takeoff', 'artifacts', 'x', 'artifact.json'),
      '{}',
    );
    const before = await readFile(join(h.homeDir, 'audit', 'events.jsonl'));
    expect((await deepVerifyHome(h.homeDir)).ok).toBe(true);

    h = await restartScenario(h);
    expect(await readdir(work)).toEqual([]);
    const after = await readFile(join(h.homeDir, 'audit', 'events.jsonl'));
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    const report = await deepVerifyHome(h.homeDir);
    expect(report.checks.flatMap((c) => c.problems)).toEqual([]);
    expect(report.ok).toBe(true);

    // An operator removing work/ entirely (the only folder meant for clean-up) changes nothing.
    await h.close();
    await rm(work, { recursive: true, force: true });
    const deep = await deepVerifyHome(h.homeDir);
    expect(deep.ok).toBe(true);
    expect(deep.checks.reduce((n, c) => n + c.checked, 0)).toBeGreaterThan(0);
    h = await restartScenario(h);
    expect((await h.orchestrator.get(done.workflow_id)).state).toBe('COMPLETED');
    await assertHomeConsistent(h.homeDir);
  });
});
