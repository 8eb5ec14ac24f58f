/**
 * I11-3: the CNC wire contract means the same to the server's ajv (configured as the server
 * configures it: no coercion, patterns without the `u` flag) and to `wireProblem`, which the
 * client and console use; its lists cannot be widened at run time.
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_VERDICT_KEYS,
  CNC_OVERRIDE_BODY_SCHEMA,
  OVERRIDE_REASON,
  OVERRIDE_REASON_WIRE_MAX,
  overrideReasonAccepted,
  TOOL_TYPES,
  wireProblem,
} from '../src/portable.js';

const ajv = new Ajv({ coerceTypes: false, useDefaults: false, unicodeRegExp: false });
const serverAccepts = ajv.compile(CNC_OVERRIDE_BODY_SCHEMA);

describe('I11-3: one override reason rule at the server and in the browser', () => {
  it('I11-3: ajv and wireProblem carry every bounded reason; the rule agrees with the authority’s trimmed length, astral characters included', () => {
    const { min, max } = OVERRIDE_REASON;
    const emoji = '\u{1F527}'; // two UTF-16 units, as String.length counts them
    const reasons = [
      '',
      'r'.repeat(min - 1),
      'r'.repeat(min),
      `\t${'r'.repeat(min - 1)}\n`,
      `\u00a0${'r'.repeat(min)}\u2028`,
      emoji.repeat(min / 2),
      emoji.repeat(min / 2 - 1),
      'r'.repeat(max),
      `${'r'.repeat(max)}   `,
      emoji.repeat(max / 2) + 'r',
      'r'.repeat(max + 1),
      'r'.repeat(OVERRIDE_REASON_WIRE_MAX + 1),
    ];
    for (const reason of reasons) {
      const n = reason.trim().length;
      const authority = n >= min && n <= max;
      const body = { reason, scope: 'YELLOW' };
      // The edge carries every reason up to its bound to the authority, which judges and records.
      const carried = reason.length <= OVERRIDE_REASON_WIRE_MAX;
      expect(serverAccepts(body), JSON.stringify(reason.slice(0, 12))).toBe(carried);
      expect(wireProblem(CNC_OVERRIDE_BODY_SCHEMA, body) === undefined).toBe(carried);
      expect(overrideReasonAccepted(reason)).toBe(authority);
    }
    expect(wireProblem(CNC_OVERRIDE_BODY_SCHEMA, { reason: 'r'.repeat(min), scope: 'GREEN' })).toBe(
      '/scope',
    );
    expect(serverAccepts({ reason: 'r'.repeat(min), extra: 1 })).toBe(false);
    expect(wireProblem(CNC_OVERRIDE_BODY_SCHEMA, { reason: 'r'.repeat(min), extra: 1 })).toBe(
      '/extra',
    );
  });

  it('I11-3: the contract’s lists are frozen', () => {
    expect(Object.isFrozen(CLIENT_VERDICT_KEYS)).toBe(true);
    expect(Object.isFrozen(TOOL_TYPES)).toBe(true);
    expect(Object.isFrozen(OVERRIDE_REASON)).toBe(true);
  });
});
