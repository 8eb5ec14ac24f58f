/**
 * Engine publisher signatures (SEC-4). A publisher signs the 32 raw bytes of
 * H('clearance.engine-publication.v1', {id, version, sha256}): the signature binds the engine's
 * name and version to the exact bytes pinned by `sha256`, so a signed entry cannot be pointed at
 * other bytes or renamed without the signature failing.
 */
import {
  ClearanceError,
  fromBase64UrlStrict,
  H,
  hashValueBytes,
  keyRefFor,
  publicKeyFromRaw,
  verifyDigest,
  HASH_DOMAINS,
} from '@clearance/protocol';
import type { KeyObject } from 'node:crypto';
import { configError, ObjectView, pointer, readString } from './reader.js';
import type { EnginePublisher } from './types.js';

/** Hash domain of the publication digest. */
export const PUBLICATION_DOMAIN = HASH_DOMAINS.ENGINE_PUBLICATION;

/** What a publisher signs. */
export interface Publication {
  readonly id: string;
  readonly version: string;
  readonly sha256: string;
}

function publicationValue(e: Publication): Publication {
  // Copy exactly the three fields: an EngineEntry passed in must not leak its other fields.
  return { id: e.id, version: e.version, sha256: e.sha256 };
}

/** H('clearance.engine-publication.v1', {id, version, sha256}), lowercase hex. */
export function publicationDigest(e: Publication): string {
  return H(PUBLICATION_DOMAIN, publicationValue(e));
}

function decodeKey(text: string, path: string): KeyObject {
  try {
    return publicKeyFromRaw(fromBase64UrlStrict(text, 32));
  } catch (cause) {
    throw configError(path, 'must be the base64url of a raw 32-byte Ed25519 public key', cause);
  }
}

/**
 * True when `publisher` signed `e`. A malformed signature is simply invalid (verifyDigest never
 * throws on bad input), so every failure takes the same path.
 */
function signatureValid(publisher: { key: KeyObject; signature: string }, e: Publication): boolean {
  return verifyDigest(
    publisher.key,
    hashValueBytes(PUBLICATION_DOMAIN, publicationValue(e)),
    publisher.signature,
  );
}

function signatureError(engine: string, keyRef: string): ClearanceError {
  return new ClearanceError(
    'ENGINE_SIGNATURE_INVALID',
    `engine ${engine}: the publisher signature does not verify`,
    { detail: { engine, key_ref: keyRef } },
  );
}

const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;

/**
 * Parse the `publisher` object of engine `e` and verify its signature. Malformed key or signature
 * text is CONFIG_INVALID; a well-formed signature that does not verify is ENGINE_SIGNATURE_INVALID.
 */
export function parsePublisher(value: unknown, path: string, e: Publication): EnginePublisher {
  const view = ObjectView.of(value, path, { required: ['key', 'signature'] });
  const key = readString(view.get('key'), view.at('key'), {
    maxLength: 43,
    pattern: BASE64URL_RE,
  });
  const signature = readString(view.get('signature'), view.at('signature'), {
    maxLength: 86,
    pattern: BASE64URL_RE,
  });
  try {
    fromBase64UrlStrict(signature, 64);
  } catch (cause) {
    throw configError(pointer(path, 'signature'), 'must be a base64url 64-byte signature', cause);
  }
  const publicKey = decodeKey(key, view.at('key'));
  const keyRef = keyRefFor(publicKey);
  if (!signatureValid({ key: publicKey, signature }, e)) throw signatureError(e.id, keyRef);
  return { key, signature, keyRef };
}

/** Re-verify a parsed publisher (before every launch); ENGINE_SIGNATURE_INVALID when it fails. */
export function verifyPublisher(publisher: EnginePublisher, e: Publication): void {
  const publicKey = publicKeyFromRaw(fromBase64UrlStrict(publisher.key, 32));
  if (!signatureValid({ key: publicKey, signature: publisher.signature }, e))
    throw signatureError(e.id, publisher.keyRef);
}
