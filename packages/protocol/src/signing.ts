/**
 * Ed25519 signatures over 32-byte digests (CC-TS profile §4.2.11).
 *
 * A key is named by its reference `ed25519:<sha256 of the 32 raw public-key bytes>`, which is what
 * `AuditEvent.signature_key_ref` carries. Verification is pure: callers pass the trusted keys.
 */
import {
  createPublicKey,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { fromBase64UrlStrict, toBase64Url } from './encoding.js';
import { ClearanceError } from './errors.js';
import { Hb } from './hash.js';

/** Prefix of every Ed25519 key reference. */
export const ED25519_KEY_REF_PREFIX = 'ed25519:';
const SIGNATURE_BYTES = 64;
const DIGEST_BYTES = 32;

/** Trusted verification keys, by key reference. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/** Something that can sign digests under a fixed key reference (the private key stays inside). */
export interface DigestSigner {
  readonly keyRef: string;
  sign(digest: Uint8Array): string;
}

function assertEd25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new ClearanceError('KEY_INVALID', `expected an Ed25519 ${type} key`);
  }
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  assertEd25519(publicKey, 'public');
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new ClearanceError('KEY_INVALID', 'public key has no x');
  return fromBase64UrlStrict(jwk.x, DIGEST_BYTES);
}

/** An Ed25519 public key from its 32 raw bytes. */
export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.length !== DIGEST_BYTES)
    throw new ClearanceError('KEY_INVALID', 'Ed25519 public key must be 32 bytes');
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(raw) },
    format: 'jwk',
  });
}

/** An Ed25519 public key from SPKI PEM text; anything else is KEY_INVALID. */
export function publicKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (cause) {
    throw new ClearanceError('KEY_INVALID', 'not a PEM public key', { cause });
  }
  assertEd25519(key, 'public');
  return key;
}

/** Key reference `ed25519:<hex sha256 of raw key>` of a public key. */
export function keyRefFor(publicKey: KeyObject): string {
  return ED25519_KEY_REF_PREFIX + Hb(rawPublicKey(publicKey));
}

/** Trusted-key map from a list of public keys. */
export function trustedKeysFrom(publicKeys: readonly KeyObject[]): TrustedKeys {
  return new Map(publicKeys.map((k) => [keyRefFor(k), k]));
}

/** A signer for `privateKey`, whose reference is derived from `publicKey`. */
export function digestSigner(privateKey: KeyObject, publicKey: KeyObject): DigestSigner {
  assertEd25519(privateKey, 'private');
  const keyRef = keyRefFor(publicKey);
  return {
    keyRef,
    sign(digest: Uint8Array): string {
      if (digest.length !== DIGEST_BYTES)
        throw new ClearanceError('INTERNAL', 'can only sign 32-byte digests');
      return toBase64Url(nodeSign(null, digest, privateKey));
    },
  };
}

/** True when `signature` (canonical base64url) is a valid Ed25519 signature of `digest`. */
export function verifyDigest(publicKey: KeyObject, digest: Uint8Array, signature: string): boolean {
  let sig: Buffer;
  try {
    sig = fromBase64UrlStrict(signature, SIGNATURE_BYTES);
  } catch {
    return false;
  }
  return nodeVerify(null, digest, publicKey, sig);
}
