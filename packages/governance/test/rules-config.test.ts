import { describe, expect, it } from 'vitest';
import { RulesPolicySource, parseRulesConfig } from '../src/index.js';
import { codeOf, pathOf } from './helpers.js';

const rule = (over: object = {}): object => ({
  id: 'no-env-files',
  match: { path: ['**/.env'] },
  decision: 'deny',
  reason: 'env files hold secrets',
  ...over,
});
const ruleWithout = (key: string): object =>
  Object.fromEntries(Object.entries(rule()).filter(([k]) => k !== key));
const config = (over: object = {}, rules: unknown[] = [rule()]): object => ({
  default: 'require_approval',
  default_role: 'approver',
  rules,
  ...over,
});

describe('rules config: accepted', () => {
  it('parses the documented example', () => {
    const parsed = parseRulesConfig(
      config({}, [
        rule({
          description: 'no dotenv',
          match: {
            engine: ['patch'],
            artifact_type: ['file_change'],
            action: ['modify', 'create'],
            role: ['evidence'],
            mime: ['text/x-diff'],
            target: ['src/**'],
            path: ['**/.env', '.env'],
            size_gt: 10,
            size_lte: 1048576,
            metadata: { key: ['v1', 'v2'] },
          },
        }),
        rule({
          id: 'big',
          match: { size_gt: 1 },
          decision: 'require_approval',
          role: 'security-engineer',
        }),
      ]),
    );
    expect(parsed.config.default).toBe('require_approval');
    expect(parsed.config.rules.map((r) => r.id)).toEqual(['no-env-files', 'big']);
    expect(parsed.config.rules[0]?.match.metadata).toEqual([['key', ['v1', 'v2']]]);
    expect(parsed.config.rules[1]?.role).toBe('security-engineer');
  });

  it('accepts a config without rules (the default decides everything)', () => {
    expect(parseRulesConfig({ default: 'deny' }).config.rules).toEqual([]);
  });

  it('digest is stable under key order and changes with the rules', () => {
    const a = RulesPolicySource.fromConfig('r', config());
    const reordered = RulesPolicySource.fromConfig('r', {
      rules: [rule()],
      default_role: 'approver',
      default: 'require_approval',
    });
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.digest).toBe(a.digest);
    expect(
      RulesPolicySource.fromConfig('r', config({}, [rule({ reason: 'other' })])).digest,
    ).not.toBe(a.digest);
  });
});

