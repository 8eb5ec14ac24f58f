/**
 * Incremental verification of an audit log, one stored line at a time.
 *
 * For each line, in order: valid UTF-8 and strict JSON; exactly the canonical encoding of its value
 * (so no duplicate keys, no alternative number or escape forms); a schema- and profile-valid
 * AuditEvent; chain_hash absent on the first event and equal to hex E(previous) after it; signed by
 * a trusted key; signature valid. The first failure is the break: its index and code are kept and
 * every later line is ignored, because nothing after a break can be trusted.
 */
import { canonicalMembers } from '../canonical.js';
import { hashCanonicalText } from '../hash.js';
import { ClearanceError, type ErrorCode } from '../errors.js';
import { parseJsonStrict } from '../json-parse.js';
import { hashLeaf, MerkleAccumulator } from '../merkle.js';
import { assertAuditEvent } from '../profile.js';
import { verifyDigest, type TrustedKeys } from '../signing.js';
import type { AuditEvent } from '../types/index.js';
import { AUDIT_EVENT_DOMAIN } from './event.js';

/** Where and why verification first failed. */
export interface AuditBreak {
  readonly index: number;
  readonly code: ErrorCode;
  readonly reason: string;
}

/** Options of {@link AuditChainVerifier}. */
export interface ChainVerifierOptions {
  readonly trustedKeys: TrustedKeys;
  /** Check every event's Ed25519 signature (default true). Links and schema are always checked. */
  readonly verifySignatures?: boolean;
  /** With verifySignatures, check signatures only from this index on (default 0). */
  readonly verifySignaturesFrom?: number;
  /** Keep every leaf hash (needed to serve inclusion proofs); default false. */
  readonly keepLeafHashes?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Streams stored audit lines through every check; see the module comment for the order. */
export class AuditChainVerifier {
  private readonly accumulator = new MerkleAccumulator();
  private readonly leaves: Buffer[] | undefined;
  private readonly ids: string[] | undefined;
  private previous: Buffer | undefined;
  private firstDigest: Buffer | undefined;
  private failure: AuditBreak | undefined;
  private lastEvent: AuditEvent | undefined;

  constructor(private readonly options: ChainVerifierOptions) {
    this.leaves = options.keepLeafHashes === true ? [] : undefined;
    this.ids = options.keepLeafHashes === true ? [] : undefined;
  }

  /** Number of events verified so far (the index of the next line). */
  get count(): number {
    return this.accumulator.size;
  }

  /** The first break, if any. */
  get break(): AuditBreak | undefined {
    return this.failure;
  }

  /** Digest E of the last verified event (what the next event must chain to). */
  get lastDigest(): Buffer | undefined {
    return this.previous;
  }

  /** The last verified event. */
  get last(): AuditEvent | undefined {
    return this.lastEvent;
  }

  /** Log id: hex E(first event), or undefined for an empty log. */
  get logId(): string | undefined {
    return this.firstDigest?.toString('hex');
  }

  /** RFC 6962 root over the verified events. */
  root(): Buffer {
    return this.accumulator.root();
  }

  /** Leaf hashes of the verified events (only with keepLeafHashes). */
  leafHashes(): readonly Buffer[] {
    if (this.leaves === undefined)
      throw new ClearanceError('INTERNAL', 'leaf hashes were not kept');
    return this.leaves;
  }

  /** Event ids of the verified events, in order (only with keepLeafHashes). */
  eventIds(): readonly string[] {
    if (this.ids === undefined) throw new ClearanceError('INTERNAL', 'event ids were not kept');
    return this.ids;
  }

