/**
 * APR-13: `clearance users add … --public-key FILE` and `clearance users key NAME FILE` register an
 * approver's Ed25519 public key (SPKI PEM); anything else is KEY_INVALID and changes nothing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyRefFor } from '@clearance/protocol';
import { main } from '../src/main.js';

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

async function keyFile(dir: string, name: string) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const file = join(dir, name);
  await writeFile(file, publicKey.export({ type: 'spki', format: 'pem' }));
  return { file, keyRef: keyRefFor(publicKey) };
}

describe('APR-13 clearance users key', () => {
  it('APR-13 GEN-6: registers a PEM public key at creation and replaces it later; a bad file is KEY_INVALID', async () => {
    const root = await mkdtemp(join(tmpdir(), 'clearance-cli-keys-'));
    roots.push(root);
    const home = join(root, 'home');
    expect((await run('init', '--home', home)).code).toBe(0);
    const first = await keyFile(root, 'a.pem');
    const added = await run(
      'users',
      'add',
      'bob',
      '--roles',
      'approver',
      '--public-key',
      first.file,
      '--home',
      home,
      '--json',
    );
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ name: 'bob', key_ref: first.keyRef });

    const second = await keyFile(root, 'b.pem');
    const replaced = await run('users', 'key', 'bob', second.file, '--home', home, '--json');
    expect(replaced.code, replaced.err).toBe(0);
    expect(JSON.parse(replaced.out)).toEqual({ name: 'bob', key_ref: second.keyRef });

    const users = await readFile(join(home, 'identity', 'users.json'), 'utf8');
    expect(users).toContain('BEGIN PUBLIC KEY');

    await writeFile(join(root, 'bad.pem'), 'not a key\n');
    const bad = await run('users', 'key', 'bob', join(root, 'bad.pem'), '--home', home);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('KEY_INVALID');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    await writeFile(join(root, 'rsa.pem'), rsa.export({ type: 'spki', format: 'pem' }));
    expect((await run('users', 'key', 'bob', join(root, 'rsa.pem'), '--home', home)).err).toContain(
      'KEY_INVALID',
    );
    const unknown = await run('users', 'key', 'nobody', second.file, '--home', home);
    expect(unknown.err).toContain('USER_INVALID');
    // The registered key is unchanged by the refused attempts.
    expect(await readFile(join(home, 'identity', 'users.json'), 'utf8')).toBe(users);
  });
});
