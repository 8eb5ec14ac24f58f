/**
 * I11-6: a v1 home written by an earlier build (test/fixtures/home-v1/home, made by its
 * generate.mjs) is opened by today's code. A change to the WAL, audit, run-index, CAS or config
 * format that breaks existing homes fails here. Covers WAL-4 (recovery replays old WALs), AUD-5
 * and AUD-8 (the old chain verifies and is appended to, never rewritten) and RMOS S3 (old run
 * artifacts stay listed and intact).
 */
import { chmod, cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAuthority } from '@clearance/authority';
import { main, type Io } from '@clearance/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('../fixtures/home-v1/', import.meta.url));

interface Expected {
  readonly workflows: readonly {
    workflow_id: string;
    engine: string;
    state: string;
    plan_token_hash: string;
  }[];
  readonly runs: readonly string[];
}

let root = '';
let home = '';
let expected: Expected;

/** Git keeps neither modes nor empty folders: give the copy the modes a home is created with. */
async function restrictModes(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await restrictModes(path);
    else await chmod(path, 0o600);
  }
}

/** Run the CLI in-process; its exit code and everything it printed. */
async function cli(...argv: string[]): Promise<{ code: number; text: string }> {
  const printed: string[] = [];
  const io: Io = { out: (t) => printed.push(t), err: (t) => printed.push(t) };
  return { code: await main(argv, io), text: printed.join('\n') };
}

beforeAll(async () => {
  expected = JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
  root = await mkdtemp(join(tmpdir(), 'clearance-home-v1-'));
  await chmod(root, 0o711);
  home = join(root, 'home');
  await cp(join(FIXTURE, 'home'), home, { recursive: true });
  await restrictModes(home);
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('I11-6: the committed v1 home replays with today’s code', () => {
  it('the fixture holds every kind of workflow: completed patch and cnc (with a spool release), rejected, denied, failed', () => {
    const kinds = expected.workflows.map((w) => `${w.engine}:${w.state}`).sort();
    expect(kinds).toEqual([
      'cnc:COMPLETED',
      'cnc:FAILED',
      'cnc:FAILED',
      'cnc:FAILED',
      'patch:COMPLETED',
      'patch:FAILED',
    ]);
    expect(expected.runs.length).toBeGreaterThan(0);
  });

  it('WAL-4 / AUD-8: recovery opens it; every workflow keeps its state and plan_token_hash; the runs are all listed', async () => {
    const runtime = await openAuthority({ homeDir: home });
    try {
      expect(await runtime.orchestrator.list()).toHaveLength(expected.workflows.length);
      for (const recorded of expected.workflows) {
        expect(await runtime.orchestrator.get(recorded.workflow_id)).toMatchObject(recorded);
      }
      expect(
        runtime.runs
          .list()
          .map((r) => r.run_id)
          .sort(),
      ).toEqual(expected.runs);
      for (const id of expected.runs) {
        const run = await runtime.runs.get(id);
        expect(run.run_id).toBe(id);
      }
    } finally {
      await runtime.close();
    }
  });

  it('AUD-5: `clearance audit verify` passes on the replayed home', async () => {
    const r = await cli('audit', 'verify', '--home', home);
    expect(r.code, r.text).toBe(0);
  });

  it('`clearance audit verify --deep` passes offline: WALs, CAS, runs, approvals, plan-tokens, spool', async () => {
    const r = await cli('audit', 'verify', '--deep', '--home', home, '--json');
    expect(r.code, r.text).toBe(0);
  });

  it('the released program is still in the spool, byte for byte as the store holds it', async () => {
    const spool = await readdir(join(home, 'spool'));
    expect(spool.filter((f) => f.endsWith('.gcode'))).toHaveLength(1);
    expect((await stat(join(home, 'spool', spool[0] ?? ''))).size).toBeGreaterThan(0);
  });
});
