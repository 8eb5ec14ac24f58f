import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClearanceHome, sequentialIds, steppingClock } from '@clearance/authority';
import {
  auditEventDigest,
  digestSigner,
  parseJsonStrict,
  sealAuditEvent,
  type AuditEvent,
} from '@clearance/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';

// Done-when of the foundation issue: every kind of tampering makes `clearance audit verify` exit
// non-zero and name the index of the first break (AUD-5, S-24).

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

let pristine: string;
const EVENTS = 11; // 3 from init + 8 appended

beforeAll(async () => {
  pristine = join(await mkdtemp(join(tmpdir(), 'clearance-cli-')), 'home');
  const { home } = await ClearanceHome.init(pristine, {
    clock: steppingClock(Date.UTC(2026, 10, 23)),
    ids: sequentialIds(),
  });
  for (let i = 0; i < 8; i++) {
    await home.audit.append({
      event_type: 'state_transition',
      workflow_state: 'PLAN_RUNNING',
      message: `step ${i}`,
    });
  }
  await home.close(); // clean shutdown writes a signed checkpoint covering all 11 events
});

async function copyHome(): Promise<{ dir: string; log: string; lines: string[] }> {
  const dir = join(await mkdtemp(join(tmpdir(), 'clearance-tamper-')), 'home');
  await cp(pristine, dir, { recursive: true });
  const log = join(dir, 'audit', 'events.jsonl');
  const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  expect(lines).toHaveLength(EVENTS);
  return { dir, log, lines };
}

const write = (log: string, lines: string[]): Promise<void> =>
  writeFile(log, lines.map((l) => `${l}\n`).join(''));

async function expectBreak(
  dir: string,
  index: number,
  code: string,
  extra: string[] = [],
): Promise<void> {
  const r = await run('audit', 'verify', '--home', dir, ...extra);
  expect(r.code, r.err + r.out).toBe(1);
  expect(r.err).toContain(`BROKEN at index ${index}: ${code}`);
  const j = await run('audit', 'verify', '--home', dir, '--json', ...extra);
  expect(JSON.parse(j.out)).toMatchObject({ ok: false, break: { index, code } });
}

