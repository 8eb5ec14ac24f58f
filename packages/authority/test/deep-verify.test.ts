/**
 * `clearance audit verify --deep` (issue 10 B4 / item 9, APR-13, GEN-6): each tamper of a real
 * home — an edited WAL line, a forged approval, an edited blob, a deleted run artifact, an edited
 * run index, a deleted audit event — is caught offline with its stable code; a pristine home is
 * intact. The library is exercised directly and the CLI through the built `clearance` binary.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import canonicalizeRef from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';
import { FileContentStore } from '../src/cas/file-store.js';
import { deepVerifyHome, loadArtifactSet, type DeepReport } from '../src/index.js';
import { ARTIFACT_SET_TYPE } from '../src/orchestrator/records.js';
import { walMac } from '../src/workflow/wal.js';
import { WalMacKey } from '../src/workflow/wal-key.js';
import { cleanup, handWorkspace, makeRoot, startHarness, testEngine } from './scenarios/harness.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface Pristine {
  readonly root: string;
  readonly home: string;
  /** A COMPLETED workflow (approved, taken off) and one still AWAITING_APPROVAL. */
  readonly done: string;
  readonly waiting: string;
  readonly waitingApproval: string;
  readonly approvalRun: { run_id: string; address: string };
  readonly artifactSet: string;
}

let p: Pristine;

beforeAll(async () => {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  const h = await startHarness(base, {
    engines: [await testEngine()],
    rules: { default: 'require_approval', default_role: 'approver' },
  });
  const propose = () =>
    h.orchestrator.propose(
      { engine: 'test', workspace: 'demo', config: { behaviour: {} }, context: {}, stripped: [] },
      h.users.agent,
    );
  const done = await propose();
  await h.orchestrator.approve({
    approvalId: done.pending_approvals[0]?.approval_id ?? '',
    approved: true,
    user: h.users.approver,
  });
  expect((await h.orchestrator.takeoff(done.workflow_id, h.users.operator)).state).toBe(
    'COMPLETED',
  );
  const waiting = await propose();
  const run = h.runs
    .list({ workflowId: done.workflow_id })
    .find((r) => r.kind === 'approval' && r.status === 'OK');
  const artifactSet = h.orchestrator.viewOf(done.workflow_id).objects[ARTIFACT_SET_TYPE];
  if (run === undefined || artifactSet === undefined) throw new Error('fixture incomplete');
  await h.close();
  p = {
    root: base.root,
    home: h.homeDir,
    done: done.workflow_id,
    waiting: waiting.workflow_id,
    waitingApproval: waiting.pending_approvals[0]?.approval_id ?? '',
    approvalRun: { run_id: run.run_id, address: run.address },
    artifactSet,
  };
}, 120_000);

afterAll(async () => {
  if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(p.root);
});

async function copy(): Promise<string> {
  const dir = join(await mkdtemp(join(p.root, 'tamper-')), 'home');
  await cp(p.home, dir, { recursive: true });
  return dir;
}

/** The distinct problem codes of one check, in the order found. */
const codes = (r: DeepReport, check: string): string[] => [
  ...new Set(r.checks.find((c) => c.name === check)?.problems.map((x) => x.code) ?? []),
];

const blobPath = (home: string, address: string) =>
  join(home, 'cas', 'sha256', address.slice(0, 2), address);

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean);
}

