/**
 * Sealing and hashing of audit events (CC-TS profile §4.2.11).
 *
 * E(e) = H("cabincrew.audit-event.v1", e minus "signature"); event n carries chain_hash = hex E(n-1)
 * (omitted on the first event); signature = base64url Ed25519 over the 32 raw bytes of E(e), with
 * signature_key_ref covered by E. The stored line is the canonical JSON of the sealed event.
 */
import { HASH_DOMAINS } from '../hash-domains.js';
import { canonicalize } from '../canonical.js';
import { hashValueBytes } from '../hash.js';
import { assertAuditEvent } from '../profile.js';
import type { DigestSigner } from '../signing.js';
import type { AuditEvent } from '../types/index.js';

/** Hash domain of audit events. */
export const AUDIT_EVENT_DOMAIN = HASH_DOMAINS.AUDIT_EVENT;

/** An event before sealing: the log writer fills chain_hash, signature_key_ref and signature. */
export type AuditEventDraft = Omit<AuditEvent, 'signature' | 'signature_key_ref' | 'chain_hash'>;

/** A sealed event, its canonical line (without newline) and its digest E(e). */
export interface SealedAuditEvent {
  readonly event: AuditEvent;
  readonly line: string;
  readonly digest: Buffer;
}

/** E(e): the 32-byte digest that links and signatures cover (everything but `signature`). */
export function auditEventDigest(event: AuditEvent): Buffer {
  const { signature: _ignored, ...unsigned } = event;
  return hashValueBytes(AUDIT_EVENT_DOMAIN, unsigned);
}

/**
 * Chain `draft` to the previous event's digest (undefined for the first event of a log), sign it
 * and validate the result against the schema and profile. Throws SCHEMA_INVALID/PROFILE_INVALID
 * for a draft that would not verify, so an invalid event can never be appended.
 */
export function sealAuditEvent(
  draft: AuditEventDraft,
  previousDigest: Uint8Array | undefined,
  signer: DigestSigner,
): SealedAuditEvent {
  const unsigned: AuditEvent = {
    ...draft,
    signature_key_ref: signer.keyRef,
    ...(previousDigest === undefined
      ? {}
      : { chain_hash: Buffer.from(previousDigest).toString('hex') }),
  };
  const digest = auditEventDigest(unsigned);
  const event: AuditEvent = { ...unsigned, signature: signer.sign(digest) };
  assertAuditEvent(event);
  return { event, line: canonicalize(event), digest };
}
