/**
 * Issue 10 U1 (AUD-5, AUD-8, AUD-9): cutting the audit log's tail together with the checkpoints
 * that cover it verifies as intact on its own. A checkpoint kept outside the home catches it:
 * `clearance audit verify --trusted-checkpoint FILE`, and a configured witness that receives every
 * signed checkpoint and makes `clearance serve` refuse a log older than its latest.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, witnessFileName } from '@clearance/authority';
import { canonicalize, parseCheckpointLine } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';
import { serveCommand } from '../src/serve.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

async function initHome(): Promise<{ root: string; home: string }> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-witness-'));
  roots.push(root);
  const home = join(root, 'home');
  const r = await run('init', '--home', home);
  expect(r.code, r.err).toBe(0);
  return { root, home };
}

/** Each `users add` appends one event and closes the home with a signed checkpoint. */
async function addUsers(home: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const r = await run('users', 'add', name, '--roles', 'auditor', '--home', home);
    expect(r.code, r.err).toBe(0);
  }
}

const lines = async (path: string): Promise<string[]> =>
  (await readFile(path, 'utf8')).split('\n').filter(Boolean);

const writeLines = (path: string, ls: readonly string[]): Promise<void> =>
  writeFile(path, ls.map((l) => `${l}\n`).join(''));

/** The attack: keep the first `keep` events and only the checkpoints they still satisfy. */
async function cutTail(home: string, keep: number): Promise<void> {
  const events = join(home, 'audit', 'events.jsonl');
  const checkpoints = join(home, 'audit', 'checkpoints.jsonl');
  await writeLines(events, (await lines(events)).slice(0, keep));
  await writeLines(
    checkpoints,
    (await lines(checkpoints)).filter((l) => parseCheckpointLine(l).tree_size <= keep),
  );
}

async function setConfig(home: string, patch: Record<string, unknown>): Promise<void> {
  const config = JSON.parse(await readFile(configPath(home), 'utf8')) as Record<string, unknown>;
  await writeFile(configPath(home), JSON.stringify({ ...config, ...patch }));
}

/**
 * Start `clearance serve` in-process and stop it again at once (a clean run: final checkpoint);
 * returns what it wrote to stderr.
 */
async function serveOnce(home: string, during?: (url: string) => Promise<void>): Promise<string> {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let listening: (url: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (listening = resolve));
  let err = '';
  const io: Io = { out: () => undefined, err: (t) => (err += t) };
  const served = serveCommand(io, { home, port: 0 }, { stop: stopped, onListening: listening });
  const url = await Promise.race([ready, served.then((c) => `exited ${c}: ${err}`)]);
  expect(url).toMatch(/^http:/);
  try {
    await during?.(url);
  } finally {
    stop();
  }
  expect(await served, err).toBe(0);
  return err;
}