describe('clearance audit verify', () => {
  it('exits 0 on an intact log and reports events, checkpoints and key', async () => {
    const r = await run('audit', 'verify', '--home', pristine);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `audit log intact: ${EVENTS} events, every signature valid, 1 signed checkpoints (latest covers ${EVENTS})`,
    );
  });

  it.each([0, 4, 10])('flipping one byte of event %i fails at that index', async (k) => {
    const { dir, log, lines } = await copyHome();
    const line = lines[k] as string;
    const pos = line.indexOf('"message":"') + 12;
    lines[k] =
      line.slice(0, pos) + String.fromCharCode(line.charCodeAt(pos) ^ 1) + line.slice(pos + 1);
    await write(log, lines);
    await expectBreak(dir, k, 'AUDIT_SIGNATURE_INVALID');
  });

  it('deleting an event fails at its index', async () => {
    const { dir, log, lines } = await copyHome();
    lines.splice(4, 1);
    await write(log, lines);
    await expectBreak(dir, 4, 'AUDIT_LINK_BROKEN');
  });

  it('reordering two events fails at the first of them', async () => {
    const { dir, log, lines } = await copyHome();
    [lines[6], lines[7]] = [lines[7] as string, lines[6] as string];
    await write(log, lines);
    await expectBreak(dir, 6, 'AUDIT_LINK_BROKEN');
  });

  it('truncating the tail fails at the first missing index (the signed checkpoint covers it)', async () => {
    const { dir, log, lines } = await copyHome();
    await write(log, lines.slice(0, 9));
    await expectBreak(dir, 9, 'AUDIT_TRUNCATED');
  });

  it('a torn last line (crash mid-append) is reported as such', async () => {
    const { dir, log, lines } = await copyHome();
    await writeFile(log, `${lines.map((l) => `${l}\n`).join('')}{"event_id":"torn`);
    await expectBreak(dir, EVENTS, 'AUDIT_TORN_TAIL');
  });

  it('events signed by a swapped-in key fail where the swap happened', async () => {
    const { dir, log, lines } = await copyHome();
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const mallory = digestSigner(privateKey, publicKey);
    // Re-seal events 6.. with the attacker key, chained correctly to event 5.
    let prev: Uint8Array = auditEventDigest(
      parseJsonStrict(lines[5] as string) as unknown as AuditEvent,
    );
    for (let i = 6; i < lines.length; i++) {
      const {
        signature: _s,
        signature_key_ref: _k,
        chain_hash: _c,
        ...draft
      } = parseJsonStrict(lines[i] as string) as unknown as AuditEvent;
      const sealed = sealAuditEvent(draft, prev, mallory);
      lines[i] = sealed.line;
      prev = sealed.digest;
    }
    await write(log, lines);
    await expectBreak(dir, 6, 'AUDIT_KEY_UNKNOWN');
  });

  it('a log fully re-signed with a new key, key files and manifest replaced, fails at 0 against the pinned key', async () => {
    const { dir, log, lines } = await copyHome();
    const auditorCopy = join(dir, '..', 'original.pub');
    await cp(join(dir, 'keys', 'audit-signing.pub'), auditorCopy);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const mallory = digestSigner(privateKey, publicKey);
    let prev: Uint8Array | undefined;
    for (let i = 0; i < lines.length; i++) {
      const {
        signature: _s,
        signature_key_ref: _k,
        chain_hash: _c,
        ...draft
      } = parseJsonStrict(lines[i] as string) as unknown as AuditEvent;
      const sealed = sealAuditEvent(draft, prev, mallory);
      lines[i] = sealed.line;
      prev = sealed.digest;
    }
    await write(log, lines);
    await writeFile(join(dir, 'audit', 'checkpoints.jsonl'), '');
    await writeFile(
      join(dir, 'keys', 'audit-signing.pub'),
      publicKey.export({ format: 'pem', type: 'spki' }),
    );
    const manifest = JSON.parse(await readFile(join(dir, 'clearance.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await writeFile(
      join(dir, 'clearance.json'),
      JSON.stringify({ ...manifest, audit_key_ref: mallory.keyRef }),
    );
    // Against the home's own (replaced) files everything looks consistent…
    expect((await run('audit', 'verify', '--home', dir)).code).toBe(0);
    // …which is why an auditor pins the key printed at init.
    await expectBreak(dir, 0, 'AUDIT_KEY_UNKNOWN', ['--trusted-key', auditorCopy]);
    const pinned = await run(
      'audit',
      'verify',
      '--home',
      dir,
      '--key-ref',
      (
        JSON.parse((await run('status', '--home', pristine, '--json')).out) as {
          manifest: { audit_key_ref: string };
        }
      ).manifest.audit_key_ref,
    );
    expect(pinned.code).toBe(2);
    expect(pinned.err).toContain('KEY_INVALID');
  });

  it('a replaced public key file alone is refused (it no longer matches the key pinned at init)', async () => {
    const { dir } = await copyHome();
    const { publicKey } = generateKeyPairSync('ed25519');
    await writeFile(
      join(dir, 'keys', 'audit-signing.pub'),
      publicKey.export({ format: 'pem', type: 'spki' }),
    );
    const r = await run('audit', 'verify', '--home', dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('KEY_INVALID');
  });
});

describe('clearance init / status / audit show', () => {
  it('init prints the admin token once and writes it 0600; a second init is refused', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'clearance-init-')), 'h');
    const r = await run('init', '--home', dir);
    expect(r.code).toBe(0);
    const token = /clr_[A-Za-z0-9_-]{43}/.exec(r.out)?.[0] as string;
    expect(token).toBeDefined();
    expect((await readFile(join(dir, 'secrets', 'admin.token'), 'utf8')).trim()).toBe(token);
    expect((await stat(join(dir, 'secrets', 'admin.token'))).mode & 0o777).toBe(0o600);
    const again = await run('init', '--home', dir);
    expect(again.code).toBe(2);
    expect(again.err).toContain('HOME_ALREADY_INITIALIZED');
    expect((await run('status', '--home', dir)).out).not.toContain(token);
  });

  it('status and show work, honour $CLEARANCE_HOME through --home default, and reject bad flags', async () => {
    const s = await run('status', '--home', pristine);
    expect(s.code).toBe(0);
    expect(s.out).toContain(`${EVENTS} events, chain intact`);
    const show = await run('audit', 'show', '--home', pristine, '--tail', '2');
    expect(show.out.trim().split('\n')).toHaveLength(2);
    expect(show.out).toContain('#10');
    expect((await run('audit', 'show', '--home', pristine, '--tail', '0')).code).toBe(2);
    expect((await run('status', '--home', join(pristine, 'nope'))).err).toContain(
      'HOME_NOT_INITIALIZED',
    );
  });

  it('the built `clearance` bin runs from the repository root (npx clearance)', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const r = spawnSync(
      process.execPath,
      [join(root, 'packages/cli/bin/clearance.mjs'), 'audit', 'verify', '--home', pristine],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('audit log intact');
  });
});
