/**
 * APR-13 / GEN-6: approvals signed by the approver's own Ed25519 key.
 *
 * The message is the §4.2.7 binding `H({domain:"cabincrew.approval.v1", approval_id, workflow_id,
 * step_id, plan_token_hash, approved, approver, timestamp})`: the 32-byte digest is what is signed
 * (as for audit events). The approver chooses the timestamp and signs it; the client sends the
 * envelope `{timestamp, sig, key_ref}` next to its answer, the authority accepts the timestamp only
 * within {@link SIGNATURE_SKEW_MS} of its clock and uses it in the binding, and the accepted
 * envelope is kept in the approval's run artifact (`details.approver_signature`, with the binding
 * fields in `details.binding`), so the signature can be re-verified offline from the home alone
 * ({@link verifyApproverSignature}).
 *
 * Pure: no I/O; callers pass keys and the clock reading.
 */
import type { KeyObject } from 'node:crypto';
import {
  H,
  isSha256Hex,
  keyRefFor,
  verifyDigest,
  type JsonObject,
  type JsonValue,
  HASH_DOMAINS,
} from '@clearance/protocol';

/** Domain of the approval binding (spec §4.2.7 item 8). */
export const APPROVAL_BINDING_DOMAIN = HASH_DOMAINS.APPROVAL_BINDING;

/** How far the signed timestamp may be from the authority's clock: 5 minutes either way. */
export const SIGNATURE_SKEW_MS = 5 * 60_000;

/** The fields of the §4.2.7 binding. */
export interface ApprovalBindingFields {
  readonly approval_id: string;
  readonly workflow_id: string;
  readonly step_id: string;
  readonly plan_token_hash: string;
  readonly approved: boolean;
  readonly approver: string;
  readonly timestamp: string;
}

/** The sidecar envelope an approver sends (G-6, G-30: ApprovalResponse has no field for it). */
export interface ApproverSignature {
  /** RFC 3339 timestamp chosen and signed by the approver. */
  readonly timestamp: string;
  /** Ed25519 signature of the 32-byte binding digest, base64url without padding. */
  readonly sig: string;
  /** `ed25519:<sha256 of the raw public key>` of the signing key. */
  readonly key_ref: string;
}

/** H(cabincrew.approval.v1, fields), lowercase hex. */
export function approvalBinding(fields: ApprovalBindingFields): string {
  return H(APPROVAL_BINDING_DOMAIN, { ...fields });
}

/** Outcome of checking an envelope against the key a user registered. */
export type SignatureCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/**
 * Check an approver's envelope at submission: the key is the one registered for the approver, the
 * timestamp is a UTC RFC 3339 time within the skew window of `nowMs`, and the signature verifies
 * over the binding built with that timestamp.
 */
export function checkApproverSignature(input: {
  readonly fields: Omit<ApprovalBindingFields, 'timestamp'>;
  readonly envelope: ApproverSignature;
  readonly publicKey: KeyObject;
  readonly nowMs: number;
}): SignatureCheck {
  const { envelope } = input;
  if (envelope.key_ref !== keyRefFor(input.publicKey)) {
    return { ok: false, reason: "signed with a key other than the approver's registered key" };
  }
  const at = Date.parse(envelope.timestamp);
  if (!RFC3339_MS.test(envelope.timestamp) || !Number.isFinite(at)) {
    return { ok: false, reason: 'signature timestamp is not a UTC RFC 3339 time' };
  }
  if (Math.abs(at - input.nowMs) > SIGNATURE_SKEW_MS) {
    return { ok: false, reason: 'signature timestamp is outside the allowed clock skew' };
  }
  const binding = approvalBinding({ ...input.fields, timestamp: envelope.timestamp });
  if (!verifyDigest(input.publicKey, Buffer.from(binding, 'hex'), envelope.sig)) {
    return { ok: false, reason: 'signature does not verify over the approval binding' };
  }
  return { ok: true };
}

