/**
 * Known-secret detection and redaction, encodings included (SEC-3, S-26, issue 10 B5/U5).
 *
 * An engine that was handed a secret value may hand it back disguised: base64 (standard or
 * url-safe, at any byte alignment), hex (either case), percent-encoded, with its case changed,
 * split by whitespace or newlines, JSON-escaped, or reversed. Every such form must be caught
 * before anything reaches a sink (store, WAL, audit log, run records, HTTP answers).
 *
 * Method: the haystack and every needle go through the same byte-level normalisation — `%XX`
 * decoded, ASCII whitespace, `+` and the JSON escapes `\n` `\r` `\t` dropped, ASCII letters
 * folded to lower case — and the needles are the normalised forms of each encoding of each
 * value. Because both sides share one normaliser, a percent-encoded, re-cased or line-wrapped
 * copy of any needle is found by a plain substring search (native `Buffer.indexOf`); further
 * passes with `%XX` and/or escape decoding switched off catch forms that a stray `%` or `\`
 * next to them, or a `%XX`-like run inside the value, would cut ({@link MODES}). The module is pure:
 * no I/O, no clock.
 *
 * Deliberately over-eager (a false positive costs a readable line; a false negative leaks a
 * credential into an immutable record), but encoded needles shorter than {@link MIN_ENCODED}
 * are not searched: a five-character base64 fragment would match ordinary text.
 */

/** Shortest secret value (in characters) that is searched at all; shorter ones match everywhere. */
export const MIN_SECRET_LENGTH = 4;
/** Shortest normalised needle of an encoded form (base64 fragment, hex) that is searched. */
export const MIN_ENCODED = 8;

/** The encoding class under which a secret was found (never the value). */
export type SecretEncoding = 'plain' | 'reversed' | 'json' | 'hex' | 'base64' | 'base64url';

/** One detected secret: which one (by name) and how it was encoded. */
export interface SecretFinding {
  readonly secret: string;
  readonly encoding: SecretEncoding;
}

/**
 * How a haystack (and every needle, alike) is normalised for one matching pass: whether `%XX` is
 * decoded and whether the escapes `\n` `\r` `\t` are dropped. Each interpretation can swallow a
 * character of a neighbouring secret (a `%` before a hex form, a `\` before a value starting
 * with n, r or t, a value containing `%a0`), so every combination is a pass of its own.
 */
export interface NormaliseMode {
  readonly percent: boolean;
  readonly escapes: boolean;
}

/** The passes of every search, in order. */
export const MODES: readonly NormaliseMode[] = [
  { percent: true, escapes: true },
  { percent: false, escapes: true },
  { percent: true, escapes: false },
  { percent: false, escapes: false },
];

/** A normalised search pattern derived from one secret value. */
export interface SecretNeedle {
  readonly secret: string;
  readonly encoding: SecretEncoding;
  /** The pattern normalised in each of {@link MODES} (same order). */
  readonly forms: readonly Buffer[];
}

const PERCENT = 0x25;
const BACKSLASH = 0x5c;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

function isDropped(c: number): boolean {
  // space, \t \n \v \f \r, and '+' (form-encoded space; also dropped from base64 needles alike)
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x2b;
}

function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** A normalised byte string and, per output byte, the source span it came from. */
export interface Normalised {
  readonly bytes: Buffer;
  /** Source offset of each output byte (present when asked for). */
  readonly start?: Int32Array;
  /** Source end offset (exclusive) of each output byte. */
  readonly end?: Int32Array;
}

/**
 * Normalise bytes for matching: `%XX` decoded (once), ASCII whitespace, `+` and the escapes
 * `\n` `\r` `\t` (after any number of backslashes) dropped, A–Z folded to a–z (also after
 * decoding); `mode` switches the decoding of `%XX` and of the escapes off for the other passes.
 */
