/**
 * Minimal POSIX globs for policy rules.
 *
 * - `*` matches any run of characters within one path segment; `?` exactly one character (code
 *   point) other than `/`.
 * - A whole segment `**` matches any number of segments: zero when a `/` follows it (the pattern
 *   `**` + `/.env` matches `.env`), at least one at the end of a pattern (`src/**` matches what is
 *   inside `src`, not `src` itself).
 * - Everything else is literal and case-sensitive: no braces, classes or negation.
 * - Dot files are not special: `*` and `**` match them, so a deny on `*.pem` under `**` also
 *   catches `.secret.pem` and files inside `.git`.
 *
 * Matching is pure and never throws. It never matches a path that is not a normalized relative
 * POSIX path (empty, leading `/`, empty, `.` or `..` segments): such paths are suspicious, and the
 * authority rejects them before policies run. Config loading rejects patterns that would silently
 * mean something other than the author expected ({@link globProblem}), because for a deny rule a
 * pattern that never matches is a hole.
 */

/** True when `path` matches `pattern`. */
export function globMatch(pattern: string, path: string): boolean {
  if (pattern === '' || !isNormalizedPath(path)) return false;
  const tokens = pattern.split('/');
  // A trailing `**` needs at least one segment: `**` then one arbitrary segment.
  if (tokens.length > 0 && tokens[tokens.length - 1] === '**') tokens.push('*');
  return matchSequence(tokens, path.split('/'), '**', matchSegment);
}

/** Why `pattern` is not acceptable in a policy config, or undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  if (pattern === '') return 'is empty';
  if (pattern.length > 1024) return 'is longer than 1024 characters';
  if (pattern.startsWith('/')) return 'is absolute (patterns are workspace-relative)';
  if (pattern.startsWith('!')) return 'starts with "!" (negation is not supported)';
  if (/[{}[\]\\]/.test(pattern))
    return 'contains {, }, [, ] or \\ (braces and classes are not supported)';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'contains a control character';
  for (const segment of pattern.split('/')) {
    if (segment === '') return 'has an empty segment (// or a trailing /)';
    if (segment === '.' || segment === '..') return 'has a . or .. segment';
    if (segment.includes('**') && segment !== '**') return 'uses ** inside a segment';
  }
  return undefined;
}

function isNormalizedPath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function matchSegment(pattern: string, segment: string): boolean {
  const chars = Array.from(segment);
  return matchSequence(Array.from(pattern), chars, '*', (p, c) => p === '?' || p === c);
}

/**
 * Wildcard matching of `items` against `tokens`, where `star` matches any run of items and every
 * other token exactly one item accepted by `one`. Greedy with a single backtrack point, which is
 * complete for this pattern language and O(tokens × items), so no pattern can blow up.
 */
function matchSequence(
  tokens: readonly string[],
  items: readonly string[],
  star: string,
  one: (token: string, item: string) => boolean,
): boolean {
  let t = 0;
  let i = 0;
  let starT = -1;
  let starI = 0;
  while (i < items.length) {
    const token = tokens[t];
    const item = items[i];
    if (token === star) {
      starT = t;
      starI = i;
      t += 1;
    } else if (token !== undefined && item !== undefined && one(token, item)) {
      t += 1;
      i += 1;
    } else if (starT >= 0) {
      t = starT + 1;
      starI += 1;
      i = starI;
    } else {
      return false;
    }
  }
  while (tokens[t] === star) t += 1;
  return t === tokens.length;
}