  /**
   * Verify the next stored line (without its newline). Returns the break if this line is the
   * first bad one; once broken, further lines are ignored and the same break is returned.
   */
  push(line: Uint8Array): AuditBreak | undefined {
    if (this.failure !== undefined) return this.failure;
    const index = this.count;
    try {
      const { event, digest } = this.check(line, index);
      if (index === 0) this.firstDigest = digest;
      this.previous = digest;
      this.lastEvent = event;
      const leaf = hashLeaf(line);
      this.accumulator.append(leaf);
      this.leaves?.push(Buffer.from(leaf));
      this.ids?.push(event.event_id);
      return undefined;
    } catch (err) {
      this.failure = toBreak(err, index);
      return this.failure;
    }
  }

  /** Record an externally detected break (e.g. a torn tail) at the current position. */
  fail(code: ErrorCode, reason: string): AuditBreak {
    this.failure ??= { index: this.count, code, reason };
    return this.failure;
  }

  private check(line: Uint8Array, index: number): { event: AuditEvent; digest: Buffer } {
    const { event, digest } = parseCanonicalEvent(line);
    const expected = this.previous?.toString('hex');
    if (index === 0 && event.chain_hash !== undefined) {
      malformed('AUDIT_LINK_BROKEN', 'first event of the log must not carry chain_hash');
    }
    if (index > 0 && event.chain_hash !== expected) {
      malformed('AUDIT_LINK_BROKEN', 'chain_hash does not match the previous event');
    }
    const keyRef = event.signature_key_ref;
    const key = keyRef === undefined ? undefined : this.options.trustedKeys.get(keyRef);
    if (key === undefined) {
      malformed(
        'AUDIT_KEY_UNKNOWN',
        `event is not signed by a trusted key (${keyRef ?? 'no key ref'})`,
      );
    }
    if (
      this.options.verifySignatures !== false &&
      index >= (this.options.verifySignaturesFrom ?? 0)
    ) {
      const signature = event.signature;
      if (signature === undefined || !verifyDigest(key, digest, signature)) {
        malformed('AUDIT_SIGNATURE_INVALID', 'event signature does not verify');
      }
    }
    return { event, digest };
  }
}

function malformed(code: ErrorCode, reason: string): never {
  throw new ClearanceError(code, reason);
}

/** Decode, strictly parse and schema-check one stored line, which must be canonical JSON. */
function parseCanonicalEvent(line: Uint8Array): { event: AuditEvent; digest: Buffer } {
  let text: string;
  let value: unknown;
  try {
    text = utf8.decode(line);
    value = parseJsonStrict(text);
  } catch (cause) {
    const why = cause instanceof ClearanceError ? cause.message : 'invalid UTF-8';
    throw new ClearanceError('AUDIT_EVENT_MALFORMED', `line is not strict JSON: ${why}`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    malformed('AUDIT_EVENT_MALFORMED', 'line is not a JSON object');
  }
  // One serialisation serves both checks: the line must be exactly the canonical form, and the
  // digest E covers the canonical form without the signature member.
  const members = canonicalMembers(value);
  if (`{${members.map((m) => m.text).join(',')}}` !== text) {
    malformed('AUDIT_EVENT_MALFORMED', 'line is not canonical JSON');
  }
  const unsigned = `{${members
    .filter((m) => m.key !== 'signature')
    .map((m) => m.text)
    .join(',')}}`;
  try {
    assertAuditEvent(value);
  } catch (cause) {
    const why = cause instanceof ClearanceError ? cause.message : 'invalid';
    throw new ClearanceError('AUDIT_EVENT_MALFORMED', why, { cause });
  }
  if (value.signature === undefined || value.signature_key_ref === undefined) {
    malformed('AUDIT_SIGNATURE_INVALID', 'event is unsigned');
  }
  return { event: value, digest: hashCanonicalText(AUDIT_EVENT_DOMAIN, unsigned) };
}

function toBreak(err: unknown, index: number): AuditBreak {
  if (err instanceof ClearanceError) return { index, code: err.code, reason: err.message };
  // Anything else is a verifier bug; still a break, never a pass.
  return { index, code: 'INTERNAL', reason: 'unexpected verifier error' };
}
