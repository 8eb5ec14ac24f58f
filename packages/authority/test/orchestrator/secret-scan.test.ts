/**
 * The known-secret detector and redactor (issue 10 B5/U5; SEC-3, S-26, AUD-7): every encoding of
 * a known value is found anywhere in random text, and redaction removes every form.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  base64Fragment,
  containsSecret,
  findSecrets,
  normalise,
  redactSecrets,
  secretNeedles,
} from '../../src/orchestrator/secret-scan.js';
import { describeLeaks, scanCollected, scrubText } from '../../src/orchestrator/secrets.js';

const MARK = '[X]';

/** Every encoding the issue names, applied to `v` embedded after `prefix` (for base64 offsets). */
function encodings(v: string): Record<string, (prefix: string) => string> {
  const raw = Buffer.from(v, 'utf8');
  const b64 = (p: string) => Buffer.concat([Buffer.from(p, 'utf8'), raw]).toString('base64');
  const b64url = (p: string) => Buffer.concat([Buffer.from(p, 'utf8'), raw]).toString('base64url');
  return {
    plain: () => v,
    upper: () => v.toUpperCase(),
    lower: () => v.toLowerCase(),
    'base64 std': b64,
    'base64 url-safe': b64url,
    'base64 mime-wrapped': (p) => b64(p).replace(/(.{7})/g, '$1\r\n'),
    'hex lower': () => raw.toString('hex'),
    'hex upper': () => raw.toString('hex').toUpperCase(),
    'url encodeURIComponent': () => encodeURIComponent(v),
    'url every byte': () => [...raw].map((c) => `%${c.toString(16).padStart(2, '0')}`).join(''),
    'url every byte upper': () =>
      [...raw].map((c) => `%${c.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    'newline split': () => v.replace(/(.{3})/g, '$1\n'),
    'space split': () => v.split('').join(' '),
    'json-escaped newline split': () => JSON.stringify(v.replace(/(.{4})/g, '$1\n')).slice(1, -1),
    reversed: () => [...v].reverse().join(''),
    'reversed upper': () => [...v].reverse().join('').toUpperCase(),
  };
}

const canary = fc.stringMatching(/^[A-Za-z0-9_\-+/=.:!@#$%^&*]{10,40}$/);
const noise = fc.string({ maxLength: 200 });

describe('secret-scan (B5, U5; SEC-3, S-26)', () => {
  it('B5 SEC-3: base64 fragments are the characters fixed by the value at each alignment', () => {
    const v = Buffer.from('secret-value-123');
    for (const k of [0, 1, 2]) {
      const frag = base64Fragment(v, k);
      for (const p of ['', 'a', 'ab', 'abc', 'abcd']) {
        if (p.length % 3 !== k) continue;
        expect(Buffer.concat([Buffer.from(p), v]).toString('base64')).toContain(frag);
      }
    }
  });

  it('B5 SEC-3: normalisation decodes %XX, drops whitespace and JSON escapes, folds ASCII case', () => {
    expect(normalise(Buffer.from('A%42 c\nD\\nE+f')).bytes.toString('latin1')).toBe('abcdef');
    const m = normalise(Buffer.from('x%41y'), true);
    expect([...(m.start ?? [])]).toEqual([0, 1, 4]);
    expect([...(m.end ?? [])]).toEqual([1, 4, 5]);
  });

  for (const [name, enc] of Object.entries(encodings('sk-live-9f8e7d6c5b4a3210'))) {
    it(`B5 SEC-3 S-26: finds the value as ${name} at every offset`, () => {
      const values = { api: 'sk-live-9f8e7d6c5b4a3210' };
      for (const prefix of ['', 'a', 'ab', 'abc']) {
        const text = `log line ${prefix}${enc(prefix)} trailing`;
        expect(containsSecret(text, values), `${name} after '${prefix}'`).toBe(true);
        const clean = redactSecrets(text, values, MARK);
        expect(containsSecret(clean, values), `redacted ${name}`).toBe(false);
        expect(clean).toContain(MARK);
      }
    });
  }

  it('B5 SEC-3 S-26: a backslash before a value that starts with n, r or t, or a %XX-like run inside a split value, does not hide it (found by the property test)', () => {
    for (const value of ['aaaaaaAaAn', 'nAaAaaaaaa', 'rotate-me-42', 'token-abc-123']) {
      const values = { canary: value };
      for (const text of [`\\${value}`, `\\${[...value].reverse().join('')}`, `x\\\\${value}y`]) {
        expect(containsSecret(text, values), JSON.stringify(text)).toBe(true);
        expect(containsSecret(redactSecrets(text, values, MARK), values)).toBe(false);
      }
    }
    // '+a+-AA_0%a' JSON-escaped with newline splits, followed by '0': '%a0' reads as a byte.
    const split = '+a+-\\nAA_0\\n%a0';
    expect(containsSecret(split, { canary: '+a+-AA_0%a' })).toBe(true);
    expect(
      containsSecret(redactSecrets(split, { canary: '+a+-AA_0%a' }, MARK), {
        canary: '+a+-AA_0%a',
      }),
    ).toBe(false);
  });

  it('B5 SEC-3 S-26 (property): any encoding of a canary embedded anywhere in random text is found and redacted', () => {
    fc.assert(
      fc.property(
        canary,
        noise,
        noise,
        fc.constantFrom(...Object.keys(encodings('x'))),
        (value, before, after, name) => {
          const enc = encodings(value)[name];
          if (enc === undefined) return;
          const text = `${before}${enc(before)}${after}`;
          const values = { canary: value };
          expect(containsSecret(text, values)).toBe(true);
          expect(containsSecret(Buffer.from(text, 'utf8'), values)).toBe(true);
          const clean = redactSecrets(text, values, MARK);
          expect(containsSecret(clean, values)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('B5 SEC-3 (property): text without the value is left unchanged by redaction', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{12,24}$/), noise, (value, text) => {
        fc.pre(!containsSecret(text, { v: value }));
        expect(redactSecrets(text, { v: value }, MARK)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('B5 SEC-3: findings name the secret and the encoding, never the value', () => {
    const values = { alpha: 'alpha-secret-0001', beta: 'beta-secret-00002' };
    const text = `x ${Buffer.from('beta-secret-00002').toString('hex')} y alpha-secret-0001`;
    const found = findSecrets(text, values);
    expect(found).toEqual(
      expect.arrayContaining([
        { secret: 'alpha', encoding: 'plain' },
        { secret: 'beta', encoding: 'hex' },
      ]),
    );
    expect(JSON.stringify(found)).not.toContain('secret-000');
  });

  it('B5 SEC-3: values shorter than the minimum are not searched; short encoded needles are dropped', () => {
    expect(secretNeedles({ s: 'abc' })).toEqual([]);
    const needles = secretNeedles({ s: 'abcd' });
    expect(needles.every((n) => n.forms.every((f) => f.length >= 4))).toBe(true);
    expect(needles.some((n) => n.encoding === 'base64')).toBe(false);
  });

  it('B5 SEC-3: a non-ASCII value is found in UTF-8 bytes and percent-encoded', () => {
    const values = { v: 'pässwörd-ünïcode' };
    expect(containsSecret(encodeURIComponent('pässwörd-ünïcode'), values)).toBe(true);
    expect(containsSecret(Buffer.from('zz pässwörd-ünïcode'), values)).toBe(true);
    expect(redactSecrets('a pässwörd-ünïcode b', values, MARK)).toBe(`a ${MARK} b`);
  });

  it('U5 SEC-3: scrubText (receipts, stderr) removes encoded forms with the engine-secret mark', () => {
    const v = 'token-value-7f3a9b2c';
    const out = scrubText(`echo ${Buffer.from(v).toString('base64')} done`, { t: v });
    expect(out).toContain('[REDACTED:engine-secret]');
    expect(containsSecret(out, { t: v })).toBe(false);
  });

  it('B5 SEC-3 S-26: scanCollected reports path, hash, size and finding of each leaking artifact', () => {
    const v = 'canary-value-0123456';
    const leaks = scanCollected(
      [
        {
          name: 'plan',
          metaBytes: Buffer.from('{"artifact_type":"t"}'),
          body: Buffer.from(`ok ${Buffer.from(v).toString('base64url')}`),
          hash: 'a'.repeat(64),
          descriptor: { size: 99 },
        },
        {
          name: 'state',
          metaBytes: Buffer.from(`{"metadata":{"x":"${[...v].reverse().join('')}"}}`),
          body: null,
          hash: 'b'.repeat(64),
          descriptor: { size: 7 },
        },
        {
          name: 'clean',
          metaBytes: Buffer.from('{}'),
          body: Buffer.from('nothing here'),
          hash: 'c'.repeat(64),
          descriptor: { size: 2 },
        },
      ],
      { canary: v },
    );
    expect(leaks.map((l) => [l.path, l.findings[0]?.encoding])).toEqual([
      ['plan/body.data', 'base64'],
      ['state/artifact.json', 'reversed'],
    ]);
    expect(leaks[0]).toMatchObject({ artifact: 'plan', hash: 'a'.repeat(64), size: 99 });
    const text = describeLeaks(leaks);
    expect(text).toContain('canary as base64');
    expect(containsSecret(text, { canary: v })).toBe(false);
  });

  it('B5 SEC-3 S-26: an artifact folder named after the secret is reported by hash, never by name', () => {
    const v = 'canary-value-0123456';
    const name = Buffer.from(v).toString('hex');
    const leaks = scanCollected(
      [
        {
          name,
          metaBytes: Buffer.from('{}'),
          body: null,
          hash: 'd'.repeat(64),
          descriptor: { size: 2 },
        },
      ],
      { canary: v },
    );
    expect(leaks).toHaveLength(1);
    expect(leaks[0]?.findings).toEqual([{ secret: 'canary', encoding: 'hex' }]);
    expect(describeLeaks(leaks)).not.toContain(name);
  });

  it('B5 SEC-3 S-26: realistic credentials (secretlint fixtures) are found and redacted in every encoding', () => {
    const fixtures = JSON.parse(
      readFileSync(new URL('../fixtures/secretlint/values.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
    expect(Object.keys(fixtures).length).toBe(5);
    for (const [name, value] of Object.entries(fixtures)) {
      for (const [form, enc] of Object.entries(encodings(value))) {
        for (const prefix of ['', 'x', 'xy']) {
          const doc = JSON.stringify({ log: `${prefix}${enc(prefix)}`, other: 'text' });
          const values = { [name]: value };
          expect(findSecrets(Buffer.from(doc), values), `${name} as ${form}`).not.toEqual([]);
          const clean = redactSecrets(doc, values, MARK);
          expect(containsSecret(clean, values), `${name} as ${form} redacted`).toBe(false);
        }
      }
    }
  });
});