export function normalise(
  input: Uint8Array,
  withMap = false,
  mode: NormaliseMode = MODES[0] ?? { percent: true, escapes: true },
): Normalised {
  const out = Buffer.allocUnsafe(input.length);
  const start = withMap ? new Int32Array(input.length) : undefined;
  const end = withMap ? new Int32Array(input.length) : undefined;
  let n = 0;
  let i = 0;
  while (i < input.length) {
    const c = input[i] ?? 0;
    let width = 1;
    let value = c;
    if (mode.percent && c === PERCENT && i + 2 < input.length) {
      const hi = hexValue(input[i + 1] ?? 0);
      const lo = hexValue(input[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        value = hi * 16 + lo;
        width = 3;
      }
    } else if (mode.escapes && c === BACKSLASH) {
      // `\n`, and `\\n` once the text was JSON-encoded again, is a newline split: dropped.
      let j = i + 1;
      while (input[j] === BACKSLASH) j += 1;
      const e = input[j];
      if (e === 0x6e || e === 0x72 || e === 0x74) {
        i = j + 1;
        continue;
      }
    }
    if (!isDropped(value)) {
      out[n] = fold(value);
      if (start !== undefined && end !== undefined) {
        start[n] = i;
        end[n] = i + width;
      }
      n += 1;
    }
    i += width;
  }
  const bytes = out.subarray(0, n);
  return start !== undefined && end !== undefined
    ? { bytes, start: start.subarray(0, n), end: end.subarray(0, n) }
    : { bytes };
}

/**
 * The base64 characters of `value` that do not depend on its neighbours when it starts at byte
 * offset `k` (0, 1 or 2) of a longer stream: characters whose six bits lie wholly inside it.
 */
export function base64Fragment(value: Buffer, k: number): string {
  const padded = Buffer.concat([Buffer.alloc(k), value]);
  const text = padded.toString('base64');
  const first = Math.ceil((8 * k) / 6);
  const last = Math.floor((8 * (k + value.length)) / 6); // exclusive
  return text.slice(first, last);
}

function percentEncoded(raw: Buffer): string {
  return [...raw].map((c) => `%${c.toString(16).padStart(2, '0')}`).join('');
}

function reversed(value: string): string {
  return [...value].reverse().join('');
}

/** Every normalised needle of every value long enough to be searched, deduplicated. */
export function secretNeedles(values: Readonly<Record<string, string>>): SecretNeedle[] {
  const out: SecretNeedle[] = [];
  const seen = new Set<string>();
  const add = (secret: string, encoding: SecretEncoding, form: string, min: number): void => {
    const source = Buffer.from(form, 'utf8');
    const forms = MODES.map((m) => Buffer.from(normalise(source, false, m).bytes));
    if (forms.some((f) => f.length < min)) return;
    const key = [secret, ...forms.map((f) => f.toString('latin1'))].join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ secret, encoding, forms });
  };
  for (const [name, value] of Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    const raw = Buffer.from(value, 'utf8');
    // 'plain' also covers percent-encoding, case changes and whitespace splits (normalisation).
    add(name, 'plain', value, MIN_SECRET_LENGTH);
    // Fully percent-encoded, the value normalises to its own bytes without a second decoding
    // (it may itself contain `%0a`-like text), so that form is a needle of its own.
    add(name, 'plain', percentEncoded(raw), MIN_SECRET_LENGTH);
    add(name, 'reversed', reversed(value), MIN_SECRET_LENGTH);
    add(name, 'json', JSON.stringify(value).slice(1, -1), MIN_SECRET_LENGTH);
    add(name, 'hex', raw.toString('hex'), MIN_ENCODED);
    for (const k of [0, 1, 2]) {
      const b64 = base64Fragment(raw, k);
      add(name, 'base64', b64, MIN_ENCODED);
      add(name, 'base64url', b64.replaceAll('+', '-').replaceAll('/', '_'), MIN_ENCODED);
    }
  }
  return out;
}

function isNeedleList(
  v: Readonly<Record<string, string>> | readonly SecretNeedle[],
): v is readonly SecretNeedle[] {
  return Array.isArray(v);
}

function needlesOf(
  values: Readonly<Record<string, string>> | readonly SecretNeedle[],
): readonly SecretNeedle[] {
  return isNeedleList(values) ? values : secretNeedles(values);
}

function asBytes(haystack: Uint8Array | string): Uint8Array {
  return typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
}

/** Which secrets (by name, with the encoding) occur in `haystack`; one finding per pair. */
export function findSecrets(
  haystack: Uint8Array | string,
  values: Readonly<Record<string, string>> | readonly SecretNeedle[],
): SecretFinding[] {
  const needles = needlesOf(values);
  if (needles.length === 0) return [];
  const input = asBytes(haystack);
  const passes = MODES.map((m) => normalise(input, false, m).bytes);
  const found: SecretFinding[] = [];
  const seen = new Set<string>();
  for (const n of needles) {
    const key = `${n.secret}\u0000${n.encoding}`;
    if (seen.has(key)) continue;
    if (passes.some((hay, i) => n.forms[i] !== undefined && hay.indexOf(n.forms[i]) >= 0)) {
      seen.add(key);
      found.push({ secret: n.secret, encoding: n.encoding });
    }
  }
  return found;
}

/** True when any form of any value occurs in `haystack`. */
export function containsSecret(
  haystack: Uint8Array | string,
  values: Readonly<Record<string, string>> | readonly SecretNeedle[],
): boolean {
  return findSecrets(haystack, values).length > 0;
}

/** Source spans (start, end) of every occurrence of every needle, merged and sorted. */
function spans(haystack: Uint8Array, needles: readonly SecretNeedle[]): [number, number][] {
  const raw: [number, number][] = [];
  for (const [i, mode] of MODES.entries()) {
    const norm = normalise(haystack, true, mode);
    const start = norm.start ?? new Int32Array(0);
    const end = norm.end ?? new Int32Array(0);
    for (const n of needles) {
      const needle = n.forms[i];
      if (needle === undefined) continue;
      let at = norm.bytes.indexOf(needle);
      while (at >= 0) {
        raw.push([start[at] ?? 0, end[at + needle.length - 1] ?? 0]);
        at = norm.bytes.indexOf(needle, at + 1);
      }
    }
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/** Replace every form of every value in `text` with `mark`. */
export function redactSecrets(
  text: string,
  values: Readonly<Record<string, string>> | readonly SecretNeedle[],
  mark: string,
): string {
  const needles = needlesOf(values);
  if (needles.length === 0) return text;
  const bytes = Buffer.from(text, 'utf8');
  const found = spans(bytes, needles);
  if (found.length === 0) return text;
  const parts: Buffer[] = [];
  const marker = Buffer.from(mark, 'utf8');
  let at = 0;
  for (const [s, e] of found) {
    parts.push(bytes.subarray(at, s), marker);
    at = e;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}
