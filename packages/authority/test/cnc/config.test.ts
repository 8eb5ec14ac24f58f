/** The `cnc` configuration section: defaults, strictness, fingerprint stability. */
import { describe, expect, it } from 'vitest';
import { hasCode } from '@clearance/protocol';
import { DEFAULT_CNC, parseConfig } from '../../src/config/index.js';
import { baseConfig } from '../config/helpers.js';

const parse = (cnc: unknown) => parseConfig(JSON.stringify({ ...baseConfig(), cnc }));

function codeAndPath(fn: () => unknown): [string, unknown] {
  try {
    fn();
  } catch (err) {
    if (hasCode(err)) return [err.code, err.detail?.['pointer']];
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('config cnc section', () => {
  it('defaults: no RED override, approver approves, supervisor overrides, home spool', () => {
    const c = parseConfig(JSON.stringify(baseConfig()));
    expect(c.cnc).toEqual(DEFAULT_CNC);
    expect(c.cnc.spoolDir).toBeUndefined();
  });

  it('an all-default section keeps the fingerprint of a file without one', () => {
    const without = parseConfig(JSON.stringify(baseConfig())).digest;
    expect(parse({}).digest).toBe(without);
    expect(parse({ allow_red_override: false, approval_role: 'approver' }).digest).toBe(without);
    expect(parse({ allow_red_override: true }).digest).not.toBe(without);
    expect(parse({ spool_dir: '/srv/spool' }).digest).not.toBe(without);
  });

  it('reads every key', () => {
    const c = parse({
      spool_dir: '/srv/spool',
      allow_red_override: true,
      approval_role: 'luthier',
      override_role: 'shop-lead',
    });
    expect(c.cnc).toEqual({
      spoolDir: '/srv/spool',
      allowRedOverride: true,
      approvalRole: 'luthier',
      overrideRole: 'shop-lead',
    });
  });

  it('refuses unknown keys, wrong types, relative spool folders and agent roles', () => {
    expect(codeAndPath(() => parse({ allow_red: true }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/allow_red',
    ]);
    expect(codeAndPath(() => parse({ allow_red_override: 'yes' }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/allow_red_override',
    ]);
    expect(codeAndPath(() => parse({ spool_dir: 'spool' }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/spool_dir',
    ]);
    expect(codeAndPath(() => parse({ approval_role: 'agent' }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/approval_role',
    ]);
    expect(codeAndPath(() => parse({ override_role: 'auditor' }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/override_role',
    ]);
    expect(codeAndPath(() => parse({ override_role: 'Boss!' }))).toEqual([
      'CONFIG_INVALID',
      '/cnc/override_role',
    ]);
  });
});
