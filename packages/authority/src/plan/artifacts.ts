/**
 * Artifact collection and the per-artifact hash (spec §4.2.2; ART-1..ART-16, ORCH-8, G-1, G-3,
 * G-45..G-47; scenarios S-15, S-16, S-18).
 *
 * ARTIFACTS_DIR was written by a sandboxed, possibly malicious engine. Everything in it is checked
 * before use and nothing outside it is ever opened: names are matched against an ASCII allowlist
 * before they become path components, every component is lstat()ed (symlinks are refused, never
 * followed), files are opened with O_NOFOLLOW and read with caps checked on fstat before reading.
 * Assumption: the engine's processes are gone (the sandbox kills them), so the tree is quiescent;
 * a post-read lstat of each artifact directory catches a directory swapped during the read.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { H, Hb } from '@clearance/protocol';
import type { Artifact, EngineArtifact, EngineOutput } from '@clearance/protocol';
import { listNames, readArtifactFiles } from './artifact-file.js';
import { ARTIFACT_DOMAIN, ARTIFACT_META_DOMAIN } from './domains.js';
import { compareUtf8, isArtifactName, isArtifactRole, type ArtifactRole } from './names.js';
import { artifactError } from './safe-read.js';

export type { ArtifactRole } from './names.js';

/** What the artifact hash covers (§4.2.2 step 7); the role is bound here because PlanArtifactHash has none (G-3). */
export interface ArtifactDescriptor {
  readonly name: string;
  readonly role: ArtifactRole;
  /** `H('cabincrew.artifact-meta.v1', parsed artifact.json)`: whitespace and key order do not count. */
  readonly meta_hash: string;
  /** 'Hb(body.data)', or null without a body file (an inline `body` is covered by meta_hash). */
  readonly body_hash: string | null;
  /**
   * bytes(artifact.json) + bytes(body.data): raw bytes, so reformatting artifact.json to another
   * length changes the artifact hash even though meta_hash (of the parsed value) does not.
   */
  readonly size: number;
}

/** One validated artifact, with the exact bytes that were hashed. */
export interface CollectedArtifact {
  readonly name: string;
  readonly role: ArtifactRole;
  readonly artifact: Artifact;
  readonly metaBytes: Buffer;
  readonly body: Buffer | null;
  readonly descriptor: ArtifactDescriptor;
  /** {@link artifactHash} of the descriptor. */
  readonly hash: string;
}

/** Caps on what an engine may hand in. */
export interface ArtifactLimits {
  /** Most artifacts (default 256). */
  readonly maxArtifacts?: number;
  /** Most bytes over all artifacts (default 256 MiB). */
  readonly maxTotalBytes?: number;
  /** Most bytes of one artifact, artifact.json plus body (default 64 MiB). */
  readonly maxArtifactBytes?: number;
  /** Most bytes of one artifact.json, which is parsed in memory (default 4 MiB). */
  readonly maxMetaBytes?: number;
}

/** Defaults of {@link ArtifactLimits}. */
export const DEFAULT_ARTIFACT_LIMITS: Required<ArtifactLimits> = Object.freeze({
  maxArtifacts: 256,
  maxTotalBytes: 256 * 1024 * 1024,
  maxArtifactBytes: 64 * 1024 * 1024,
  maxMetaBytes: 4 * 1024 * 1024,
});

/** The descriptor of an artifact from its parsed metadata and its bytes. */
export function descriptorOf(
  name: string,
  role: ArtifactRole,
  metaParsed: Artifact,
  metaBytesLength: number,
  body: Uint8Array | null,
): ArtifactDescriptor {
  return {
    name,
    role,
    meta_hash: H(ARTIFACT_META_DOMAIN, metaParsed),
    body_hash: body === null ? null : Hb(body),
    size: metaBytesLength + (body === null ? 0 : body.length),
  };
}

/** The artifact hash `H('cabincrew.artifact.v1', {name, role, meta_hash, body_hash, size})`. */
export function artifactHash(d: ArtifactDescriptor): string {
  // Fields are picked one by one: an object carrying extra properties must not hash differently.
  const { name, role, meta_hash, body_hash, size } = d;
  return H(ARTIFACT_DOMAIN, { name, role, meta_hash, body_hash, size });
}

/**
 * Validate ARTIFACTS_DIR against the receipt and collect every artifact, sorted by name.
 * Throws ARTIFACT_INVALID, or ARTIFACT_INTEGRITY when a declared hash or size is wrong (S-18);
 * `detail` is `{name, reason}`.
 */
