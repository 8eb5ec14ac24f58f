/**
 * Strict reading of a stored artifact set (written by {@link storeArtifacts}, read back from the
 * CAS): every object must have exactly the expected keys and types, names must be sorted and
 * unique. Values are rebuilt field by field from narrowed data, never cast.
 */
import { ClearanceError, isSha256Hex, jsonPointer, strictObject } from '@clearance/protocol';
import type { ArtifactDescriptor } from './artifacts.js';
import { ARTIFACT_SET_DOMAIN } from './domains.js';
import { compareUtf8, isArtifactName, isArtifactRole, type ArtifactRole } from './names.js';

/** Where a blob of a stored artifact lives in the CAS. */
export interface BlobPointer {
  readonly address: string;
  readonly size: number;
}

/** One artifact in the content-addressed store. */
export interface StoredArtifact {
  readonly name: string;
  readonly role: ArtifactRole;
  readonly artifact_type: string;
  readonly action: string;
  readonly target?: string;
  readonly mime: string;
  /** As recorded at collection; informational, {@link rehashStored} recomputes it from bytes. */
  readonly descriptor: ArtifactDescriptor;
  readonly hash: string;
  /** The exact bytes of artifact.json. */
  readonly meta: BlobPointer;
  /** The exact bytes of body.data, or null. */
  readonly body: BlobPointer | null;
}

/** The stored artifacts of one flight-plan, sorted by name; stored as canonical JSON. */
export interface ArtifactSet {
  readonly domain: typeof ARTIFACT_SET_DOMAIN;
  readonly artifacts: readonly StoredArtifact[];
}

// The protocol's strict reader, with the artifact set's pinned code (ARTIFACT_INVALID).
function fail(path: string, why: string): never {
  throw new ClearanceError('ARTIFACT_INVALID', `artifact set ${path || '/'}: ${why}`, {
    detail: { pointer: path, reason: 'artifact-set' },
  });
}

function fields(
  value: unknown,
  path: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Readonly<Record<string, unknown>> {
  return strictObject(value, path, { required, optional }, fail);
}

function str(value: unknown, path: string): string {
  return typeof value === 'string' ? value : fail(path, 'not a string');
}

function hex(value: unknown, path: string): string {
  return isSha256Hex(value) ? value : fail(path, 'not a lowercase SHA-256');
}

function count(value: unknown, path: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : fail(path, 'not a non-negative integer');
}

function name(value: unknown, path: string): string {
  return isArtifactName(value) ? value : fail(path, 'not an artifact name');
}

function role(value: unknown, path: string): ArtifactRole {
  return isArtifactRole(value) ? value : fail(path, 'not an artifact role');
}

function pointer(value: unknown, path: string): BlobPointer {
  const v = fields(value, path, ['address', 'size']);
  return {
    address: hex(v.address, jsonPointer(path, 'address')),
    size: count(v.size, jsonPointer(path, 'size')),
  };
}

function descriptor(value: unknown, path: string): ArtifactDescriptor {
  const v = fields(value, path, ['name', 'role', 'meta_hash', 'body_hash', 'size']);
  return {
    name: name(v.name, jsonPointer(path, 'name')),
    role: role(v.role, jsonPointer(path, 'role')),
    meta_hash: hex(v.meta_hash, jsonPointer(path, 'meta_hash')),
    body_hash: v.body_hash === null ? null : hex(v.body_hash, jsonPointer(path, 'body_hash')),
    size: count(v.size, jsonPointer(path, 'size')),
  };
}

function stored(value: unknown, path: string): StoredArtifact {
  const v = fields(
    value,
    path,
    ['name', 'role', 'artifact_type', 'action', 'mime', 'descriptor', 'hash', 'meta', 'body'],
    ['target'],
  );
  const a: StoredArtifact = {
    name: name(v.name, jsonPointer(path, 'name')),
    role: role(v.role, jsonPointer(path, 'role')),
    artifact_type: str(v.artifact_type, jsonPointer(path, 'artifact_type')),
    action: str(v.action, jsonPointer(path, 'action')),
    ...(v.target === undefined ? {} : { target: str(v.target, jsonPointer(path, 'target')) }),
    mime: str(v.mime, jsonPointer(path, 'mime')),
    descriptor: descriptor(v.descriptor, jsonPointer(path, 'descriptor')),
    hash: hex(v.hash, jsonPointer(path, 'hash')),
    meta: pointer(v.meta, jsonPointer(path, 'meta')),
    body: v.body === null ? null : pointer(v.body, jsonPointer(path, 'body')),
  };
  if (a.descriptor.name !== a.name || a.descriptor.role !== a.role) {
    fail(path, 'descriptor does not match the artifact');
  }
  if ((a.body === null) !== (a.descriptor.body_hash === null)) fail(path, 'body does not match');
  return a;
}

/** Narrow a parsed artifact set; ARTIFACT_INVALID on any deviation from the written shape. */
export function parseArtifactSet(value: unknown): ArtifactSet {
  const v = fields(value, '', ['domain', 'artifacts']);
  if (v.domain !== ARTIFACT_SET_DOMAIN) fail('/domain', 'wrong domain');
  if (!Array.isArray(v.artifacts)) return fail('/artifacts', 'not an array');
  const list: unknown[] = v.artifacts;
  const artifacts = list.map((a, i) => stored(a, jsonPointer('/artifacts', i)));
  artifacts.forEach((a, i) => {
    const prev = artifacts[i - 1];
    if (prev !== undefined && compareUtf8(prev.name, a.name) >= 0) {
      fail(jsonPointer('/artifacts', i), 'names are not sorted and unique');
    }
  });
  return { domain: ARTIFACT_SET_DOMAIN, artifacts };
}
