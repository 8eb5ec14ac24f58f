/** U4 (issue 10): the `sandbox` configuration section (launch bound, per-launch uid range). */
import { describe, expect, it } from 'vitest';
import { hasCode } from '@clearance/protocol';
import { DEFAULT_SANDBOX, parseConfig } from '../../src/config/index.js';
import { baseConfig } from './helpers.js';

const parse = (sandbox: unknown) => parseConfig(JSON.stringify({ ...baseConfig(), sandbox }));

function codeAndPath(fn: () => unknown): [string, unknown] {
  try {
    fn();
  } catch (err) {
    if (hasCode(err)) return [err.code, err.detail?.['pointer']];
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('U4: config sandbox section', () => {
  it('U4 SEC-1: absent or empty keeps the fingerprint; values are read', () => {
    const without = parseConfig(JSON.stringify(baseConfig()));
    expect(without.sandbox).toEqual(DEFAULT_SANDBOX);
    expect(parse({}).digest).toBe(without.digest);
    const c = parse({ max_concurrent_launches: 3, launch_uid_first: 200000, launch_uid_count: 10 });
    expect(c.sandbox).toEqual({
      maxConcurrentLaunches: 3,
      launchUids: { first: 200000, count: 10 },
    });
    expect(c.digest).not.toBe(without.digest);
  });

  it.each([
    [{ max_concurrent_launches: 0 }, '/sandbox/max_concurrent_launches'],
    [{ launch_uid_first: 200000 }, '/sandbox/launch_uid_count'],
    [{ launch_uid_first: 60000, launch_uid_count: 10000 }, '/sandbox/launch_uid_first'],
    [{ launch_uid_first: 10, launch_uid_count: 10 }, '/sandbox/launch_uid_first'],
    [
      { max_concurrent_launches: 8, launch_uid_first: 200000, launch_uid_count: 4 },
      '/sandbox/launch_uid_count',
    ],
    [{ unknown: 1 }, '/sandbox/unknown'],
  ])('U4 SEC-1: refuses %j', (sandbox, path) => {
    expect(codeAndPath(() => parse(sandbox))).toEqual(['CONFIG_INVALID', path]);
  });
});
