/** Shared fixtures of the config tests. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { digestSigner, rawPublicKey, toBase64Url } from '@clearance/protocol';
import { publicationDigest } from '../../src/config/index.js';

/** A JSON object under construction in a test. */
export type Obj = Record<string, unknown>;

/** A pin that matches no real file (parse-only tests never read the executable). */
export const PIN = 'ab'.repeat(32);

/** A fresh, valid, minimal configuration object. */
export function baseConfig(): Obj {
  return {
    version: 1,
    engines: [{ id: 'patch', version: '1.0.0', executable: '/opt/engines/patch.mjs', sha256: PIN }],
    workspaces: [{ name: 'demo', path: '/srv/demo', exclude: ['.git/index'] }],
    policy: { sources: [{ name: 'rules', kind: 'rules', config: { rules: [] } }] },
    approvals: { ttl_ms: 86_400_000 },
    server: { host: '127.0.0.1', port: 8787 },
  };
}

/** Walk `path` from `root` and return the object or array that holds its last key. */
function holder(root: Obj, path: readonly (string | number)[]): Obj {
  let cur: unknown = root;
  for (const key of path.slice(0, -1)) cur = (cur as Obj)[String(key)];
  return cur as Obj;
}

/** Set the value at `path` (creating nothing; the parent must exist). */
export function setAt(root: Obj, path: readonly (string | number)[], value: unknown): Obj {
  holder(root, path)[String(path.at(-1))] = value;
  return root;
}

/** Delete the key at `path`. */
export function deleteAt(root: Obj, path: readonly (string | number)[]): Obj {
  delete holder(root, path)[String(path.at(-1))];
  return root;
}

/** The code and detail of what `fn` throws (undefined code when it does not throw). */
export function thrown(fn: () => unknown): { code?: string; detail?: Obj } {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; detail?: Obj };
    return {
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.detail ? { detail: e.detail } : {}),
    };
  }
  return {};
}

/** Same as {@link thrown}, for a promise. */
export async function rejected(p: Promise<unknown>): Promise<{ code?: string; detail?: Obj }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: string; detail?: Obj };
    return {
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.detail ? { detail: e.detail } : {}),
    };
  }
  return {};
}

/** An Ed25519 publisher generated for the test. */
export interface TestPublisher {
  readonly key: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  sign(e: { id: string; version: string; sha256: string }): string;
}

/** Generate a publisher key pair and a signer over publication digests. */
export function makePublisher(): TestPublisher {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const signer = digestSigner(privateKey, publicKey);
  return {
    key: toBase64Url(rawPublicKey(publicKey)),
    privateKey,
    publicKey,
    sign: (e) => signer.sign(Buffer.from(publicationDigest(e), 'hex')),
  };
}
