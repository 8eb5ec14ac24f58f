/**
 * Issue 10 U1/B4 (audit of the merged result): `clearance audit verify --deep --trusted-key FILE`
 * must not trust the home's own key. With --deep the flag was silently dropped: a home whose key
 * files, manifest and log were replaced and fully re-signed by another key verified as intact.
 */
import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClearanceHome, sequentialIds, steppingClock } from '@clearance/authority';
import {
  digestSigner,
  parseJsonStrict,
  sealAuditEvent,
  type AuditEvent,
} from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('clearance audit verify --deep --trusted-key', () => {
  it('U1 / AUD-5: a home re-signed with a replaced key fails --deep against the pinned key (the flag is not ignored)', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'clearance-deepkey-')), 'home');
    const { home } = await ClearanceHome.init(dir, {
      clock: steppingClock(Date.UTC(2026, 10, 23)),
      ids: sequentialIds(),
    });
    await home.close();
    const auditorCopy = join(dir, '..', 'original.pub');
    await cp(join(dir, 'keys', 'audit-signing.pub'), auditorCopy);
    expect(
      (await run('audit', 'verify', '--home', dir, '--deep', '--trusted-key', auditorCopy)).code,
    ).toBe(0);

    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const mallory = digestSigner(privateKey, publicKey);
    const log = join(dir, 'audit', 'events.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
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
    await writeFile(log, lines.map((l) => `${l}\n`).join(''));
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
    // Against its own (replaced) key the home looks intact, deep included…
    expect((await run('audit', 'verify', '--home', dir, '--deep')).code).toBe(0);
    // …so the pinned key must decide, with --deep as without it.
    expect((await run('audit', 'verify', '--home', dir, '--trusted-key', auditorCopy)).code).toBe(
      1,
    );
    const deep = await run(
      'audit',
      'verify',
      '--home',
      dir,
      '--deep',
      '--trusted-key',
      auditorCopy,
    );
    expect(deep.code).not.toBe(0);
  });
});
