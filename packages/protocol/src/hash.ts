/**
 * Domain-separated SHA-256 (CC-TS profile §4.2.1).
 *
 * `H(domain, value)` = SHA-256( ASCII(domain) ‖ 0x00 ‖ JCS(value) ), lowercase hex.
 * `Hb(bytes)`        = SHA-256( bytes ), lowercase hex.
 *
 * The domain tag makes a hash of one kind of object useless as a hash of another kind; the NUL
 * separator cannot occur in a tag, so (domain, value) pairs map to distinct byte strings.
 * These encodings are pinned by golden tests: changing them breaks every stored hash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalize } from './canonical.js';
import { ClearanceError } from './errors.js';

/** Lowercase hex SHA-256 digest (64 characters). */
export type Sha256Hex = string;

const DOMAIN_RE = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;
const SHA256_HEX_RE = /^[0-9a-f]{64}$/;
const SEPARATOR = Buffer.of(0);

/** Throws DOMAIN_INVALID unless `domain` is a lowercase dotted tag such as `clearance.audit-event.v1`. */
export function assertDomain(domain: string): void {
  if (domain.length > 128 || !DOMAIN_RE.test(domain)) {
    throw new ClearanceError('DOMAIN_INVALID', `invalid hash domain ${JSON.stringify(domain)}`);
  }
}

/** Raw 32-byte digest of H(domain, value). */
export function hashValueBytes(domain: string, value: unknown): Buffer {
  return hashCanonicalText(domain, canonicalize(value));
}

/** Raw digest of H(domain, value) when the canonical JSON text of `value` is already known. */
export function hashCanonicalText(domain: string, canonicalJson: string): Buffer {
  assertDomain(domain);
  return createHash('sha256')
    .update(domain, 'ascii')
    .update(SEPARATOR)
    .update(canonicalJson, 'utf8')
    .digest();
}

/** H(domain, value): domain-separated SHA-256 over the canonical JSON of `value`, lowercase hex. */
export function H(domain: string, value: unknown): Sha256Hex {
  return hashValueBytes(domain, value).toString('hex');
}

/** Hb(bytes): plain SHA-256 of raw bytes, lowercase hex (content addresses, file digests). */
export function Hb(bytes: Uint8Array | string): Sha256Hex {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when `s` is a lowercase hex SHA-256 digest. */
export function isSha256Hex(s: unknown): s is Sha256Hex {
  return typeof s === 'string' && SHA256_HEX_RE.test(s);
}

/** Throws HASH_INVALID unless `s` is a lowercase hex SHA-256 digest. */
export function assertSha256Hex(s: unknown, what = 'digest'): asserts s is Sha256Hex {
  if (!isSha256Hex(s))
    throw new ClearanceError('HASH_INVALID', `${what} is not a lowercase hex SHA-256`);
}

/**
 * Constant-time equality for digests, MACs and tokens. Inputs of different length compare
 * unequal without leaking where they differ.
 */
export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const ab = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const bb = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (ab.length !== bb.length) {
    // Still do the work once, so the early return does not time-distinguish much.
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
