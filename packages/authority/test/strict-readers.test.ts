import { parseFeasibilityInput, parseJob } from '@clearance/cnc';
import { parseRulesConfig } from '@clearance/governance';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/parse.js';
import { baseConfig } from './config/helpers.js';

describe('I11-3: every strict reader names the bad value in detail.pointer', () => {
  it.each([
    [
      'config',
      () => parseConfig(JSON.stringify({ ...baseConfig(), zz_extra: 1 })),
      'CONFIG_INVALID',
    ],
    ['rules config', () => parseRulesConfig({ zz_extra: 1 }), 'POLICY_CONFIG_INVALID'],
    ['cnc job', () => parseJob({ zz_extra: 1 }), 'VALIDATION_FAILED'],
    ['feasibility input', () => parseFeasibilityInput({ zz_extra: 1 }), 'VALIDATION_FAILED'],
  ])('I11-3: %s refuses an unknown key at /zz_extra', (_name, read, code) => {
    // The detail is exactly `{ pointer }`: no reader keeps its own field name (`path`).
    expect(read).toThrow(expect.objectContaining({ code, detail: { pointer: '/zz_extra' } }));
  });
});
