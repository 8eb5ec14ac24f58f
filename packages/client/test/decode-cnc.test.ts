/**
 * I11-3: the client decodes a job view's normalised job by the CNC wire contract's schema, not by
 * a hand copy: the drifted `coolant` (boolean or null when shown) and unknown keys are judged as
 * the authority's read-back parser judges them (see packages/cnc/test/wire-contract.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJob } from '../src/decode-cnc.js';
import { isApiError } from '../src/index.js';

/** A normalised job as the server shows it (coolant and stock null, a resolved contour pocket). */
const SHOWN = JSON.parse(
  readFileSync(new URL('./fixtures/normalized-job.json', import.meta.url), 'utf8'),
) as { cutting: Record<string, unknown> } & Record<string, unknown>;

function codeOf(value: unknown): string {
  try {
    decodeJob(value);
    return 'OK';
  } catch (err) {
    return isApiError(err) ? err.code : 'THREW';
  }
}

describe('I11-3: the client job decoder is the wire schema', () => {
  it('I11-3: coolant true/false/null decode; "yes" or absent is RESPONSE_INVALID', () => {
    const withCoolant = (coolant: unknown): unknown => ({
      ...SHOWN,
      cutting: { ...SHOWN.cutting, coolant },
    });
    expect(decodeJob(SHOWN)).toEqual(SHOWN);
    expect(codeOf(withCoolant(true))).toBe('OK');
    expect(codeOf(withCoolant(false))).toBe('OK');
    expect(codeOf(withCoolant('yes'))).toBe('RESPONSE_INVALID');
    const { coolant: _dropped, ...noCoolant } = SHOWN.cutting;
    expect(codeOf({ ...SHOWN, cutting: noCoolant })).toBe('RESPONSE_INVALID');
  });

  it('I11-3: an unknown key or a sent-form operation in a shown job is RESPONSE_INVALID', () => {
    expect(codeOf({ ...SHOWN, risk_level: 'GREEN' })).toBe('RESPONSE_INVALID');
    expect(codeOf({ ...SHOWN, operations: [{ kind: 'dxf', dxf: '', as: 'pocket' }] })).toBe(
      'RESPONSE_INVALID',
    );
    expect(codeOf({ ...SHOWN, units: 'inch' })).toBe('RESPONSE_INVALID');
  });
});
