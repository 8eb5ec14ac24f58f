/**
 * The configured source set: load-time checks and `policy_digest` (spec/cabincrew.md §4.2.3b).
 */
import { HASH_DOMAINS, ClearanceError, H, isSha256Hex, POLICY_SOURCES } from '@clearance/protocol';
import { NAME_RE, RESERVED_SOURCE_NAME } from './names.js';
import type { PolicySource } from './types.js';

/** Hash domain of `policy_digest`. */
export const POLICY_DIGEST_DOMAIN = HASH_DOMAINS.POLICY_DIGEST;

function configError(message: string, path: string): never {
  throw new ClearanceError('POLICY_CONFIG_INVALID', message, { detail: { path } });
}

/**
 * Throw POLICY_CONFIG_INVALID unless every source has a valid, unique, unreserved name, a known
 * kind and a SHA-256 digest. Unique names make the `${name}/` policy-id prefix a real ownership
 * check: no source can emit, or hide behind, another source's evaluations.
 */
export function assertSourceSet(sources: readonly PolicySource[]): void {
  // Checked without narrowing: a JS caller may pass anything, the type says a list.
  const isList: boolean = Array.isArray(sources);
  if (!isList) configError('policy sources must be a list', '/sources');
  const seen = new Set<string>();
  sources.forEach((source, i) => {
    const { name, kind, digest } = source;
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      configError(`policy source ${i} has an invalid name`, `/sources/${i}/name`);
    }
    if (name === RESERVED_SOURCE_NAME) {
      configError(`policy source name ${name} is reserved`, `/sources/${i}/name`);
    }
    if (seen.has(name))
      configError(`policy source ${name} is configured twice`, `/sources/${i}/name`);
    seen.add(name);
    if (!POLICY_SOURCES.includes(kind)) {
      configError(`policy source ${name} has an unknown kind`, `/sources/${i}/kind`);
    }
    if (!isSha256Hex(digest)) {
      configError(`policy source ${name} has no SHA-256 digest`, `/sources/${i}/digest`);
    }
  });
}

/**
 * `policy_digest` over a source set: H over `[{name, kind, digest}]` sorted by name, so it changes
 * whenever a source is added, removed, renamed or reconfigured, and not when the list is reordered.
 */
export function policyDigest(sources: readonly PolicySource[]): string {
  assertSourceSet(sources);
  const entries = sources
    .map(({ name, kind, digest }) => ({ name, kind, digest }))
    // Names are ASCII (NAME_RE), so code-unit order is byte order.
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return H(POLICY_DIGEST_DOMAIN, entries);
}
