/** The `approvals` section: signed-approval roles (APR-13) and the rejecter rule (B3). */
import { describe, expect, it } from 'vitest';
import { configJson, parseConfig } from '../../src/config/index.js';
import { baseConfig, setAt, thrown } from './helpers.js';

const parse = (approvals: unknown) =>
  parseConfig(JSON.stringify(setAt(baseConfig(), ['approvals'], approvals)));

describe('approvals config (APR-13, B3)', () => {
  it('APR-13 B3: defaults require no signature and keep rejecters from re-approving', () => {
    const c = parse({});
    expect(c.approvals.requireSignature).toBeUndefined();
    expect(c.approvals.allowRejecterReapproval).toBeUndefined();
  });

  it('APR-13 B3: parses require_signature (sorted, unique) and allow_rejecter_reapproval; both change the fingerprint', () => {
    const c = parse({
      ttl_ms: 60_000,
      require_signature: ['supervisor', 'approver', 'approver'],
      allow_rejecter_reapproval: true,
    });
    expect(c.approvals).toEqual({
      ttlMs: 60_000,
      requireSignature: ['approver', 'supervisor'],
      allowRejecterReapproval: true,
    });
    expect(parseConfig(JSON.stringify(configJson(c))).digest).toBe(c.digest);
    const base = parse({ ttl_ms: 60_000 }).digest;
    expect(parse({ ttl_ms: 60_000, require_signature: ['approver'] }).digest).not.toBe(base);
    expect(parse({ ttl_ms: 60_000, allow_rejecter_reapproval: true }).digest).not.toBe(base);
    // Spelled-out defaults configure the same behaviour: the same fingerprint.
    expect(
      parse({ ttl_ms: 60_000, require_signature: [], allow_rejecter_reapproval: false }).digest,
    ).toBe(base);
  });

  it.each([
    [{ require_signature: 'approver' }, '/approvals/require_signature'],
    [{ require_signature: ['Approver'] }, '/approvals/require_signature/0'],
    [{ allow_rejecter_reapproval: 'yes' }, '/approvals/allow_rejecter_reapproval'],
    [{ signatures: true }, '/approvals/signatures'],
  ])('refuses %j with CONFIG_INVALID at its pointer', (approvals, path) => {
    expect(thrown(() => parse(approvals))).toMatchObject({
      code: 'CONFIG_INVALID',
      detail: { pointer: path },
    });
  });
});
