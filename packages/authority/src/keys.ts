/**
 * The home's Ed25519 audit-signing key: `keys/audit-signing.key` (PKCS#8 PEM, 0600) and
 * `keys/audit-signing.pub` (SPKI PEM). A private key readable by group or others is refused.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ClearanceError,
  digestSigner,
  keyRefFor,
  publicKeyFromPem,
  type DigestSigner,
} from '@clearance/protocol';
import { isErrno } from './fs-util.js';

const PRIVATE_FILE = 'audit-signing.key';
const PUBLIC_FILE = 'audit-signing.pub';

/** A loaded signing key pair. */
export interface SigningKey {
  readonly publicKey: KeyObject;
  readonly signer: DigestSigner;
  readonly keyRef: string;
}

/** Create a new key pair in `keysDir`; refuses to overwrite an existing key. */
export async function createSigningKey(keysDir: string): Promise<SigningKey> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' });
  // 'wx': creating the key is a one-time act; an existing key is never replaced.
  await writeFile(join(keysDir, PRIVATE_FILE), privatePem, { mode: 0o600, flag: 'wx' });
  await writeFile(join(keysDir, PUBLIC_FILE), publicPem, { mode: 0o644, flag: 'wx' });
  return { publicKey, signer: digestSigner(privateKey, publicKey), keyRef: keyRefFor(publicKey) };
}

/** Load the key pair, checking file modes and that the two halves belong together. */
export async function loadSigningKey(keysDir: string): Promise<SigningKey> {
  const privatePath = join(keysDir, PRIVATE_FILE);
  try {
    const mode = (await stat(privatePath)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ClearanceError(
        'KEY_INVALID',
        `${privatePath} is accessible by group or others (mode ${mode.toString(8)}); chmod 600 it`,
      );
    }
    const privateKey = createPrivateKey(await readFile(privatePath, 'utf8'));
    const publicKey = await loadPublicKey(keysDir);
    const derived = createPublicKey(privateKey);
    if (keyRefFor(derived) !== keyRefFor(publicKey)) {
      throw new ClearanceError('KEY_INVALID', 'audit-signing.pub does not match audit-signing.key');
    }
    return { publicKey, signer: digestSigner(privateKey, publicKey), keyRef: keyRefFor(publicKey) };
  } catch (err) {
    if (err instanceof ClearanceError) throw err;
    if (isErrno(err, 'ENOENT'))
      throw new ClearanceError('KEY_INVALID', `missing key file in ${keysDir}`, { cause: err });
    throw new ClearanceError('KEY_INVALID', 'audit signing key is unreadable', { cause: err });
  }
}

/** Load only the public key (what an offline verifier needs). */
export async function loadPublicKey(keysDir: string): Promise<KeyObject> {
  return publicKeyFromPem(await readFile(join(keysDir, PUBLIC_FILE), 'utf8'));
}
