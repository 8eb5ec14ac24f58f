import { spawn } from 'node:child_process';
import { appendFile, chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import {
  assertAuditEvent,
  auditEventDigest,
  digestSigner,
  parseJsonStrict,
  sealAuditEvent,
  verifyInclusion,
} from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { ClearanceHome } from '../src/home.js';
import { verifyHomeAudit } from '../src/inspect.js';
import { sequentialIds, steppingClock } from '../src/runtime.js';

async function newHome(
  checkpointEvery = 1000,
): Promise<{ dir: string; home: ClearanceHome; token: string }> {
  const dir = join(await mkdtemp(join(tmpdir(), 'clearance-home-')), 'home');
  const opts = {
    clock: steppingClock(Date.UTC(2026, 10, 23)),
    ids: sequentialIds(),
    checkpointEvery,
  };
  const { home, adminToken } = await ClearanceHome.init(dir, opts);
  return { dir, home, token: adminToken };
}

const event = (i: number) => ({
  event_type: 'state_transition',
  workflow_state: 'PLAN_RUNNING',
  severity: 'info' as const,
  workflow: { workflow_id: `wf-${i % 7}`, step_id: 'step-1', mode: 'flight-plan' },
  message: `transition ${i}`,
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('AuditLog appends', () => {
  // Also proves AUD-6.
  it('keeps submission order under concurrency and every event verifies (group commit)', async () => {
    const { dir, home } = await newHome(50);
    const receipts = await Promise.all(
      Array.from({ length: 300 }, (_, i) => home.audit.append(event(i))),
    );
    expect(receipts.map((r) => r.index)).toEqual(receipts.map((_, i) => i + 3));
    const stored = await home.audit.read(3, 300);
    expect(stored.map((e) => e.message)).toEqual(receipts.map((_, i) => `transition ${i}`));
    await home.close();
    const report = await verifyHomeAudit(dir);
    expect(report).toMatchObject({ ok: true, verifiedEvents: 303, checkpointedSize: 303 });
    expect(report.verifiedCheckpoints).toBeGreaterThanOrEqual(1);
  });

  // Also proves AUD-3.
  it('refuses a schema- or profile-invalid event on its own and keeps the chain going', async () => {
    const { dir, home } = await newHome();
    expect(await codeOf(home.audit.append({ ...event(1), workflow_state: 'DANCING' }))).toBe(
      'PROFILE_INVALID',
    );
    expect(await codeOf(home.audit.append({ ...event(1), severity: 'loud' as 'info' }))).toBe(
      'SCHEMA_INVALID',
    );
    await home.audit.append(event(2));
    await home.close();
    expect((await verifyHomeAudit(dir)).ok).toBe(true);
  });

  it('redacts secrets before hashing: canaries never reach the disk (AUD-7)', async () => {
    const { dir, home } = await newHome();
    const canaries = [
      'ghp_CANARY0123456789abcdefghijklmnopqrstuvw',
      'AKIACANARY0123456789',
      'clr_CANARYcanaryCANARYcanary0123456789',
    ];
    await home.audit.append({
      ...event(1),
      message: `engine printed ${canaries[0]} and ${canaries[1]}`,
      policy: {
        decision: 'deny',
        workflow_state: 'PRE_FLIGHT_RUNNING',
        policy_evaluations: [
          {
            source: 'custom',
            policy_id: 'p',
            decision: 'deny',
            severity: 3,
            evaluated_at: '2026-11-23T00:00:00.000Z',
            evidence: {
              password: 'hunter2-CANARY',
              token: canaries[2] as string,
              nested: { text: canaries[0] as string },
            },
          },
        ],
      },
    });
    await home.close();
    const bytes = await readFile(join(dir, 'audit', 'events.jsonl'), 'utf8');
    for (const c of [...canaries, 'hunter2-CANARY']) expect(bytes).not.toContain(c);
    expect(bytes).toContain('[REDACTED');
    expect((await verifyHomeAudit(dir)).ok).toBe(true);
  });

  it('serves inclusion proofs that verify against the signed checkpoint root', async () => {
    const { home } = await newHome(10);
    for (let i = 0; i < 37; i++) await home.audit.append(event(i));
    const cp = await home.audit.checkpoint();
    expect(cp?.tree_size).toBe(40);
    for (const index of [0, 1, 17, 39]) {
      const p = home.audit.inclusionProof(index);
      expect(p.checkpoint?.root_hash).toBe(p.root_hash);
      const hex = (h: string): Buffer => Buffer.from(h, 'hex');
      expect(() =>
        verifyInclusion(index, 40, hex(p.leaf_hash), p.proof.map(hex), hex(p.root_hash)),
      ).not.toThrow();
    }
    expect(() => home.audit.inclusionProof(40)).toThrow(
      expect.objectContaining({ code: 'AUDIT_INDEX_OUT_OF_RANGE' }),
    );
    expect(home.audit.consistencyProof(10, 40).length).toBeGreaterThan(0);
    await home.close();
  });

  it('rejects appends after close with AUDIT_CLOSED', async () => {
    const { home } = await newHome();
    await home.close();
    expect(await codeOf(home.audit.append(event(1)))).toBe('AUDIT_CLOSED');
  });
});

describe('AuditLog recovery', () => {
  it('quarantines, truncates and records a torn final line; verify reports it before recovery', async () => {
    const { dir, home } = await newHome();
    await home.close();
    const torn = '{"event_id":"half-written","timest';
    await appendFile(join(dir, 'audit', 'events.jsonl'), torn);
    const before = await verifyHomeAudit(dir);
    expect(before.break).toMatchObject({ code: 'AUDIT_TORN_TAIL', index: 3 });
    const reopened = await ClearanceHome.open(dir);
    const [recorded] = await reopened.audit.read(3, 1);
    expect(recorded?.event_type).toBe('incomplete_entry');
    expect(recorded?.message).toContain(`${torn.length} bytes`);
    await reopened.close();
    const q = await readdir(join(dir, 'audit', 'quarantine'));
    expect(q).toHaveLength(1);
    expect(await readFile(join(dir, 'audit', 'quarantine', q[0] as string), 'utf8')).toBe(torn);
    expect((await verifyHomeAudit(dir)).ok).toBe(true);
  });

  // Also proves GEN-1.
  it('refuses to open (and so to append to) a tampered log', async () => {
    const { dir, home } = await newHome();
    await home.close();
    const path = join(dir, 'audit', 'events.jsonl');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('user admin created', 'user mallory created'));
    // The edited line is canonical and schema-valid, but its signature no longer verifies and the
    // next event's link no longer matches: opening checks links, so the chain break is reported.
    expect(await codeOf(ClearanceHome.open(dir))).toMatch(
      /^AUDIT_(LINK_BROKEN|SIGNATURE_INVALID)$/,
    );
  });

  it('refuses to open when events after the last checkpoint are chained but not genuinely signed', async () => {
    const { dir, home } = await newHome();
    await home.close(); // checkpoint covers the 3 init events
    const path = join(dir, 'audit', 'events.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const other = digestSigner(privateKey, publicKey);
    // A forger without the key: correct links, the trusted key ref, a signature by another key.
    const forger = { keyRef: home.key.keyRef, sign: (d: Uint8Array) => other.sign(d) };
    const last = parseJsonStrict(lines[2] as string);
    assertAuditEvent(last);
    const sealed = sealAuditEvent(
      {
        event_id: 'forged',
        timestamp: '2026-11-23T00:00:01.000Z',
        event_type: 'user_created',
        workflow_state: 'NONE',
      },
      auditEventDigest(last),
      forger,
    );
    await appendFile(path, `${sealed.line}\n`);
    expect(await codeOf(ClearanceHome.open(dir))).toBe('AUDIT_SIGNATURE_INVALID');
  });

  it('never loses an acknowledged event when the writer is killed mid-stream (SIGKILL)', async () => {
    const { dir, home } = await newHome(25);
    await home.close();
    // The child uses the built package (the README set-up builds it) so it runs as plain Node.
    const script = `
      import { ClearanceHome } from '@clearance/authority';
      const home = await ClearanceHome.open(process.argv[1], { checkpointEvery: 25 });
      let i = 0;
      for (;;) {
        const batch = Array.from({ length: 8 }, () => i++);
        await Promise.all(batch.map(async (n) => {
          const r = await home.audit.append({ event_type: 'state_transition', workflow_state: 'INIT', message: 'crash-' + n });
          process.stdout.write('ack ' + r.index + ' ' + n + '\\n');
        }));
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acks = new Map<number, number>();
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        const [, index, n] = l.split(' ');
        acks.set(Number(index), Number(n));
      }
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (acks.size >= 400) {
          clearInterval(check);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.once('exit', r));
    const reopened = await ClearanceHome.open(dir);
    const stored = await reopened.audit.read(0, reopened.audit.size);
    for (const [index, n] of acks) expect(stored[index]?.message).toBe(`crash-${n}`);
    await reopened.close();
    expect((await verifyHomeAudit(dir)).ok).toBe(true);
  });
});

describe('ClearanceHome', () => {
  it('stores only token digests; the admin token file is 0600', async () => {
    const { dir, home, token } = await newHome();
    expect(home.users.authenticate(token)?.name).toBe('admin');
    expect(home.users.authenticate(`${token}x`)).toBeUndefined();
    expect(home.users.authenticate('not-a-token')).toBeUndefined();
    await home.close();
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dir, 'secrets', 'admin.token'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys', 'audit-signing.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'identity', 'users.json'))).mode & 0o777).toBe(0o600);
    for (const f of ['identity/users.json', 'audit/events.jsonl', 'clearance.json']) {
      expect(await readFile(join(dir, f), 'utf8')).not.toContain(token);
    }
  });

  it('refuses a second init, a non-empty folder, a second writer and an exposed key', async () => {
    const { dir, home } = await newHome();
    expect(await codeOf(ClearanceHome.init(dir))).toBe('HOME_ALREADY_INITIALIZED');
    expect(await codeOf(ClearanceHome.open(dir))).toBe('HOME_LOCKED');
    await home.close();
    const other = await mkdtemp(join(tmpdir(), 'clearance-nonempty-'));
    await writeFile(join(other, 'stray'), 'x');
    expect(await codeOf(ClearanceHome.init(other))).toBe('HOME_INVALID');
    expect(await codeOf(ClearanceHome.open(other))).toBe('HOME_NOT_INITIALIZED');
    await chmod(join(dir, 'keys', 'audit-signing.key'), 0o644);
    expect(await codeOf(ClearanceHome.open(dir))).toBe('KEY_INVALID');
  });

  it('refuses invalid and duplicate users', async () => {
    const { home } = await newHome();
    expect(await codeOf(home.addUser('Bad Name', ['admin'], 't'))).toBe('USER_INVALID');
    expect(await codeOf(home.addUser('bob', [], 't'))).toBe('USER_INVALID');
    expect(await codeOf(home.addUser('admin', ['operator'], 't'))).toBe('USER_EXISTS');
    await home.close();
  });
});