/** Result of {@link verifyApproverSignature}. */
export type ApproverSignatureVerdict =
  /** Not an accepted approval (another kind of run, or a refused submission). */
  | { readonly kind: 'not-applicable' }
  /** An accepted approval without an approver signature (the approver had no key). */
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'valid'; readonly keyRef: string }
  | { readonly kind: 'invalid'; readonly reason: string };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Offline re-verification (GEN-6, `audit verify --deep`) of one stored run artifact body: for an
 * accepted approval carrying `details.approver_signature`, recompute the binding from the stored
 * fields, check that it is the binding the authority recorded (`hashes.approval_binding`) and that
 * it matches the recorded response, workflow and plan, and verify the signature with the key
 * named by its reference. `publicKeys` maps key references to keys (e.g. every key registered in
 * `identity/users.json`); `approverKeys`, when given, maps users to the references they may sign
 * with, so a valid signature by somebody else's key is refused too.
 */
export function verifyApproverSignature(
  runArtifactBody: JsonObject,
  publicKeys: ReadonlyMap<string, KeyObject>,
  approverKeys?: ReadonlyMap<string, readonly string[]>,
): ApproverSignatureVerdict {
  if (runArtifactBody['kind'] !== 'approval' || runArtifactBody['status'] !== 'OK') {
    return { kind: 'not-applicable' };
  }
  const details = runArtifactBody['details'];
  if (!isObject(details)) return { kind: 'invalid', reason: 'approval run has no details' };
  const envelope = details['approver_signature'];
  if (envelope === undefined) return { kind: 'unsigned' };
  const binding = details['binding'];
  const response = details['approval_response'];
  const hashes = runArtifactBody['hashes'];
  if (!isObject(envelope) || !isObject(binding) || !isObject(response) || !isObject(hashes)) {
    return { kind: 'invalid', reason: 'approval run lacks its signature, binding or response' };
  }
  const sig = text(envelope, 'sig');
  const keyRef = text(envelope, 'key_ref');
  const timestamp = text(envelope, 'timestamp');
  const approved = binding['approved'];
  const fields = {
    approval_id: text(binding, 'approval_id'),
    workflow_id: text(binding, 'workflow_id'),
    step_id: text(binding, 'step_id'),
    plan_token_hash: text(binding, 'plan_token_hash'),
    approver: text(binding, 'approver'),
    timestamp: text(binding, 'timestamp'),
  };
  if (
    sig === undefined ||
    keyRef === undefined ||
    typeof approved !== 'boolean' ||
    Object.values(fields).some((v) => v === undefined)
  ) {
    return { kind: 'invalid', reason: 'approval signature or binding is malformed' };
  }
  const full: ApprovalBindingFields = {
    approval_id: fields.approval_id ?? '',
    workflow_id: fields.workflow_id ?? '',
    step_id: fields.step_id ?? '',
    plan_token_hash: fields.plan_token_hash ?? '',
    approved,
    approver: fields.approver ?? '',
    timestamp: fields.timestamp ?? '',
  };
  // The binding must be the one recorded, about the run's own workflow, plan and response.
  const consistent =
    full.timestamp === timestamp &&
    full.workflow_id === runArtifactBody['workflow_id'] &&
    full.plan_token_hash === runArtifactBody['plan_token_hash'] &&
    full.approval_id === response['approval_id'] &&
    full.approver === response['approver'] &&
    full.approved === response['approved'] &&
    full.timestamp === response['timestamp'];
  if (!consistent) {
    return { kind: 'invalid', reason: 'binding fields differ from the recorded approval' };
  }
  const recomputed = approvalBinding(full);
  const recorded = hashes['approval_binding'];
  if (!isSha256Hex(recorded) || recorded !== recomputed) {
    return { kind: 'invalid', reason: 'recorded approval binding does not match its fields' };
  }
  const key = publicKeys.get(keyRef);
  if (key === undefined) return { kind: 'invalid', reason: `unknown approver key ${keyRef}` };
  const allowed = approverKeys?.get(full.approver);
  if (approverKeys !== undefined && !(allowed ?? []).includes(keyRef)) {
    return { kind: 'invalid', reason: `key ${keyRef} is not registered for ${full.approver}` };
  }
  if (!verifyDigest(key, Buffer.from(recomputed, 'hex'), sig)) {
    return { kind: 'invalid', reason: 'approver signature does not verify' };
  }
  return { kind: 'valid', keyRef };
}
