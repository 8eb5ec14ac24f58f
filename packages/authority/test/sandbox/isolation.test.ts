/**
 * Real bubblewrap runs: identity, environment, network and filesystem isolation (GEN-3, GEN-10,
 * ENG-2, ENG-3, ENG-8, ENG-15, S-26).
 */
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BubblewrapSandbox, protocolEnv } from '../../src/sandbox/index.js';
import type { SandboxMode } from '../../src/sandbox/index.js';
import {
  FIXTURES,
  NOBODY,
  makeRoot,
  makeRun,
  nodeLaunch,
  pidsInNamespace,
  removeRoot,
  waitFor,
} from './helpers.js';

let root: string;
let sandbox: BubblewrapSandbox;

beforeAll(async () => {
  root = await makeRoot();
  sandbox = await BubblewrapSandbox.create();
});
afterAll(async () => {
  await removeRoot(root);
});

function json(bytes: Buffer): Record<string, unknown> {
  return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
}

describe('identity and environment', () => {
  it('defaults to the host-uid identity when the authority is root', () => {
    expect(process.getuid?.()).toBe(0);
    expect(sandbox.kind).toBe('bubblewrap');
    expect(sandbox.identity).toBe('host-uid');
  });

  it.each(['flight-plan', 'take-off'] as const)(
    '%s: the environment is exactly the protocol variables plus PATH; canaries stay out (GEN-10, S-26)',
    async (mode: SandboxMode) => {
      const dirs = await makeRun(root);
      const canary = `canary-${mode}-${process.pid}`;
      process.env.CANARY_SECRET = canary;
      try {
        const stdin = JSON.stringify({ input: 'x'.repeat(300_000), mode });
        const result = await sandbox.run(
          nodeLaunch(dirs, mode, 'introspect.mjs', {
            args: ['--flag', 'value'],
            stdin,
            limits: { stdoutBytes: 4 * 1024 * 1024 },
          }),
        );
        expect(result.stderr.toString()).toBe('');
        expect(result.exitCode).toBe(0);
        const seen = json(result.stdout);
        expect(seen.env).toEqual(protocolEnv(mode));
        expect(result.stdout.includes(canary)).toBe(false);
        expect(seen.argv).toEqual([
          '/usr/bin/node',
          '/cabincrew/engine/introspect.mjs',
          ...['--flag', 'value', '--mode', mode],
        ]);
        expect(seen.stdin).toBe(stdin);
        expect(seen.cwd).toBe('/cabincrew/workspace');
        expect(seen.hostname).toBe('sandbox');
      } finally {
        delete process.env.CANARY_SECRET;
      }
    },
  );

  it('runs the engine as 65534 with no capabilities and no supplementary groups', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(nodeLaunch(dirs, 'flight-plan', 'introspect.mjs'));
    const seen = json(result.stdout);
    expect([seen.uid, seen.euid, seen.gid]).toEqual([NOBODY, NOBODY, NOBODY]);
    const status = String(seen.status);
    expect(status).toMatch(/^Uid:\t65534\t65534\t65534\t65534$/m);
    expect(status).toMatch(/^Gid:\t65534\t65534\t65534\t65534$/m);
    expect(status).toMatch(/^Groups:\t\s*$/m);
    expect(status).toMatch(/^CapEff:\t0+$/m);
    expect(status).toMatch(/^CapBnd:\t0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\t1$/m);
  });

  it.each([
    ['take-off', 'uid 65534 on the host too'],
    ['flight-plan', 'a per-launch uid from the range on the host (U4)'],
  ] as const)('%s is %s, and leaves no process behind (host-uid)', async (mode, _what) => {
    const dirs = await makeRun(root);
    const running = sandbox.run(nodeLaunch(dirs, mode, 'hold.mjs'));
    const ready = join(mode === 'take-off' ? dirs.temp : dirs.artifacts, 'ready.json');
    await waitFor(() =>
      stat(ready).then(
        () => true,
        () => false,
      ),
    );
    const { ns } = JSON.parse(await readFile(ready, 'utf8')) as { ns: string };
    const pids = await pidsInNamespace(ns);
    // The engine (pid 1 of its namespace) and its helper child.
    expect(pids.length).toBe(2);
    for (const pid of pids) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const uid = /^Uid:\t(\d+)\t\1\t\1\t\1$/m.exec(status)?.[1];
      const gid = /^Gid:\t(\d+)\t\1\t\1\t\1$/m.exec(status)?.[1];
      if (mode === 'take-off') {
        expect([uid, gid]).toEqual(['65534', '65534']);
      } else {
        // The default range 100000–165533; gid equal to the uid (no group shared with 65534).
        expect(Number(uid)).toBeGreaterThanOrEqual(100_000);
        expect(Number(uid)).toBeLessThanOrEqual(165_533);
        expect(gid).toBe(uid);
      }
    }
    await writeFile(join(dirs.workspace, 'go'), '');
    const result = await running;
    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(await pidsInNamespace(ns)).toEqual([]);
  });
});

