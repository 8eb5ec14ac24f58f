/**
 * I11-3: the client decodes a job view's normalised job by the CNC wire contract's schema, not by
 * a hand copy: the drifted `coolant` (boolean or null when shown) and unknown keys are judged as
 * the authority's read-back parser judges them (see packages/cnc/test/wire-contract.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeJob } from '../src/decode-cnc.js';
import { isApiError } from '../src/index.js';

const SHOWN = {
  units: 'mm',
  machine: 'grbl-desktop',
  tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
  material: { id: 'maple', hardness: 'medium', thickness: 6, resinous: false },
  cutting: {
    stepover: 0.4,
    stepdown: 0.5,
    final_depth: 1.5,
    feed_xy: 800,
    feed_z: 200,
    rpm: 12000,
    safe_z: 5,
    climb: true,
    coolant: null,
  },
  operations: [
    { kind: 'rosette', cx: 100, cy: 100, rings: [{ inner_radius: 48.5, outer_radius: 51.5 }] },
    { kind: 'drill', points: [{ x: 1, y: 2 }], peck: null },
    {
      kind: 'contour_pocket',
      contour: [
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 0, y: 1 },
      ],
    },
  ],
  stock: null,
  layer: null,
};

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
