import { describe, expect, it } from 'vitest';
import { hasCode } from '../src/errors.js';
import {
  assertSha256Hex,
  constantTimeEqual,
  H,
  Hb,
  hashValueBytes,
  isSha256Hex,
} from '../src/hash.js';

// Golden values computed independently (python3 hashlib) over the documented byte layout:
// SHA-256(ascii(domain) || 0x00 || JCS(value)). Changing these breaks every stored hash.
describe('H(domain, value) encoding is pinned', () => {
  it('matches the golden digest for a mixed value', () => {
    expect(H('clearance.golden.v1', { c: 1e30, b: [1, 'x', '€'], a: null })).toBe(
      'a3883da8c656d5012967e651b82d928a472e8a7cddfbf61c44c5f1d88719ca52',
    );
  });

  it('matches the golden digest for the audit-event domain', () => {
    expect(H('cabincrew.audit-event.v1', { event_id: 'e' })).toBe(
      '2304fb7939aa631c8e94878a1582db471289fcc65352aa74fe3f471b752dfa86',
    );
    expect(hashValueBytes('cabincrew.audit-event.v1', { event_id: 'e' }).toString('hex')).toBe(
      '2304fb7939aa631c8e94878a1582db471289fcc65352aa74fe3f471b752dfa86',
    );
  });

  it('separates domains: the same value under two domains hashes differently', () => {
    expect(H('clearance.a.v1', { x: 1 })).not.toBe(H('clearance.b.v1', { x: 1 }));
  });

  it('does not depend on key order or whitespace', () => {
    expect(H('clearance.x.v1', { a: 1, b: 2 })).toBe(H('clearance.x.v1', { b: 2, a: 1 }));
  });

  it.each([
    '',
    'Upper.case',
    'has space',
    'nul\u0000byte',
    'trailing.',
    '.leading',
    'x'.repeat(129),
    'é.v1',
  ])('refuses the domain %j', (domain) => {
    expect(() => H(domain, {})).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID' }));
  });
});

describe('Hb(bytes)', () => {
  it('is plain SHA-256 in lowercase hex', () => {
    expect(Hb(new Uint8Array())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(Hb(Uint8Array.of(0))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    expect(Hb('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('digest helpers', () => {
  it('accepts only lowercase 64-char hex', () => {
    expect(isSha256Hex('a'.repeat(64))).toBe(true);
    expect(isSha256Hex('A'.repeat(64))).toBe(false);
    expect(isSha256Hex('a'.repeat(63))).toBe(false);
    expect(isSha256Hex(`${'a'.repeat(64)}\n`)).toBe(false);
    expect(isSha256Hex(42)).toBe(false);
    try {
      assertSha256Hex('nope');
      expect.fail('should throw');
    } catch (err) {
      expect(hasCode(err, 'HASH_INVALID')).toBe(true);
    }
  });

  it('compares in constant time and handles length mismatch', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
  });
});
