/**
 * Signed audit checkpoints: "the first `tree_size` events of log `log_id` have RFC 6962 Merkle root
 * `root_hash`", signed with the log key. Leaves are the exact stored event lines (without newline).
 *
 * digest = H("clearance.audit-checkpoint.v1", {log_id, tree_size, root_hash, timestamp, key_ref});
 * signature = base64url Ed25519 over its 32 raw bytes. log_id = hex E(first event of the log).
 */
import { HASH_DOMAINS } from '../hash-domains.js';
import { canonicalize } from '../canonical.js';
import { ClearanceError } from '../errors.js';
import { hashValueBytes, isSha256Hex } from '../hash.js';
import { parseJsonStrict } from '../json-parse.js';
import { isProfileTimestamp } from '../profile.js';
import type { DigestSigner, TrustedKeys } from '../signing.js';
import { verifyDigest } from '../signing.js';

/** Hash domain of checkpoints. */
export const AUDIT_CHECKPOINT_DOMAIN = HASH_DOMAINS.AUDIT_CHECKPOINT;

/** The signed statement without its signature. */
export interface AuditCheckpointBody {
  readonly log_id: string;
  readonly tree_size: number;
  readonly root_hash: string;
  readonly timestamp: string;
  readonly key_ref: string;
}

/** A signed checkpoint, one canonical JSON line of `checkpoints.jsonl`. */
export interface AuditCheckpoint extends AuditCheckpointBody {
  readonly signature: string;
}

const KEYS = ['key_ref', 'log_id', 'root_hash', 'signature', 'timestamp', 'tree_size'] as const;

/** Digest a checkpoint's body; the signature covers exactly these bytes. */
export function checkpointDigest(body: AuditCheckpointBody): Buffer {
  const { log_id, tree_size, root_hash, timestamp, key_ref } = body;
  return hashValueBytes(AUDIT_CHECKPOINT_DOMAIN, {
    log_id,
    tree_size,
    root_hash,
    timestamp,
    key_ref,
  });
}

/** Sign a checkpoint for a tree of `tree_size` events with root `root_hash`. */
export function sealCheckpoint(
  body: Omit<AuditCheckpointBody, 'key_ref'>,
  signer: DigestSigner,
): { readonly checkpoint: AuditCheckpoint; readonly line: string } {
  const full: AuditCheckpointBody = { ...body, key_ref: signer.keyRef };
  const checkpoint: AuditCheckpoint = { ...full, signature: signer.sign(checkpointDigest(full)) };
  assertCheckpointShape(checkpoint);
  return { checkpoint, line: canonicalize(checkpoint) };
}

function invalid(message: string): never {
  throw new ClearanceError('AUDIT_CHECKPOINT_INVALID', message);
}

function assertCheckpointShape(value: unknown): asserts value is AuditCheckpoint {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    invalid('checkpoint is not an object');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.length !== KEYS.length || keys.some((k, i) => k !== KEYS[i]))
    invalid('checkpoint has wrong fields');
  const size = record['tree_size'];
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1)
    invalid('tree_size must be an integer ≥ 1');
  if (!isSha256Hex(record['log_id']) || !isSha256Hex(record['root_hash']))
    invalid('log_id/root_hash must be hex');
  if (!isProfileTimestamp(record['timestamp'])) invalid('timestamp is not RFC 3339 UTC ms');
  if (typeof record['key_ref'] !== 'string' || typeof record['signature'] !== 'string')
    invalid('bad key_ref/signature');
}

/** Parse one stored checkpoint line strictly: canonical JSON with exactly the checkpoint fields. */
export function parseCheckpointLine(line: string): AuditCheckpoint {
  let value: unknown;
  try {
    value = parseJsonStrict(line);
  } catch (cause) {
    throw new ClearanceError('AUDIT_CHECKPOINT_INVALID', 'checkpoint is not valid JSON', { cause });
  }
  assertCheckpointShape(value);
  if (canonicalize(value) !== line) invalid('checkpoint line is not canonical JSON');
  return value;
}

/** Throws AUDIT_CHECKPOINT_INVALID unless the checkpoint is signed by a trusted key. */
export function assertCheckpointSigned(
  checkpoint: AuditCheckpoint,
  trustedKeys: TrustedKeys,
): void {
  const key = trustedKeys.get(checkpoint.key_ref);
  if (key === undefined) invalid(`checkpoint signed by untrusted key ${checkpoint.key_ref}`);
  if (!verifyDigest(key, checkpointDigest(checkpoint), checkpoint.signature))
    invalid('checkpoint signature invalid');
}
