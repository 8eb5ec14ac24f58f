/** Receipt ids of the built-in engines (node:crypto only: bundled into each engine). */
import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id from SHA-256(`<domain>` 0x00 mode 0x00 input bytes), with the version nibble
 * set to 8 (RFC 9562 "custom") and the RFC variant bits, so it parses as a UUID wherever one is
 * expected. Deterministic: the same input gives the same receipt id.
 */
export function receiptIdOf(domain: string, input: Uint8Array, mode: string): string {
  const digest = createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${domain}\u0000${mode}\u0000`, 'utf8'), input]))
    .digest('hex');
  const variant = ((parseInt(digest.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    digest.slice(0, 8),
    digest.slice(8, 12),
    `8${digest.slice(13, 16)}`,
    `${variant}${digest.slice(17, 20)}`,
    digest.slice(20, 32),
  ].join('-');
}