describe('U1: audit verify --trusted-checkpoint (AUD-5)', () => {
  it('U1: a tail cut together with its checkpoints verifies alone but not against a saved checkpoint (AUD-5)', async () => {
    const { root, home } = await initHome();
    await addUsers(home, ['a1', 'a2', 'a3']);
    // An auditor keeps the latest signed checkpoint outside the home.
    const saved = join(root, 'saved-checkpoint.json');
    const cps = await lines(join(home, 'audit', 'checkpoints.jsonl'));
    await writeFile(saved, `${cps.at(-1) ?? ''}\n`);
    const savedSize = parseCheckpointLine(cps.at(-1) ?? '').tree_size;
    await addUsers(home, ['a4']);

    const good = await run('audit', 'verify', '--home', home, '--trusted-checkpoint', saved);
    expect(good.code, good.err).toBe(0);
    expect(good.out).toContain(
      `consistent (RFC 6962) with the trusted checkpoint(s) of ${savedSize}`,
    );
    // A whole checkpoints.jsonl copy is a valid trusted file too (every line is checked).
    const copy = join(root, 'checkpoints-copy.jsonl');
    await writeLines(copy, cps);
    expect((await run('audit', 'verify', '--home', home, '--trusted-checkpoint', copy)).code).toBe(
      0,
    );

    await cutTail(home, savedSize - 2);
    // The attack works against the plain verification...
    const plain = await run('audit', 'verify', '--home', home);
    expect(plain.code, plain.err).toBe(0);
    // ...and not against the saved checkpoint.
    const r = await run('audit', 'verify', '--home', home, '--trusted-checkpoint', saved);
    expect(r.code).toBe(1);
    expect(r.err).toContain('AUDIT_TRUNCATED');
    const j = await run('audit', 'verify', '--home', home, '--trusted-checkpoint', saved, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.out)).toMatchObject({
      ok: false,
      failure: { code: 'AUDIT_TRUNCATED', treeSize: savedSize },
    });

    // Growing the cut log past the saved size again does not hide it: the prefix differs.
    await addUsers(home, ['b1', 'b2', 'b3', 'b4']);
    const forked = await run('audit', 'verify', '--home', home, '--trusted-checkpoint', saved);
    expect(forked.code).toBe(1);
    expect(forked.err).toContain('AUDIT_INCONSISTENT');
  });

  it('U1: a trusted checkpoint that is not signed by the pinned key is refused (AUD-5)', async () => {
    const { root, home } = await initHome();
    await addUsers(home, ['a1']);
    const cp = parseCheckpointLine(
      (await lines(join(home, 'audit', 'checkpoints.jsonl')))[0] ?? '',
    );
    const forged = join(root, 'forged.json');
    // Claims a larger tree; its signature is the one of the real (smaller) checkpoint.
    await writeFile(forged, `${canonicalize({ ...cp, tree_size: cp.tree_size + 5 })}\n`);
    const r = await run(
      'audit',
      'verify',
      '--home',
      home,
      '--trusted-checkpoint',
      forged,
      '--json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ failure: { code: 'AUDIT_CHECKPOINT_INVALID' } });
  });
});

