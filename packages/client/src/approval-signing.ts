/**
 * APR-13 in the browser (and Node ≥ 20): build the §4.2.7 approval binding and sign it with a
 * WebCrypto Ed25519 key. Only WebCrypto is used (no node:crypto), so the console can keep its key
 * non-extractable: the private key never leaves the browser's key store.
 *
 * The binding is `SHA-256("cabincrew.approval.v1" ‖ 0x00 ‖ JCS(fields))`; the fields are strings
 * and one boolean, for which JCS is the JSON text with members sorted by key. The signature is
 * over the 32 digest bytes, base64url without padding, and the key is named by its reference
 * `ed25519:<hex SHA-256 of the 32 raw public-key bytes>` (as the authority's `keyRefFor`).
 */
import { HASH_DOMAINS } from '@clearance/protocol/portable';
import type { ApproverSignature } from './types.js';

/** Domain of the approval binding (spec §4.2.7 item 8). */
export const APPROVAL_BINDING_DOMAIN = HASH_DOMAINS.APPROVAL_BINDING;

/** What an approver signs, besides the timestamp. */
export interface BindingFields {
  readonly approval_id: string;
  readonly workflow_id: string;
  readonly step_id: string;
  readonly plan_token_hash: string;
  readonly approved: boolean;
  readonly approver: string;
}

/**
 * A WebCrypto key (a browser `CryptoKey`), described structurally: the client is also type-checked
 * without the DOM library.
 */
export interface WebCryptoKey {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: object;
  readonly usages: readonly string[];
}

/** A WebCrypto key pair. */
export interface WebCryptoKeyPair {
  readonly publicKey: WebCryptoKey;
  readonly privateKey: WebCryptoKey;
}

/** The part of SubtleCrypto used here. */
interface Subtle {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  exportKey(format: 'raw' | 'spki', key: WebCryptoKey): Promise<ArrayBuffer>;
  generateKey(
    algorithm: { name: string },
    extractable: boolean,
    usages: string[],
  ): Promise<WebCryptoKeyPair | WebCryptoKey>;
  sign(
    algorithm: { name: string },
    key: WebCryptoKey,
    data: Uint8Array<ArrayBuffer>,
  ): Promise<ArrayBuffer>;
}

function subtle(): Subtle {
  const c: unknown = Reflect.get(globalThis, 'crypto');
  const s: unknown = typeof c === 'object' && c !== null ? Reflect.get(c, 'subtle') : undefined;
  if (typeof s !== 'object' || s === null) {
    throw new Error('WebCrypto is not available (a secure context is needed)');
  }
  return s as Subtle;
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function base64Url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** JCS of a flat object of strings and booleans: members sorted by key (UTF-16 order). */
function canonicalFlat(o: Readonly<Record<string, string | boolean>>): string {
  const keys = Object.keys(o).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(',')}}`;
}

/** The 32-byte binding digest of an answer signed at `timestamp`. */
export async function approvalBindingDigest(
  fields: BindingFields,
  timestamp: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const text = canonicalFlat({ ...fields, timestamp });
  const encoder = new TextEncoder();
  const domain = encoder.encode(APPROVAL_BINDING_DOMAIN);
  const body = encoder.encode(text);
  const message = new Uint8Array(domain.length + 1 + body.length);
  message.set(domain, 0);
  message.set(body, domain.length + 1);
  return new Uint8Array(await subtle().digest('SHA-256', message));
}

/** The key reference of an Ed25519 public key given as its 32 raw bytes. */
export async function keyRefOfRaw(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  return `ed25519:${hex(await subtle().digest('SHA-256', raw))}`;
}

/** The key reference and SPKI PEM (what `clearance users key` reads) of a WebCrypto public key. */
export async function describePublicKey(
  key: WebCryptoKey,
): Promise<{ keyRef: string; pem: string }> {
  const raw = new Uint8Array(await subtle().exportKey('raw', key));
  const spki = new Uint8Array(await subtle().exportKey('spki', key));
  const lines = base64(spki).match(/.{1,64}/g) ?? [];
  const pem = `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return { keyRef: await keyRefOfRaw(raw), pem };
}

/** A fresh non-extractable Ed25519 key pair (the public half stays exportable). */
export async function generateApprovalKey(): Promise<WebCryptoKeyPair> {
  const pair = await subtle().generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
  if (!('privateKey' in pair)) throw new Error('Ed25519 key generation returned no key pair');
  return pair;
}

/**
 * Sign an answer: the envelope the server expects next to `approved` (APR-13). The timestamp is
 * the signer's clock, which the server accepts within a few minutes of its own.
 */
export async function signApproval(
  privateKey: WebCryptoKey,
  keyRef: string,
  fields: BindingFields,
  now: Date = new Date(),
): Promise<ApproverSignature> {
  const timestamp = now.toISOString();
  const digest = await approvalBindingDigest(fields, timestamp);
  const sig = new Uint8Array(await subtle().sign({ name: 'Ed25519' }, privateKey, digest));
  return { timestamp, sig: base64Url(sig), key_ref: keyRef };
}
