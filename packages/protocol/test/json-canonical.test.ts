import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalizeReference from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalize } from '../src/canonical.js';
import { hasCode } from '../src/errors.js';
import { parseJsonStrict } from '../src/json-parse.js';

const VECTORS = join(import.meta.dirname, 'fixtures', 'rfc8785');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return hasCode(err) ? err.code : 'NOT_A_CLEARANCE_ERROR';
  }
  return undefined;
}

describe('RFC 8785 vectors (cyberphone/json-canonicalization)', () => {
  const names = readdirSync(join(VECTORS, 'input')).filter((f) => f.endsWith('.json'));

  it('has all six vector files', () => {
    expect(names.sort()).toEqual(
      ['arrays', 'french', 'structures', 'unicode', 'values', 'weird'].map((n) => `${n}.json`),
    );
  });

  for (const name of names) {
    it(`canonicalises ${name} to the expected bytes`, () => {
      const input = readFileSync(join(VECTORS, 'input', name));
      const expected = readFileSync(join(VECTORS, 'output', name));
      const hex = readFileSync(join(VECTORS, 'outhex', name.replace('.json', '.txt')), 'utf8');
      const out = canonicalBytes(parseJsonStrict(input));
      expect(out.equals(expected)).toBe(true);
      expect(out.equals(Buffer.from(hex.trim().split(/\s+/).join(''), 'hex'))).toBe(true);
      // Idempotence: the canonical form canonicalises to itself.
      expect(canonicalBytes(parseJsonStrict(expected)).equals(expected)).toBe(true);
    });
  }
});

describe('strict parser rejects what JSON.parse silently accepts', () => {
  const cases: [string, string, string][] = [
    ['duplicate key', '{"a":1,"a":2}', 'JSON_DUPLICATE_KEY'],
    ['duplicate key via escape', '{"a":1,"\\u0061":2}', 'JSON_DUPLICATE_KEY'],
    ['duplicate nested key', '{"x":{"b":1,"b":1}}', 'JSON_DUPLICATE_KEY'],
    ['lone high surrogate', '"\\ud800"', 'JSON_LONE_SURROGATE'],
    ['lone low surrogate', '"\\udc00x"', 'JSON_LONE_SURROGATE'],
    ['reversed pair', '"\\udc00\\ud800"', 'JSON_LONE_SURROGATE'],
    ['lone surrogate in key', '{"\\ud800":1}', 'JSON_LONE_SURROGATE'],
    ['integer above 2^53-1', '9007199254740992', 'JSON_NUMBER_OUT_OF_RANGE'],
    ['integer below -(2^53-1)', '-9007199254740993', 'JSON_NUMBER_OUT_OF_RANGE'],
    ['huge exponent', '1e400', 'JSON_NUMBER_OUT_OF_RANGE'],
    ['NaN literal', 'NaN', 'JSON_INVALID'],
    ['Infinity literal', '-Infinity', 'JSON_INVALID'],
    ['leading zero', '012', 'JSON_INVALID'],
    ['trailing comma', '[1,]', 'JSON_INVALID'],
    ['single quotes', "{'a':1}", 'JSON_INVALID'],
    ['comment', '{"a":1 /* c */}', 'JSON_INVALID'],
    ['raw control char', '"a\u0001b"', 'JSON_INVALID'],
    ['bad escape', '"\\x41"', 'JSON_INVALID'],
    ['short unicode escape', '"\\u12"', 'JSON_INVALID'],
    ['trailing data', '{} {}', 'JSON_INVALID'],
    ['byte order mark', '\ufeff{}', 'JSON_INVALID'],
    ['empty', '', 'JSON_INVALID'],
    ['unterminated', '{"a":"b', 'JSON_INVALID'],
  ];
  for (const [what, text, code] of cases) {
    it(`${what} → ${code}`, () => expect(codeOf(() => parseJsonStrict(text))).toBe(code));
  }

  it('rejects invalid UTF-8 bytes', () => {
    expect(codeOf(() => parseJsonStrict(Uint8Array.of(0x22, 0xff, 0x22)))).toBe('JSON_INVALID');
  });

  it('limits nesting depth and size', () => {
    expect(codeOf(() => parseJsonStrict('['.repeat(200) + ']'.repeat(200)))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => parseJsonStrict('[[1]]', { maxDepth: 1 }))).toBe('JSON_TOO_DEEP');
    expect(codeOf(() => parseJsonStrict('"abcdef"', { maxLength: 4 }))).toBe('JSON_TOO_LARGE');
  });

  it('accepts the boundary integers, exponent doubles and valid pairs', () => {
    expect(parseJsonStrict('9007199254740991')).toBe(2 ** 53 - 1);
    expect(parseJsonStrict('-9007199254740991')).toBe(-(2 ** 53 - 1));
    expect(parseJsonStrict('1E30')).toBe(1e30);
    expect(parseJsonStrict('"\\ud83d\\ude02"')).toBe('😂');
    expect(parseJsonStrict(' [ 1 , {"a" : null} ] ')).toEqual([1, { a: null }]);
  });

  it('treats __proto__ as plain data, never as a prototype', () => {
    const v = parseJsonStrict('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(null);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(canonicalize(v)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('normalises -0 to 0', () => {
    expect(Object.is(parseJsonStrict('-0'), 0)).toBe(true);
  });
});