describe('U1: the checkpoint witness (AUD-5, AUD-8, AUD-9)', () => {
  it('U1: a witness folder receives every signed checkpoint, each file written whole, plus latest.json (AUD-5)', async () => {
    const { root, home } = await initHome();
    const witness = join(root, 'witness');
    await setConfig(home, { audit: { checkpoint_every: 2, witness: { dir: witness } } });
    const before = (await lines(join(home, 'audit', 'checkpoints.jsonl'))).length;
    await serveOnce(home, async (url) => {
      // Unauthenticated approval attempts are recorded (two events each): checkpoints follow.
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${url}/api/approvals/apr-${i}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ approved: true }),
        });
        expect(res.status).toBe(401);
      }
    });
    const cps = await lines(join(home, 'audit', 'checkpoints.jsonl'));
    // The newest checkpoint at start-up (the witness catches up) and every later one.
    const expected = cps.slice(before - 1);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const files = (await readdir(witness)).filter((f) => f.startsWith('checkpoint-')).sort();
    expect(files).toEqual(expected.map((l) => witnessFileName(parseCheckpointLine(l).tree_size)));
    for (const l of expected) {
      const file = join(witness, witnessFileName(parseCheckpointLine(l).tree_size));
      expect(await readFile(file, 'utf8')).toBe(`${l}\n`);
    }
    expect(await readFile(join(witness, 'latest.json'), 'utf8')).toBe(`${cps.at(-1) ?? ''}\n`);
    // No temp file is left behind.
    expect((await readdir(witness)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('U1: serve refuses a log older than the witness holds, with AUDIT_ROLLBACK, and releases the home (AUD-8)', async () => {
    const { root, home } = await initHome();
    const witness = join(root, 'witness');
    await setConfig(home, { audit: { witness: { dir: witness } } });
    await serveOnce(home);
    const held = parseCheckpointLine((await readFile(join(witness, 'latest.json'), 'utf8')).trim());
    await cutTail(home, held.tree_size - 1);
    expect((await run('audit', 'verify', '--home', home)).code).toBe(0);
    const io: Io = { out: () => undefined, err: () => undefined };
    await expect(
      serveCommand(io, { home, port: 0 }, { stop: Promise.resolve() }),
    ).rejects.toMatchObject({ code: 'AUDIT_ROLLBACK' });
    // The refusal appended nothing and left the home unlocked.
    expect((await lines(join(home, 'audit', 'events.jsonl'))).length).toBe(held.tree_size - 1);
    expect(await readFile(join(home, 'home.lock'), 'utf8').catch(() => '')).toBe('');
    // A grown fork (same size or larger, other prefix) is a rollback too.
    await addUsers(home, ['f1', 'f2']);
    await expect(
      serveCommand(io, { home, port: 0 }, { stop: Promise.resolve() }),
    ).rejects.toMatchObject({ code: 'AUDIT_ROLLBACK' });
  });

  it('U1: a failing command witness does not block the log; the failure is a critical audit event (AUD-9)', async () => {
    const { home } = await initHome();
    await setConfig(home, { audit: { witness: { command: ['/bin/false'] } } });
    const stderr = await serveOnce(home);
    expect(stderr).toContain('AUDIT WITNESS FAILED');
    const events = (await lines(join(home, 'audit', 'events.jsonl'))).map(
      (l) => JSON.parse(l) as { event_type: string; severity?: string; message?: string },
    );
    const failures = events.filter((e) => e.event_type === 'audit_witness_failed');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toMatchObject({ severity: 'critical' });
    // The checkpoints were still written locally and the log verifies.
    expect((await run('audit', 'verify', '--home', home)).code).toBe(0);
  });

  it('U1: a command witness gets each checkpoint on stdin and its `latest` command guards start-up (AUD-8)', async () => {
    const { root, home } = await initHome();
    const store = join(root, 'remote.jsonl');
    await setConfig(home, {
      audit: {
        witness: {
          command: ['/bin/sh', '-c', `cat >> '${store}'`],
          latest: ['/bin/sh', '-c', `tail -n 1 '${store}' 2>/dev/null || true`],
        },
      },
    });
    await serveOnce(home);
    const remote = await lines(store);
    const local = await lines(join(home, 'audit', 'checkpoints.jsonl'));
    expect(remote.at(-1)).toBe(local.at(-1));
    await cutTail(home, parseCheckpointLine(remote.at(-1) ?? '').tree_size - 1);
    const io: Io = { out: () => undefined, err: () => undefined };
    await expect(
      serveCommand(io, { home, port: 0 }, { stop: Promise.resolve() }),
    ).rejects.toMatchObject({ code: 'AUDIT_ROLLBACK' });
  });
});

const CLI = join(import.meta.dirname, '..', 'bin', 'clearance.mjs');
const BUILT = existsSync(join(import.meta.dirname, '..', 'dist', 'serve.js'));

// I11-6: never skipped. test/global-setup.ts builds dist before any test, so a missing build is a
// broken setup and must fail here, not silently drop these tests.
describe('U1: the built `clearance serve` process', () => {
  it('I11-6: the built serve.js exists (test/global-setup.ts builds it)', () => {
    expect(BUILT).toBe(true);
  });

  it('U1: exits 1 with AUDIT_ROLLBACK when the witness holds a newer checkpoint (AUD-8)', async () => {
    const { root, home } = await initHome();
    const witness = join(root, 'witness');
    await setConfig(home, { audit: { witness: { dir: witness } } });
    await serveOnce(home);
    const held = parseCheckpointLine((await readFile(join(witness, 'latest.json'), 'utf8')).trim());
    await cutTail(home, held.tree_size - 1);
    const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    expect(code, err).toBe(1);
    expect(err).toContain('AUDIT_ROLLBACK');
  });
});