describe('rules config: refused with POLICY_CONFIG_INVALID and a JSON path', () => {
  it.each([
    ['not an object', [], ''],
    ['unknown top-level key', config({ mode: 'x' }), '/mode'],
    ['missing default (no implicit allow)', { rules: [] }, '/default'],
    ['bad default', config({ default: 'ALLOW' }), '/default'],
    ['require_approval default without role', { default: 'require_approval' }, '/default_role'],
    [
      'default_role with a non-approval default',
      { default: 'deny', default_role: 'approver' },
      '/default_role',
    ],
    ['invalid default role', config({ default_role: 'Approver!' }), '/default_role'],
    ['rules not a list', config({ rules: {} }), '/rules'],
    ['rule not an object', config({}, ['deny']), '/rules/0'],
    ['unknown rule key', config({}, [rule({ priority: 1 })]), '/rules/0/priority'],
    ['bad decision', config({}, [rule({ decision: 'block' })]), '/rules/0/decision'],
    ['missing decision', config({}, [ruleWithout('decision')]), '/rules/0/decision'],
    ['missing reason', config({}, [ruleWithout('reason')]), '/rules/0/reason'],
    ['blank reason', config({}, [rule({ reason: '  ' })]), '/rules/0/reason'],
    [
      'require_approval without role',
      config({}, [rule({ decision: 'require_approval' })]),
      '/rules/0/role',
    ],
    ['role on a deny rule', config({}, [rule({ role: 'approver' })]), '/rules/0/role'],
    ['duplicate id', config({}, [rule(), rule()]), '/rules/1/id'],
    ['bad id (uppercase)', config({}, [rule({ id: 'NoEnv' })]), '/rules/0/id'],
    ['bad id (slash)', config({}, [rule({ id: 'a/b' })]), '/rules/0/id'],
    ['bad id (too long)', config({}, [rule({ id: 'a'.repeat(65) })]), '/rules/0/id'],
    ['reserved id default', config({}, [rule({ id: 'default' })]), '/rules/0/id'],
    ['reserved id failure', config({}, [rule({ id: 'failure' })]), '/rules/0/id'],
    ['description not a string', config({}, [rule({ description: 1 })]), '/rules/0/description'],
    ['missing match', config({}, [ruleWithout('match')]), '/rules/0/match'],
    ['empty match', config({}, [rule({ match: {} })]), '/rules/0/match'],
    ['unknown match key', config({}, [rule({ match: { file: ['x'] } })]), '/rules/0/match/file'],
    ['empty list', config({}, [rule({ match: { engine: [] } })]), '/rules/0/match/engine'],
    [
      'non-string item',
      config({}, [rule({ match: { action: ['a', 1] } })]),
      '/rules/0/match/action/1',
    ],
    [
      'bad artifact role',
      config({}, [rule({ match: { role: ['output'] } })]),
      '/rules/0/match/role/0',
    ],
    [
      'brace glob',
      config({}, [rule({ match: { path: ['x', 'src/{a,b}'] } })]),
      '/rules/0/match/path/1',
    ],
    [
      'absolute glob',
      config({}, [rule({ match: { target: ['/etc/*'] } })]),
      '/rules/0/match/target/0',
    ],
    ['negative size', config({}, [rule({ match: { size_gt: -1 } })]), '/rules/0/match/size_gt'],
    [
      'fractional size',
      config({}, [rule({ match: { size_lte: 1.5 } })]),
      '/rules/0/match/size_lte',
    ],
    [
      'empty size range',
      config({}, [rule({ match: { size_gt: 10, size_lte: 10 } })]),
      '/rules/0/match/size_lte',
    ],
    [
      'metadata not an object',
      config({}, [rule({ match: { metadata: [] } })]),
      '/rules/0/match/metadata',
    ],
    [
      'metadata value not a list',
      config({}, [rule({ match: { metadata: { 'a/b': 'v' } } })]),
      '/rules/0/match/metadata/a~1b',
    ],
    [
      'metadata item not a string',
      config({}, [rule({ match: { metadata: { k: [1] } } })]),
      '/rules/0/match/metadata/k/0',
    ],
  ])('%s', (_, value, path) => {
    expect(codeOf(() => parseRulesConfig(value))).toBe('POLICY_CONFIG_INVALID');
    expect(pathOf(() => parseRulesConfig(value))).toBe(path);
  });

  it('refuses non-JSON data (functions, undefined values, unsafe integers)', () => {
    for (const value of [
      { default: 'deny', rules: [], f: () => 1 },
      { default: 'deny', rules: undefined },
      { default: 'deny', rules: [rule({ match: { size_gt: 2 ** 60 } })] },
    ]) {
      expect(codeOf(() => parseRulesConfig(value))).toBe('POLICY_CONFIG_INVALID');
    }
  });

  it('refuses an invalid or reserved source name', () => {
    expect(codeOf(() => RulesPolicySource.fromConfig('Rules', config()))).toBe(
      'POLICY_CONFIG_INVALID',
    );
    expect(codeOf(() => RulesPolicySource.fromConfig('preflight', config()))).toBe(
      'POLICY_CONFIG_INVALID',
    );
  });

  it('a __proto__ key is an unknown key, not a prototype', () => {
    const value = JSON.parse('{"default":"deny","__proto__":{"rules":[]}}') as unknown;
    expect(pathOf(() => parseRulesConfig(value))).toBe('/__proto__');
  });
});