describe('network', () => {
  let server: Server;
  let port: number;
  let accepted = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** A non-loopback IPv4 address of the host, if it has one. */
  function hostAddress(): string | undefined {
    const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
    return all.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  }

  function hostConnect(host: string): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  it('has only lo and cannot reach a server listening on the host (ENG-3)', async () => {
    const targets = [`127.0.0.1:${port}`];
    const external = hostAddress();
    if (external !== undefined) targets.push(`${external}:${port}`);
    // Control: from the host itself every target is reachable.
    for (const target of targets) expect(await hostConnect(target.split(':')[0] ?? '')).toBe(true);
    const before = accepted;
    const dirs = await makeRun(root);
    const result = await sandbox.run(
      nodeLaunch(dirs, 'take-off', 'network.mjs', { args: targets }),
    );
    expect(result.exitCode).toBe(0);
    const seen = json(result.stdout) as { interfaces: string[]; outcomes: Record<string, string> };
    expect(seen.interfaces).toEqual(['lo']);
    expect(seen.outcomes[`127.0.0.1:${port}`]).toBe('ECONNREFUSED');
    if (external !== undefined) expect(seen.outcomes[`${external}:${port}`]).toBe('ENETUNREACH');
    expect(accepted).toBe(before);
  });
});

describe('filesystem', () => {
  const hidden = (): string[] => [
    '/root',
    '/work',
    '/home',
    '/tmp',
    '/etc/shadow',
    '/etc/passwd',
    homedir(),
    process.cwd(),
    root,
  ];

  async function probe(mode: SandboxMode) {
    const dirs = await makeRun(root);
    const result = await sandbox.run(nodeLaunch(dirs, mode, 'fs-probe.mjs', { args: hidden() }));
    expect(result.stderr.toString()).toBe('');
    expect(result.exitCode).toBe(0);
    return { dirs, seen: json(result.stdout) };
  }

  it('flight-plan: the workspace is read-only and unchanged; artifacts and temp are writable (ENG-2)', async () => {
    const { dirs, seen } = await probe('flight-plan');
    expect(seen).toMatchObject({
      writeWorkspace: 'EROFS',
      modifyWorkspace: 'EROFS',
      mkdirWorkspace: 'EROFS',
      writeArtifacts: 'ok',
      writeTemp: 'ok',
      writeOutput: 'ENOENT',
    });
    expect((await readdir(dirs.workspace)).sort()).toEqual(['existing.txt']);
    expect(await readFile(join(dirs.workspace, 'existing.txt'), 'utf8')).toBe('original');
    expect(await readFile(join(dirs.artifacts, 'artifact.json'), 'utf8')).toBe('{}');
  });

  it('take-off: workspace and output are writable; artifacts are read-only', async () => {
    const { dirs, seen } = await probe('take-off');
    expect(seen).toMatchObject({
      writeWorkspace: 'ok',
      modifyWorkspace: 'ok',
      writeArtifacts: 'EROFS',
      readArtifacts: 'ok',
      writeTemp: 'ok',
      writeOutput: 'ok',
    });
    expect(await readFile(join(dirs.workspace, 'existing.txt'), 'utf8')).toBe('originalchanged');
    expect(await readFile(join(dirs.output, 'out.txt'), 'utf8')).toBe('out');
    expect(await readdir(dirs.artifacts)).toEqual([]);
  });

  it.each(['flight-plan', 'take-off'] as const)(
    '%s: the root, /etc, /dev, /usr and the engine file are read-only',
    async (mode: SandboxMode) => {
      const { dirs, seen } = await probe(mode);
      for (const op of ['writeRoot', 'writeEtc', 'writeCabincrew', 'writeDev', 'writeUsr']) {
        expect(seen[op]).toBe('EROFS');
      }
      expect(seen.writeEngine).toBe('EROFS');
      expect(seen.writeDevNull).toBe('ok');
      expect(await readFile(join(dirs.engines, 'fs-probe.mjs'), 'utf8')).toBe(
        await readFile(join(FIXTURES, 'fs-probe.mjs'), 'utf8'),
      );
    },
  );

  it('shows no host path: /root, /work, /home, /tmp, /etc/shadow, the home and the test folder', async () => {
    const { seen } = await probe('take-off');
    const hosts = seen.hosts as Record<string, string>;
    expect(Object.keys(hosts).sort()).toEqual([...new Set(hidden())].sort());
    for (const path of hidden()) expect(hosts[path]).toBe('ENOENT');
  });

  it('has a minimal root and keeps host paths out of every command line', async () => {
    const dirs = await makeRun(root);
    const result = await sandbox.run(nodeLaunch(dirs, 'take-off', 'introspect.mjs'));
    const seen = json(result.stdout);
    expect(seen.root).toEqual([
      'bin',
      'cabincrew',
      'dev',
      'etc',
      'lib',
      'lib64',
      'proc',
      'sbin',
      'usr',
    ]);
    expect(seen.etc).toEqual(['ld.so.cache']);
    expect(seen.cabincrew).toEqual(['artifacts', 'engine', 'output', 'tmp', 'workspace']);
    // bubblewrap's pid 1 is visible; its options (with the host paths) came through a pipe.
    const init = (seen.initCmdline as string[]).join(' ');
    expect(init).toContain('/cabincrew/engine/introspect.mjs');
    expect(init).not.toContain(root);
  });
});
