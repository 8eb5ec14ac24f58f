import { describe, expect, it } from 'vitest';
import { canonicalize } from '../src/canonical.js';
import { DEFAULT_REDACTION_RULES, REDACTED, Redactor } from '../src/redact.js';

// Canary secrets: realistic shapes, fake values. None may survive redaction anywhere in a value.
const CANARIES: Record<string, string> = {
  aws: 'AKIAIOSFODNN7CANARY1',
  github: 'ghp_C4nAry0123456789abcdefghijklmnopqrstu',
  githubPat: 'github_pat_11CANARY0123456789abcdef_0123456789abcdefghijklmnopqrstuvwxyzCANARY',
  slack: 'xoxb-1234567890-canary-token-value',
  stripe: 'sk_live_CANARY0123456789abcdefgh',
  google: 'AIzaSyCANARY0123456789abcdefghijklmnopq',
  openai: 'sk-proj-CANARY0123456789abcdefghijk',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ',
  clearance: 'clr_CANARYtokenTOKENtoken0123456789abcdef',
  pem: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEICANARYCANARYCANARY\n-----END PRIVATE KEY-----',
};

describe('Redactor', () => {
  const r = new Redactor();

  it('hides values under secret keys whole, keeping the key', () => {
    const out = r.redact({
      password: 'hunter2-canary',
      DB_PASSWORD: 'pw-canary',
      'X-Api-Key': 'k-canary',
      nested: { client_secret: { deep: 'obj-canary' }, fine: 'visible' },
      list: [{ token: 'tok-canary' }],
    });
    expect(out).toEqual({
      password: REDACTED,
      DB_PASSWORD: REDACTED,
      'X-Api-Key': REDACTED,
      nested: { client_secret: REDACTED, fine: 'visible' },
      list: [{ token: REDACTED }],
    });
  });

  it('does not treat protocol fields such as plan_token or signature_key_ref as secrets', () => {
    for (const key of [
      'plan_token',
      'expected_plan_token',
      'plan_token_hash',
      'signature_key_ref',
      'chain_hash',
    ]) {
      expect(r.isSecretKey(key)).toBe(false);
    }
  });

  for (const [name, secret] of Object.entries(CANARIES)) {
    it(`finds the ${name} canary inside free text, arrays and nested objects`, () => {
      const value = {
        message: `deploy failed: ${secret} was rejected`,
        evidence: { log: [`line 1`, `export VALUE=${secret}`], note: { text: secret } },
      };
      const out = canonicalize(r.redact(value));
      expect(out).not.toContain(secret);
      expect(out).toContain('[REDACTED:');
    });
  }

  it('keeps context around bearer headers, URLs and key=value pairs', () => {
    expect(r.redactString('Authorization: Bearer abcdefghijklmnop123')).toBe(
      'Authorization: Bearer [REDACTED:bearer]',
    );
    expect(r.redactString('postgres://app:s3cr3t-canary@db:5432/x')).toBe(
      'postgres://[REDACTED:url-credentials]@db:5432/x',
    );
    expect(r.redactString('password=letmein-canary next')).toBe(
      'password=[REDACTED:key-value-secret] next',
    );
  });

  it('leaves ordinary text and hashes alone', () => {
    const text = `sha256 ${'a'.repeat(64)} for workflow wf-1, approved by alice`;
    expect(r.redactString(text)).toBe(text);
  });

  it('does not mutate its input and can be extended but not weakened', () => {
    const input = { password: 'x-canary' };
    r.redact(input);
    expect(input.password).toBe('x-canary');
    const extended = r.withRules({
      secretKeys: ['pin'],
      patterns: [{ name: 'acme', regex: /ACME-\d{6}/g }],
    });
    expect(extended.redact({ pin: '1234', note: 'ACME-123456' })).toEqual({
      pin: REDACTED,
      note: '[REDACTED:acme]',
    });
    expect(extended.redact({ password: 'p' })).toEqual({ password: REDACTED });
    expect(DEFAULT_REDACTION_RULES.patterns.length).toBeGreaterThan(10);
    expect(
      () => new Redactor({ ...DEFAULT_REDACTION_RULES, patterns: [{ name: 'x', regex: /x/ }] }),
    ).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });
});
