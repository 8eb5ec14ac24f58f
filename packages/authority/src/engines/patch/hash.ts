/** SHA-256 helpers of the patch engine (node:crypto only; the bundle cannot import the protocol). */
import { createHash } from 'node:crypto';

/** SHA-256 of raw bytes, lowercase hex (the protocol's `Hb`). */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True for a lowercase hex SHA-256 digest. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
