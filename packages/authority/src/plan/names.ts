/** Artifact names, roles and the one ordering used everywhere a list is hashed. */

/**
 * An artifact name (§4.2.2 step 1, G-47): ASCII only, so sorting and Unicode normalisation cannot
 * disagree between implementations; the first character is alphanumeric, which rules out `.`,
 * `..` and hidden names; at most 128 characters.
 */
export const ARTIFACT_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The three roles an artifact may have (artifact.md §4). */
export const ARTIFACT_ROLES = ['evidence', 'state', 'log'] as const;

/** Role of an artifact: taken from the receipt, bound through the artifact hash (G-3). */
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];

/** True when `name` is an acceptable artifact name. */
export function isArtifactName(name: unknown): name is string {
  return typeof name === 'string' && ARTIFACT_NAME_RE.test(name);
}

/** True when `role` is one of {@link ARTIFACT_ROLES}. */
export function isArtifactRole(role: unknown): role is ArtifactRole {
  return ARTIFACT_ROLES.some((r) => r === role);
}

/**
 * Order two strings by their UTF-8 bytes. JavaScript's default sort compares UTF-16 code units,
 * which differs from byte order above U+FFFF; hashed lists must sort the same in every language.
 */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A copy of `items` sorted by `key` in UTF-8 byte order. */
export function sortedBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareUtf8(key(x), key(y)));
}
