/**
 * Strict JSON parser for untrusted input (engines, HTTP bodies, files read back from disk).
 *
 * `JSON.parse` silently keeps the last of two duplicate keys, accepts lone surrogates and rounds
 * integers past 2^53: each of those lets two parties read different values from the same bytes,
 * which is a tamper vector for anything hashed or signed. This parser rejects all of them
 * (CC-TS profile §4.2.1, I-JSON / RFC 7493) with stable error codes.
 */
import { ClearanceError, type ErrorCode } from './errors.js';
import type { JsonValue } from './types/json.js';
import { hasLoneSurrogate } from './unicode.js';

/** Limits for {@link parseJsonStrict}. */
export interface StrictParseOptions {
  /** Maximum nesting of arrays and objects (default 128). */
  readonly maxDepth?: number;
  /** Maximum input length in UTF-16 code units, or bytes for byte input (default 64 MiB). */
  readonly maxLength?: number;
}

const DEFAULT_MAX_DEPTH = 128;
const DEFAULT_MAX_LENGTH = 64 * 1024 * 1024;
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// JSON number grammar (RFC 8259 §6); the integer form is checked separately against ±(2^53-1).
const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * Parse JSON text (a string, or UTF-8 bytes which must be valid UTF-8) strictly.
 * Throws {@link ClearanceError} with a JSON_* code; `detail.offset` points at the problem.
 */
export function parseJsonStrict(
  input: string | Uint8Array,
  options?: StrictParseOptions,
): JsonValue {
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
  if (input.length > maxLength) {
    throw new ClearanceError('JSON_TOO_LARGE', `JSON input exceeds ${maxLength} units`);
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = fatalDecoder.decode(input);
    } catch (cause) {
      throw new ClearanceError('JSON_INVALID', 'JSON input is not valid UTF-8', { cause });
    }
  }
  return new Parser(text, options?.maxDepth ?? DEFAULT_MAX_DEPTH).parseDocument();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonValue {
    // A byte-order mark is not JSON text (RFC 8259 §8.1 lets parsers ignore it; we refuse instead,
    // so that hashed bytes and parsed values always correspond one to one).
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos !== this.text.length)
      this.fail('JSON_INVALID', 'unexpected data after JSON value');
    return value;
  }

  private fail(code: ErrorCode, message: string): never {
    throw new ClearanceError(code, `${message} at offset ${this.pos}`, {
      detail: { offset: this.pos },
    });
  }

  private skipWhitespace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b: // {
        return this.parseObject(depth + 1);
      case 0x5b: // [
        return this.parseArray(depth + 1);
      case 0x22: // "
        return this.parseString();
      case 0x74: // t
        return this.parseLiteral('true', true);
      case 0x66: // f
        return this.parseLiteral('false', false);
      case 0x6e: // n
        return this.parseLiteral('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        return this.fail(
          'JSON_INVALID',
          Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character',
        );
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('JSON_INVALID', 'invalid literal');
    this.pos += word.length;
    return value;
  }

  private parseNumber(): number {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.text);
    if (m === null) return this.fail('JSON_INVALID', 'invalid number');
    const literal = m[0];
    const value = Number(literal);
    if (!Number.isFinite(value)) this.fail('JSON_NUMBER_OUT_OF_RANGE', 'number is not finite');
    // An integer literal past ±(2^53-1) has already been rounded by Number(): two readers could
    // disagree on its value, so it is refused (I-JSON §2.2). Exponent forms like 1E30 are doubles.
    if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(value)) {
      this.fail('JSON_NUMBER_OUT_OF_RANGE', 'integer outside ±(2^53-1)');
    }
    this.pos += literal.length;
    return value === 0 ? 0 : value; // -0 is not representable in canonical JSON; normalise it
  }

  private parseString(): string {
    const t = this.text;
    let p = this.pos + 1;
    let start = p;
    let out = '';
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 0x22) break;
      if (Number.isNaN(c)) {
        this.pos = p;
        this.fail('JSON_INVALID', 'unterminated string');
      }
      if (c < 0x20) {
        this.pos = p;
        this.fail('JSON_INVALID', 'control character in string');
      }
      if (c === 0x5c) {
        out += t.slice(start, p);
        p = this.parseEscape(p, (s) => (out += s));
        start = p;
        continue;
      }
      p++;
    }
    out += t.slice(start, p);
    this.pos = p + 1;
    if (hasLoneSurrogate(out)) {
      this.fail('JSON_LONE_SURROGATE', 'string contains a lone surrogate');
    }
    return out;
  }

  /** Decode the escape at `p` (pointing at the backslash); returns the position after it. */
  private parseEscape(p: number, emit: (s: string) => void): number {
    const t = this.text;
    const e = t.charAt(p + 1);
    if (e === 'u') {
      const hex = t.slice(p + 2, p + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        this.pos = p;
        this.fail('JSON_INVALID', 'invalid \\u escape');
      }
      emit(String.fromCharCode(parseInt(hex, 16)));
      return p + 6;
    }
    const decoded = Object.hasOwn(ESCAPES, e) ? ESCAPES[e] : undefined;
    if (decoded === undefined) {
      this.pos = p;
      this.fail('JSON_INVALID', 'invalid escape');
    }
    emit(decoded);
    return p + 2;
  }

  private parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail('JSON_TOO_DEEP', 'nesting too deep');
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      out.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.fail('JSON_INVALID', "expected ',' or ']'");
      }
    }
  }

  private parseObject(depth: number): Record<string, JsonValue> {
    if (depth > this.maxDepth) this.fail('JSON_TOO_DEEP', 'nesting too deep');
    this.pos++;
    // A null-prototype object: a "__proto__" key is an ordinary own property, never a prototype.
    const out = Object.create(null) as Record<string, JsonValue>;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22)
        this.fail('JSON_INVALID', 'expected a string key');
      const keyPos = this.pos;
      const key = this.parseString();
      if (Object.hasOwn(out, key)) {
        this.pos = keyPos;
        this.fail('JSON_DUPLICATE_KEY', 'duplicate object key');
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('JSON_INVALID', "expected ':'");
      this.pos++;
      this.skipWhitespace();
      out[key] = this.parseValue(depth);
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) {
        this.pos--;
        this.fail('JSON_INVALID', "expected ',' or '}'");
      }
    }
  }
}
