/**
 * `clearance init` (config.json), `clearance users add` and `clearance serve`, in-process and, when
 * the CLI is built, as a real process stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtinEngine,
  ClearanceHome,
  configPath,
  loadConfig,
  homeStatus,
} from '@clearance/authority';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';
import { isLoopback, serveCommand } from '../src/serve.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-cli-srv-'));
  roots.push(root);
  return root;
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

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

async function initHome(...extra: string[]): Promise<{ root: string; home: string }> {
  const root = await freshDir();
  const home = join(root, 'home');
  const r = await run('init', '--home', home, ...extra);
  expect(r.code, r.err).toBe(0);
  return { root, home };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('clearance init writes a loadable config.json', () => {
  it('pins the built patch engine, names the workspaces and configures the rules policy', async () => {
    const root = await freshDir();
    const home = join(root, 'home');
    const r = await run(
      'init',
      '--home',
      home,
      '--workspace',
      `demo=${root}/ws`,
      '--workspace',
      'rel=relative/dir',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ config: configPath(home) });
    expect((await stat(configPath(home))).mode & 0o777).toBe(0o644);
    const config = await loadConfig(configPath(home));
    const bundle = await readFile(builtinEngine('patch'));
    const cncBundle = await readFile(builtinEngine('cnc'));
    expect(config.engines).toHaveLength(2);
    expect(config.engines[0]).toMatchObject({
      id: 'patch',
      executable: builtinEngine('patch'),
      sha256: createHash('sha256').update(bundle).digest('hex'),
    });
    expect(config.engines[1]).toMatchObject({
      id: 'cnc',
      version: '1.0.0',
      executable: builtinEngine('cnc'),
      sha256: createHash('sha256').update(cncBundle).digest('hex'),
    });
    expect(config.workspaces.map((w) => [w.name, w.path])).toEqual([
      ['demo', `${root}/ws`],
      ['rel', join(process.cwd(), 'relative/dir')],
    ]);
    expect(config.policy.sources).toHaveLength(1);
    expect(config.policy.sources[0]).toMatchObject({
      name: 'rules',
      kind: 'rules',
      config: { default: 'require_approval', default_role: 'approver' },
    });
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8787 });
  });

  it('refuses a malformed --workspace before creating anything', async () => {
    const root = await freshDir();
    const r = await run('init', '--home', join(root, 'home'), '--workspace', 'no-equals-sign');
    expect(r.code).toBe(2);
    expect(existsSync(join(root, 'home'))).toBe(false);
  });
});

describe('clearance users add', () => {
  it('prints a token once that authenticates with the given roles; it is stored nowhere', async () => {
    const { home } = await initHome();
    const r = await run('users', 'add', 'bob', '--roles', 'approver, agent', '--home', home);
    expect(r.code, r.err).toBe(0);
    const token = /clr_[A-Za-z0-9_-]{43}/.exec(r.out)?.[0];
    if (token === undefined) throw new Error(`no token in ${r.out}`);
    expect(r.out).toContain('agent,approver');
    for (const file of await filesUnder(home)) {
      expect((await readFile(file)).includes(token), file).toBe(false);
    }
    const h = await ClearanceHome.open(home);
    try {
      expect(h.users.authenticate(token)).toMatchObject({
        name: 'bob',
        roles: ['agent', 'approver'],
      });
      expect(h.users.authenticate(`${token}x`)).toBeUndefined();
    } finally {
      await h.close();
    }
    const json = await run('users', 'add', 'carol', '--roles', 'auditor', '--home', home, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ name: 'carol', roles: ['auditor'] });
  });

  it('refuses bad names and roles, duplicates, and a home held by a running authority', async () => {
    const { home } = await initHome();
    const bad = await run('users', 'add', 'Bob', '--roles', 'agent', '--home', home);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('USER_INVALID');
    expect((await run('users', 'add', 'bob', '--roles', ',', '--home', home)).err).toContain(
      'USER_INVALID',
    );
    expect((await run('users', 'add', 'bob', '--home', home)).code).toBe(2); // --roles is required
    expect((await run('users', 'add', 'admin', '--roles', 'agent', '--home', home)).err).toContain(
      'USER_EXISTS',
    );
    const held = await ClearanceHome.open(home);
    try {
      const locked = await run('users', 'add', 'dave', '--roles', 'agent', '--home', home);
      expect(locked.code).toBe(2);
      expect(locked.err).toContain('HOME_LOCKED');
    } finally {
      await held.close();
    }
  });
});

describe('clearance serve', () => {
  it('isLoopback accepts only loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', 'localhost'])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1'])
      expect(isLoopback(h), h).toBe(false);
  });

  it('serves /api/health in-process and closes the authority when stopped', async () => {
    const { home } = await initHome();
    const c = capture();
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let listening: (url: string) => void = () => undefined;
    const ready = new Promise<string>((resolve) => (listening = resolve));
    const served = serveCommand(c.io, { home, port: 0 }, { stop: stopped, onListening: listening });
    const url = await Promise.race([ready, served.then((code) => `exited ${code}: ${c.err()}`)]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect((await homeStatus(home)).locked).toBe(true);
    stop();
    expect(await served).toBe(0);
    expect(c.out()).toContain(`at ${url}`);
    expect(c.out()).toContain('no workflows to recover');
    const status = await homeStatus(home);
    expect(status.locked).toBe(false);
    expect(status.audit.intact).toBe(true);
  });

  it('refuses a non-loopback host from the config unless --host names it', async () => {
    const { home } = await initHome();
    const config = JSON.parse(await readFile(configPath(home), 'utf8')) as Record<string, unknown>;
    await writeFile(
      configPath(home),
      JSON.stringify({ ...config, server: { host: '0.0.0.0', port: 0 } }),
    );
    const c = capture();
    const code = await serveCommand(c.io, { home }, { stop: Promise.resolve() });
    expect(code).toBe(2);
    expect(c.err()).toContain('non-loopback');
    expect((await homeStatus(home)).locked).toBe(false);
  });
});

const CLI = join(import.meta.dirname, '..', 'bin', 'clearance.mjs');
const BUILT = existsSync(join(import.meta.dirname, '..', 'dist', 'serve.js'));

// I11-6: never skipped. test/global-setup.ts builds dist before any test, so a missing build is a
// broken setup and must fail here, not silently drop these tests.
describe('the built `clearance serve` process', () => {
  it('I11-6: the built serve.js exists (test/global-setup.ts builds it)', () => {
    expect(BUILT).toBe(true);
  });

  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL');
    child = undefined;
  });

  it('starts, answers /api/health and exits 0 on SIGTERM after a final checkpoint', async () => {
    const { home } = await initHome();
    const proc = spawn(process.execPath, [CLI, 'serve', '--home', home, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const res = await fetch(`${url}/api/health`);
    expect(await res.json()).toEqual({ ok: true });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited, err).toBe(0);
    expect(out).toContain('Clearance stopped');
    const status = await homeStatus(home);
    expect(status.locked).toBe(false);
    expect(status.audit.latestCheckpoint?.tree_size).toBe(status.audit.events);
  });
});