describe('canonicalize refuses values JSON.stringify would coerce', () => {
  const cases: [string, unknown][] = [
    ['undefined', undefined],
    ['undefined member', { a: undefined }],
    ['NaN', Number.NaN],
    ['Infinity', [Infinity]],
    ['bigint', 1n],
    ['function', () => 1],
    ['symbol', Symbol('s')],
    ['Date', new Date(0)],
    ['Map', new Map()],
    ['Buffer', Buffer.from('x')],
    ['sparse array', [1, , 3]],
    ['lone surrogate', '\ud800'],
    ['2^53 as a number', 2 ** 53],
    ['-(2^53) as a number', -(2 ** 53)],
    ['lone surrogate key', { '\udfff': 1 }],
  ];
  for (const [what, value] of cases) {
    it(what, () => expect(codeOf(() => canonicalize(value))).toBe('CANONICALIZATION_FAILED'));
  }

  it('keeps exponent-form doubles (RFC 8785 number form)', () => {
    expect(canonicalize([1e21, 1e30, -1e21, 2 ** 53 - 1, 0.1, 5e-324])).toBe(
      '[1e+21,1e+30,-1e+21,9007199254740991,0.1,5e-324]',
    );
  });

  it('refuses cycles', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(codeOf(() => canonicalize(a))).toBe('CANONICALIZATION_FAILED');
  });
});

// Arbitrary JSON values as the strict parser accepts them: safe integers, finite doubles,
// well-formed strings (including astral characters and controls), nested arrays and objects.
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((d) => !(Math.abs(d) > Number.MAX_SAFE_INTEGER && Math.abs(d) < 1e21))
      .map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('property: parse → canonicalise → parse', () => {
  it('round-trips every value and canonical output is a fixed point', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        const c = canonicalize(v);
        const reparsed = parseJsonStrict(c);
        expect(reparsed).toEqual(v);
        expect(canonicalize(reparsed)).toBe(c);
      }),
      { numRuns: 2000 },
    );
  });

  it('equal values (any key order, any whitespace) have one canonical form; different values differ', () => {
    fc.assert(
      fc.property(jsonValue, jsonValue, (a, b) => {
        const noisy = JSON.stringify(shuffleKeys(a), null, 2);
        expect(canonicalize(parseJsonStrict(noisy))).toBe(canonicalize(a));
        const same = canonicalize(a) === canonicalize(b);
        expect(same).toBe(deepEqualJson(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the independent canonicalize@4 implementation', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        expect(canonicalize(v)).toBe(canonicalizeReference(v));
      }),
      { numRuns: 2000 },
    );
  });
});

function shuffleKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shuffleKeys);
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).reverse();
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffleKeys(x)]));
  }
  return v;
}

function deepEqualJson(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a))
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqualJson(x, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return (
      ka.length === kb.length &&
      ka.every(
        (k, i) =>
          k === kb[i] &&
          deepEqualJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return Object.is(a, b);
}
