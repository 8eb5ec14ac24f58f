// Any UTF-16 surrogate code unit; only strings containing one need the slow pairing check.
const SURROGATE_RE = /[\uD800-\uDFFF]/;

/**
 * True when `s` contains a high surrogate not followed by a low one, or a low surrogate not
 * preceded by a high one. Such strings have no UTF-8 encoding, so they cannot be hashed
 * unambiguously (RFC 8785 §3.2.2.2 requires them to be rejected).
 */
export function hasLoneSurrogate(s: string): boolean {
  if (!SURROGATE_RE.test(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++; // skip the low half of a valid pair
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}
