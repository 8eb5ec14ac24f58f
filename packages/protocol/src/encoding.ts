/** Strict byte encodings: decoders refuse anything a matching encoder would not produce. */
import { ClearanceError } from './errors.js';

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

/** Unpadded base64url (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decode unpadded base64url, refusing non-canonical text. Node's decoder ignores stray characters
 * and the unused low bits of the last symbol, so two different strings could decode to the same
 * signature; re-encoding and comparing makes the text itself the only accepted form.
 */
export function fromBase64UrlStrict(text: string, expectedLength?: number): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (!BASE64URL_RE.test(text) || bytes.toString('base64url') !== text) {
    throw new ClearanceError('VALIDATION_FAILED', 'not canonical unpadded base64url');
  }
  if (expectedLength !== undefined && bytes.length !== expectedLength) {
    throw new ClearanceError(
      'VALIDATION_FAILED',
      `expected ${expectedLength} bytes, got ${bytes.length}`,
    );
  }
  return bytes;
}