function cli(home: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [join(REPO, 'packages/cli/bin/clearance.mjs'), 'audit', 'verify', '--deep', '--home', home],
    { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('audit verify --deep (issue 10 B4, item 9)', () => {
  it('B4/GEN-6: a pristine home is intact in every check (exit 0)', async () => {
    const r = await deepVerifyHome(p.home);
    expect(r.checks.map((c) => [c.name, c.problems])).toEqual(
      [
        'audit',
        'wal',
        'cas',
        'runs',
        'approvals',
        'approver-signatures',
        'plan-tokens',
        'consistency',
        'spool',
      ].map((n) => [n, []]),
    );
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.name === 'plan-tokens')?.checked).toBe(2);
    expect(r.checks.find((c) => c.name === 'approvals')?.checked).toBe(1);
    const out = cli(p.home);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('home intact');
  });

  it('B2/AUD-9: a program planted in the spool that no WAL records is SPOOL_UNRECORDED (exit 1)', async () => {
    const home = await copy();
    await mkdir(join(home, 'spool'), { recursive: true });
    await writeFile(join(home, 'spool', 'planted.nc'), 'G0 X0\n', { mode: 0o444 });
    expect(codes(await deepVerifyHome(home), 'spool')).toEqual(['SPOOL_UNRECORDED']);
    const out = cli(home);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('SPOOL_UNRECORDED: planted.nc');
  });

  it('B2/AUD-9: a config.json that does not load is reported by the spool check, never replaced by the default folder', async () => {
    const home = await copy();
    await writeFile(join(home, 'config.json'), '{"version":1', { mode: 0o600 });
    expect(codes(await deepVerifyHome(home), 'spool')).toEqual(['CONFIG_INVALID']);
  });

  it('B4/WAL-5: an edited WAL line is WAL_MAC_INVALID (exit 1, code printed)', async () => {
    const home = await copy();
    const wal = join(home, 'workflows', p.done, 'wal.jsonl');
    const ls = await lines(wal);
    const i = ls.findIndex((l) => l.includes('"approval_received"'));
    ls[i] = (ls[i] ?? '').replace('"alice"', '"mally"');
    await writeFile(wal, ls.map((l) => `${l}\n`).join(''));
    expect(codes(await deepVerifyHome(home), 'wal')).toEqual(['WAL_MAC_INVALID']);
    const out = cli(home);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`WAL_MAC_INVALID: ${p.done} entry ${i}`);
  });

  it('B4/APR-13: a forged approval with a valid MAC (stolen key) is APPROVAL_UNBACKED and WAL_EVENT_MISSING', async () => {
    const home = await copy();
    const key = await WalMacKey.load(join(home, 'keys'));
    const wal = join(home, 'workflows', p.waiting, 'wal.jsonl');
    const body = {
      sequence: (await lines(wal)).length,
      timestamp: new Date().toISOString(),
      workflow_id: p.waiting,
      entry_type: 'approval_received',
      data: { approval_id: p.waitingApproval, approved: true, approver: 'alice' },
    };
    await appendFile(wal, `${canonicalizeRef({ ...body, checksum: walMac(key, body) }) ?? ''}\n`);
    const r = await deepVerifyHome(home);
    expect(codes(r, 'wal')).toEqual([]);
    expect(codes(r, 'consistency')).toEqual(['WAL_EVENT_MISSING', 'APPROVAL_UNBACKED']);
    expect(cli(home).status).toBe(1);
  });

  it('B4/GEN-6: an edited artifact blob is CAS_BLOB_CORRUPT and PLAN_TOKEN_MISMATCH', async () => {
    const home = await copy();
    const set = await loadArtifactSet(
      await FileContentStore.open(join(home, 'cas')),
      p.artifactSet,
    );
    const body = set.artifacts.find((a) => a.body !== null)?.body;
    if (body === undefined || body === null) throw new Error('no artifact body');
    const path = blobPath(home, body.address);
    await chmod(path, 0o644);
    const bytes = await readFile(path);
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    await writeFile(path, bytes);
    const r = await deepVerifyHome(home);
    expect(codes(r, 'cas')).toEqual(['CAS_BLOB_CORRUPT']);
    expect(codes(r, 'plan-tokens')).toEqual(['PLAN_TOKEN_MISMATCH']);
  });

  it('B4/APR-13: a deleted run artifact is RUN_ARTIFACT_MISSING and its approval APPROVAL_UNBACKED', async () => {
    const home = await copy();
    await rm(blobPath(home, p.approvalRun.address));
    const r = await deepVerifyHome(home);
    expect(codes(r, 'runs')).toEqual(['RUN_ARTIFACT_MISSING']);
    expect(codes(r, 'consistency')).toEqual(['APPROVAL_UNBACKED']);
  });

  it('B4/AUD-5: an edited run index line is RUN_INDEX_MISMATCH; a removed one RUN_ARTIFACT_UNINDEXED', async () => {
    const home = await copy();
    const index = join(home, 'runs', 'index.jsonl');
    const ls = await lines(index);
    const i = ls.findIndex((l) => l.includes(p.approvalRun.run_id));
    const edited = parseJsonStrict(ls[i] ?? '') as JsonObject;
    ls[i] = canonicalizeRef({ ...edited, status: 'BLOCKED' }) ?? '';
    await writeFile(index, ls.map((l) => `${l}\n`).join(''));
    expect(codes(await deepVerifyHome(home), 'runs')).toEqual(['RUN_INDEX_MISMATCH']);
    await writeFile(
      index,
      ls
        .filter((_, j) => j !== i)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const r = await deepVerifyHome(home);
    expect(codes(r, 'runs')).toEqual(['RUN_ARTIFACT_UNINDEXED']);
    expect(codes(r, 'consistency')).toEqual(['APPROVAL_UNBACKED']);
  });

  it('B4/AUD-5: a deleted audit event is AUDIT_BROKEN and its WAL entry WAL_EVENT_MISSING', async () => {
    const home = await copy();
    const log = join(home, 'audit', 'events.jsonl');
    const ls = await lines(log);
    const i = ls.findIndex((l) => l.includes('"approval_response"'));
    await writeFile(
      log,
      ls
        .filter((_, j) => j !== i)
        .map((l) => `${l}\n`)
        .join(''),
    );
    const r = await deepVerifyHome(home);
    expect(codes(r, 'audit')).toEqual(['AUDIT_BROKEN']);
    expect(codes(r, 'consistency')).toEqual(['WAL_EVENT_MISSING']);
    const out = cli(home);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/AUDIT_BROKEN: event \d+/);
  });

  it('B4/GEN-6: exit 2 when the folder is not a home', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-nohome-'));
    expect(cli(dir).status).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });
});
