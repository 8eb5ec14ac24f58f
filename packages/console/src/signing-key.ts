/**
 * APR-13: this browser's approval-signing key. On first use a WebCrypto Ed25519 key pair is made
 * with a NON-EXTRACTABLE private key and kept in IndexedDB (a CryptoKey is stored as an opaque
 * handle: script can sign with it but never read it). One key per signed-in user name. The user
 * registers its public key (shown as PEM, with its `ed25519:` reference) with
 * `clearance users key NAME FILE`; from then on every approval they give is signed with it.
 */
import { describePublicKey, generateApprovalKey } from '@clearance/client';

const DB_NAME = 'clearance';
const STORE = 'approval-keys';

/** The browser's key for one user. */
export interface ApprovalKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** `ed25519:<sha256 of the raw public key>`. */
  readonly keyRef: string;
  /** The SPKI PEM to register. */
  readonly pem: string;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = () => {
    if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
  };
  return request(r);
}

function isPair(v: unknown): v is { privateKey: CryptoKey; publicKey: CryptoKey } {
  if (typeof v !== 'object' || v === null) return false;
  const priv: unknown = Reflect.get(v, 'privateKey');
  const pub: unknown = Reflect.get(v, 'publicKey');
  return priv instanceof CryptoKey && pub instanceof CryptoKey;
}

async function loadOrCreate(user: string): Promise<ApprovalKey> {
  const db = await openDb();
  try {
    const stored: unknown = await request(
      db.transaction(STORE, 'readonly').objectStore(STORE).get(user),
    );
    let pair: { privateKey: CryptoKey; publicKey: CryptoKey };
    if (isPair(stored)) {
      pair = stored;
    } else {
      const made = await generateApprovalKey();
      if (!isPair(made)) throw new Error('WebCrypto returned no Ed25519 key pair');
      pair = made;
      await request(
        db
          .transaction(STORE, 'readwrite')
          .objectStore(STORE)
          .put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, user),
      );
    }
    const { keyRef, pem } = await describePublicKey(pair.publicKey);
    return { ...pair, keyRef, pem };
  } finally {
    db.close();
  }
}

const cache = new Map<string, Promise<ApprovalKey>>();

/** This browser's approval key for `user`, made on first use (one attempt per page load). */
export function approvalKey(user: string): Promise<ApprovalKey> {
  let key = cache.get(user);
  if (key === undefined) {
    key = loadOrCreate(user);
    cache.set(user, key);
    key.catch(() => cache.delete(user));
  }
  return key;
}
