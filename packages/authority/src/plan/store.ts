/**
 * The content-addressed copy of validated artifacts (spec §4.2.2 step 8, ART-13, G-29).
 *
 * After collection every later step (preflight, approval display, take-off restore, verification)
 * reads the artifacts from here, never from the engine's directory. The set record is canonical
 * JSON stored in the CAS itself, so its address pins every byte of every artifact. Re-hashing
 * recomputes descriptors from the stored bytes and the recorded role; the recorded descriptor and
 * hash are never trusted, so a role edited in a set changes the hash (G-3).
 */
import { canonicalBytes } from '@clearance/protocol';
import { readRecord } from '../cas/read-record.js';
import type { ContentStore } from '../cas/store.js';
import { parseArtifactJson } from './artifact-file.js';
import { artifactHash, descriptorOf, type CollectedArtifact } from './artifacts.js';
import { ARTIFACT_SET_DOMAIN } from './domains.js';
import { compareUtf8, isArtifactName, isArtifactRole, sortedBy } from './names.js';
import { artifactError } from './safe-read.js';
import { parseArtifactSet, type ArtifactSet, type StoredArtifact } from './set-shape.js';

export { ARTIFACT_SET_DOMAIN } from './domains.js';
export type { ArtifactSet, BlobPointer, StoredArtifact } from './set-shape.js';

/** A recomputed artifact hash: what the plan-token check compares. */
export interface RehashedArtifact {
  readonly name: string;
  readonly hash: string;
  readonly size: number;
}

/**
 * Copy collected artifacts into the CAS and store the set record. The descriptor of each artifact
 * is recomputed from private copies of the bytes that are stored, and must match its collected
 * hash: exactly the bytes that were hashed are the bytes that are kept.
 */
export async function storeArtifacts(
  cas: ContentStore,
  collected: readonly CollectedArtifact[],
): Promise<{ set: ArtifactSet; address: string }> {
  const items = sortedBy(collected, (c) => c.name);
  items.forEach((c, i) => {
    const prev = items[i - 1];
    if (prev !== undefined && compareUtf8(prev.name, c.name) === 0) {
      artifactError('ARTIFACT_INVALID', c.name, 'duplicate-name', 'listed twice');
    }
  });
  const artifacts: StoredArtifact[] = [];
  for (const c of items) artifacts.push(await storeOne(cas, c));
  const set: ArtifactSet = { domain: ARTIFACT_SET_DOMAIN, artifacts };
  const ref = await cas.put(canonicalBytes(set));
  return { set, address: ref.address };
}

async function storeOne(cas: ContentStore, c: CollectedArtifact): Promise<StoredArtifact> {
  if (!isArtifactName(c.name) || !isArtifactRole(c.role)) {
    artifactError('ARTIFACT_INVALID', c.name, 'bad-name', 'bad name or role');
  }
  const metaBytes = Buffer.from(c.metaBytes);
  const body = c.body === null ? null : Buffer.from(c.body);
  const artifact = parseArtifactJson(metaBytes, c.name, 'ARTIFACT_INTEGRITY');
  const descriptor = descriptorOf(c.name, c.role, artifact, metaBytes.length, body);
  const hash = artifactHash(descriptor);
  if (hash !== c.hash) {
    artifactError('ARTIFACT_INTEGRITY', c.name, 'collected-hash', 'bytes changed since collection');
  }
  const meta = await cas.put(metaBytes);
  const bodyRef = body === null ? null : await cas.put(body);
  return {
    name: c.name,
    role: c.role,
    artifact_type: artifact.artifact_type,
    action: artifact.action,
    ...(artifact.target === undefined ? {} : { target: artifact.target }),
    mime: artifact.mime,
    descriptor,
    hash,
    meta: { address: meta.address, size: meta.size },
    body: bodyRef === null ? null : { address: bodyRef.address, size: bodyRef.size },
  };
}

/**
 * Read a set record back through readRecord: the CAS re-verifies the blob (CAS_CORRUPT,
 * CAS_NOT_FOUND), then the bytes must be strict, canonical JSON of exactly the written shape
 * (ARTIFACT_INVALID otherwise, the code the set has always had).
 */
export async function loadArtifactSet(cas: ContentStore, address: string): Promise<ArtifactSet> {
  return readRecord(cas, address, ARTIFACT_SET_DOMAIN, parseArtifactSet, {
    code: 'ARTIFACT_INVALID',
  });
}

/**
 * Recompute every artifact's hash from the CAS bytes and the set's role, ignoring the recorded
 * descriptor and hash. CAS errors propagate (CAS_CORRUPT); bytes that no longer form a valid
 * artifact fail with ARTIFACT_INTEGRITY `{name, reason}`.
 */
export async function rehashStored(
  cas: ContentStore,
  set: ArtifactSet,
): Promise<RehashedArtifact[]> {
  const out: RehashedArtifact[] = [];
  for (const a of set.artifacts) {
    const fail = (reason: string, message: string): never =>
      artifactError('ARTIFACT_INTEGRITY', a.name, reason, `stored copy: ${message}`);
    if (!isArtifactRole(a.role)) fail('bad-role', 'role is not evidence/state/log');
    const metaBytes = await cas.get(a.meta.address);
    const artifact = parseArtifactJson(metaBytes, a.name, 'ARTIFACT_INTEGRITY');
    const body = a.body === null ? null : await cas.get(a.body.address);
    if ((artifact.body_file !== undefined) !== (body !== null)) {
      fail('body-mismatch', 'body presence does not match body_file');
    }
    const d = descriptorOf(a.name, a.role, artifact, metaBytes.length, body);
    out.push({ name: a.name, hash: artifactHash(d), size: d.size });
  }
  return out;
}