export async function collectArtifacts(
  dir: string,
  receipt: EngineOutput,
  limits: ArtifactLimits = {},
): Promise<CollectedArtifact[]> {
  const max = { ...DEFAULT_ARTIFACT_LIMITS, ...limits };
  const declared = declaredArtifacts(receipt, max.maxArtifacts);
  const names = await artifactDirectories(dir, max.maxArtifacts);
  for (const name of names) {
    if (!declared.has(name)) invalid(name, 'undeclared', 'directory is not in the receipt');
  }
  for (const name of declared.keys()) {
    if (!names.includes(name)) invalid(name, 'missing', 'receipt entry has no directory');
  }
  const collected: CollectedArtifact[] = [];
  let remaining = max.maxTotalBytes;
  for (const name of [...names].sort(compareUtf8)) {
    const entry = declared.get(name);
    if (entry === undefined) return invalid(name, 'undeclared', 'directory is not in the receipt');
    const item = await collectOne(dir, entry, {
      metaBytes: Math.min(max.maxMetaBytes, remaining),
      artifactBytes: Math.min(max.maxArtifactBytes, remaining),
    });
    remaining -= item.descriptor.size;
    collected.push(item);
  }
  return collected;
}

/**
 * The authority's own WAL record types: `clearance.*` (filed under the workflow's objects and read
 * back as its request, plan, receipt, outcome or a domain's release) and the plan-token's. An
 * engine artifact of such a type could replace those records or halt the WAL.
 */
function isAuthorityType(type: string): boolean {
  return type.startsWith('clearance.') || type === 'cabincrew.plan-token';
}

function invalid(name: string, reason: string, message: string): never {
  return artifactError('ARTIFACT_INVALID', name, reason, message);
}

/** Receipt entries by name: names valid and unique (S-16c), roles known (ART-5). */
function declaredArtifacts(
  receipt: EngineOutput,
  maxArtifacts: number,
): Map<string, EngineArtifact> {
  const entries = receipt.artifacts ?? [];
  if (entries.length > maxArtifacts) invalid('', 'too-many', `more than ${maxArtifacts} artifacts`);
  const byName = new Map<string, EngineArtifact>();
  for (const entry of entries) {
    if (!isArtifactName(entry.name)) invalid(entry.name, 'bad-name', 'name is not allowed');
    if (byName.has(entry.name))
      invalid(entry.name, 'duplicate-name', 'listed twice in the receipt');
    if (!isArtifactRole(entry.role))
      invalid(entry.name, 'bad-role', 'role is not evidence/state/log');
    byName.set(entry.name, entry);
  }
  return byName;
}

/** Names of the root entries, each a real directory with an allowed name (S-15a, S-15d). */
async function artifactDirectories(dir: string, maxArtifacts: number): Promise<string[]> {
  const root = await lstat(dir).catch(() =>
    invalid('', 'root', 'artifacts directory is unreadable'),
  );
  if (!root.isDirectory()) invalid('', 'root', 'artifacts directory is not a directory');
  const names = await listNames(dir, '', 'ARTIFACT_INVALID');
  if (names.length > maxArtifacts) invalid('', 'too-many', `more than ${maxArtifacts} artifacts`);
  for (const name of names) {
    if (!isArtifactName(name)) invalid(name, 'bad-name', 'name is not allowed');
    const st = await lstat(join(dir, name)).catch(() => invalid(name, 'unreadable', 'unreadable'));
    if (!st.isDirectory()) invalid(name, 'not-a-directory', 'root entry is not a directory');
  }
  return names;
}

async function collectOne(
  dir: string,
  entry: EngineArtifact,
  caps: { metaBytes: number; artifactBytes: number },
): Promise<CollectedArtifact> {
  const { name } = entry;
  const role = entry.role;
  if (!isArtifactRole(role)) return invalid(name, 'bad-role', 'role is not evidence/state/log');
  const path = join(dir, name);
  const before = await lstat(path).catch(() => invalid(name, 'unreadable', 'unreadable'));
  const files = await readArtifactFiles(path, name, caps, 'ARTIFACT_INVALID');
  const after = await lstat(path).catch(() => invalid(name, 'changed', 'directory vanished'));
  if (!after.isDirectory() || after.ino !== before.ino || after.dev !== before.dev) {
    invalid(name, 'changed', 'directory was replaced while being read');
  }
  if (isAuthorityType(files.artifact.artifact_type)) {
    invalid(name, 'reserved-type', 'artifact_type is an authority record type');
  }
  const descriptor = descriptorOf(name, role, files.artifact, files.metaBytes.length, files.body);
  checkDeclared(entry, descriptor, files.metaBytes);
  return { name, role, ...files, descriptor, hash: artifactHash(descriptor) };
}

/**
 * The engine-declared hash is untrusted and only cross-checked (ART-6, G-46, our published choice):
 * it must be `Hb(body.data)` when there is a body, else `Hb(artifact.json bytes)`. A declared
 * size, when present, must be bytes(artifact.json) + bytes(body.data).
 */
function checkDeclared(entry: EngineArtifact, d: ArtifactDescriptor, metaBytes: Buffer): void {
  const expected = d.body_hash ?? Hb(metaBytes);
  if (entry.hash !== expected) {
    artifactError('ARTIFACT_INTEGRITY', d.name, 'declared-hash', 'declared hash does not match');
  }
  if (entry.size !== undefined && entry.size !== d.size) {
    artifactError('ARTIFACT_INTEGRITY', d.name, 'declared-size', 'declared size does not match');
  }
}
