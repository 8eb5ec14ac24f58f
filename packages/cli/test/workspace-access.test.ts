/**
 * Item 14 (issue 10): `init`, `demo` and `serve` refuse a workspace the engine sandbox users
 * cannot reach with WORKSPACE_UNREACHABLE naming the folder and the fix (ENG-2: engines see the
 * workspace; SEC-1: they run as 65534 or a per-launch uid), instead of failing later with a
 * misleading code. Item 13: `serve` on a non-loopback host warns on stderr.
 */
import { chmod, chown, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { failedWhy, seedDemo } from '../src/demo.js';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';
import { serveCommand } from '../src/serve.js';
import { accessProblem, ancestors } from '../src/workspace-access.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) {
    await chmod(r, 0o700).catch(() => undefined);
    await rm(r, { recursive: true, force: true });
  }
});

/** A root the sandbox users can traverse, with a 65534-owned workspace in `parent`. */
async function layout(): Promise<{ root: string; parent: string; ws: string; home: string }> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-ws-access-'));
  roots.push(root);
  await chmod(root, 0o711);
  const parent = join(root, 'private');
  await mkdir(parent, { mode: 0o755 });
  const ws = join(parent, 'ws');
  await mkdir(ws, { mode: 0o755 });
  await chown(ws, 65534, 65534);
  return { root, parent, ws, home: join(root, 'home') };
}

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) },
    out: () => out,
    err: () => err,
  };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; detail: unknown }> {
  try {
    await p;
  } catch (err) {
    if (hasCode(err)) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error('expected a refusal');
}

// I11-6: never skipped. The suite runs as root (README: scripts/test.sh on Debian as root; the
// harnesses chown workspaces to the sandbox user); a non-root run fails here instead of passing by
// skipping the only tests of unreachable workspaces.
describe('item 14: workspaces the sandbox cannot reach', () => {
  it('I11-6: runs as root, as the sandbox checks need', () => {
    expect(process.getuid?.()).toBe(0);
  });

  it('item 14 ENG-2 SEC-1: init refuses a workspace under a 0700 parent, creating nothing', async () => {
    const { parent, ws, home } = await layout();
    await chmod(parent, 0o700);
    const c = capture();
    const code = await main(['init', '--home', home, '--workspace', `demo=${ws}`], c.io);
    expect(code).toBe(2);
    expect(c.err()).toContain('WORKSPACE_UNREACHABLE');
    expect(c.err()).toContain(`chmod o+x ${parent}`);
    await expect(readdir(home)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('item 14 ENG-2 SEC-1: demo refuses a workspace under a 0700 parent (not APPROVAL_NOT_PENDING)', async () => {
    const { parent, ws, home } = await layout();
    const c = capture();
    expect(await main(['init', '--home', home, '--workspace', `demo=${ws}`], c.io)).toBe(0);
    await chmod(parent, 0o700);
    const r = await refusal(seedDemo(home));
    expect(r).toEqual({
      code: 'WORKSPACE_UNREACHABLE',
      detail: { path: parent, missing: 'x', fix: `chmod o+x ${parent}` },
    });
    // Nothing ran: no workflow was created.
    expect(await readdir(join(home, 'workflows')).catch(() => [])).toEqual([]);
  });

  it('item 14 ENG-2 SEC-1: demo refuses a home under a 0700 parent', async () => {
    const { root, ws } = await layout();
    const closed = join(root, 'closed');
    await mkdir(closed, { mode: 0o700 });
    const home = join(closed, 'home');
    const c = capture();
    expect(await main(['init', '--home', home, '--workspace', `demo=${ws}`], c.io)).toBe(0);
    // init only warns about the home (it launches nothing).
    expect(c.err()).toContain('WORKSPACE_UNREACHABLE');
    const r = await refusal(seedDemo(home));
    expect(r.code).toBe('WORKSPACE_UNREACHABLE');
    expect(r.detail).toMatchObject({ path: closed, fix: `chmod o+x ${closed}` });
  });

  it('item 14 ENG-2 SEC-1: serve refuses a workspace take-off cannot write', async () => {
    const { ws, home } = await layout();
    const c = capture();
    expect(await main(['init', '--home', home, '--workspace', `demo=${ws}`], c.io)).toBe(0);
    await chown(ws, 0, 0);
    const r = await refusal(
      serveCommand(capture().io, { home, port: 0 }, { stop: Promise.resolve() }),
    );
    expect(r).toEqual({
      code: 'WORKSPACE_UNREACHABLE',
      detail: { path: ws, missing: 'w', fix: `chown -R 65534:65534 ${ws}` },
    });
  });
});

describe('item 14: accessProblem (pure)', () => {
  const who = { label: 'uid 65534 (take-off)', uid: 65534 };
  const launch = { label: 'the per-launch flight-plan uids', uid: undefined };
  it('item 14 ENG-2: picks the owner, group or other class and names the fix', () => {
    expect(accessProblem('/a', { mode: 0o700, uid: 65534, gid: 0 }, who, 'rwx')).toBeUndefined();
    expect(accessProblem('/a', { mode: 0o700, uid: 65534, gid: 0 }, launch, 'x')).toMatchObject({
      missing: 'x',
      fix: 'chmod o+x /a',
    });
    expect(accessProblem('/a', { mode: 0o750, uid: 0, gid: 65534 }, who, 'rwx')).toMatchObject({
      missing: 'w',
      fix: 'chmod g+w /a',
    });
    expect(accessProblem('/a', { mode: 0o755, uid: 0, gid: 0 }, who, 'rwx')).toMatchObject({
      missing: 'w',
      fix: 'chown -R 65534:65534 /a',
    });
  });
  it('item 14 ENG-2: ancestors run from / to the parent', () => {
    expect(ancestors('/a/b/c')).toEqual(['/', '/a', '/a/b']);
  });
});

describe('item 13: serve on a non-loopback host', () => {
  it('item 13 SEC-1: --host with a non-loopback address warns on stderr before listening', async () => {
    const root = await mkdtemp(join(tmpdir(), 'clearance-host-'));
    roots.push(root);
    await chmod(root, 0o711);
    const home = join(root, 'home');
    expect(await main(['init', '--home', home], capture().io)).toBe(0);
    const c = capture();
    // 192.0.2.1 (TEST-NET-1) is assigned to no interface here: the bind fails, nothing listens.
    await serveCommand(
      c.io,
      { home, host: '192.0.2.1', port: 0 },
      { stop: Promise.resolve() },
    ).catch(() => undefined);
    expect(c.err()).toMatch(/warning: listening on 192\.0\.2\.1, which is not a loopback address/);
    const quiet = capture();
    await serveCommand(quiet.io, { home, host: '127.0.0.1', port: 0 }, { stop: Promise.resolve() });
    expect(quiet.err()).toBe('');
  });
});

describe("item 14: demo stops with the failed workflow's own code", () => {
  it('item 14 ENG-6: a FAILED demo workflow raises the engine code of its failure text', async () => {
    const view = {
      workflow_id: 'wf-1',
      state: 'FAILED',
      failure:
        'take-off failed: VALIDATION_FAILED (gcode-invalid: OUT_OF_ENVELOPE) [ENGINE_FAILED: exit 2 (validation failure)]',
    };
    const r = await refusal(Promise.resolve().then(() => failedWhy(view)));
    expect(r.code).toBe('VALIDATION_FAILED');
    const ok = { workflow_id: 'wf-2', state: 'AWAITING_APPROVAL' };
    expect(failedWhy(ok)).toBe(ok);
  });
});
