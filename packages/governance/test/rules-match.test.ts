import { describe, expect, it } from 'vitest';
import {
  RulesPolicySource,
  runPreflight,
  type PolicyArtifact,
  type PolicyResult,
} from '../src/index.js';
import { artifact, ctx, input, now, T0 } from './helpers.js';

type Match = Record<string, unknown>;

/** One deny rule `r` with `match`, default allow: evaluate and return the matched artifact names. */
async function hits(match: Match, artifacts: readonly PolicyArtifact[], engine = 'patch') {
  const src = RulesPolicySource.fromConfig('rules', {
    default: 'allow',
    rules: [{ id: 'r', match, decision: 'deny', reason: 'matched' }],
  });
  const results = await src.evaluate(input(artifacts, engine), ctx());
  const r = results.find((x) => x.evaluation.policy_id === 'rules/r');
  return r === undefined ? undefined : (r.evaluation.evidence?.['artifacts'] as string[]);
}

const a = artifact({ name: 'a' });

// Also proves ART-16 (policy evaluates artifact metadata).
describe('rule conditions (each one can match and can miss)', () => {
  it.each<[string, Match, PolicyArtifact, boolean]>([
    ['artifact_type hit', { artifact_type: ['x', 'file_change'] }, a, true],
    ['artifact_type miss', { artifact_type: ['job'] }, a, false],
    ['action hit', { action: ['modify'] }, a, true],
    ['action miss', { action: ['delete'] }, a, false],
    ['role hit', { role: ['evidence'] }, a, true],
    ['role miss', { role: ['log', 'state'] }, a, false],
    ['mime hit', { mime: ['text/x-diff'] }, a, true],
    ['mime miss', { mime: ['application/json'] }, a, false],
    ['target hit', { target: ['src/**'] }, artifact({ target: 'src/x.ts' }), true],
    ['target miss', { target: ['src/**'] }, artifact({ target: 'lib/x.ts' }), false],
    ['target absent', { target: ['**'] }, a, false],
    [
      'path hit (any path)',
      { path: ['**/.env'] },
      artifact({ paths: ['src/a.ts', 'cfg/.env'] }),
      true,
    ],
    ['path miss', { path: ['**/.env'] }, artifact({ paths: ['src/a.ts'] }), false],
    ['path with no paths', { path: ['**'] }, artifact({ paths: [] }), false],
    ['size_gt hit', { size_gt: 99 }, a, true],
    ['size_gt miss (equal)', { size_gt: 100 }, a, false],
    ['size_lte hit (equal)', { size_lte: 100 }, a, true],
    ['size_lte miss', { size_lte: 99 }, a, false],
    [
      'metadata hit',
      { metadata: { lang: ['ts', 'js'] } },
      artifact({ metadata: { lang: 'ts' } }),
      true,
    ],
    [
      'metadata miss',
      { metadata: { lang: ['ts'] } },
      artifact({ metadata: { lang: 'py' } }),
      false,
    ],
    ['metadata non-string', { metadata: { n: ['1'] } }, artifact({ metadata: { n: 1 } }), false],
    ['metadata inherited key', { metadata: { constructor: ['x'] } }, a, false],
    ['all conditions AND (one fails)', { action: ['modify'], mime: ['text/plain'] }, a, false],
    [
      'all conditions AND (all hold)',
      { action: ['modify'], mime: ['text/x-diff'], size_lte: 100 },
      a,
      true,
    ],
  ])('%s', async (_, match, art, expected) => {
    expect(await hits(match, [art])).toEqual(expected ? [art.name] : undefined);
  });

  it('engine alone matches the workflow once, even without artifacts', async () => {
    expect(await hits({ engine: ['patch'] }, [])).toEqual([]);
    expect(await hits({ engine: ['cnc'] }, [])).toBeUndefined();
  });

  it('engine plus artifact conditions needs both', async () => {
    expect(await hits({ engine: ['cnc'], action: ['modify'] }, [a])).toBeUndefined();
    expect(await hits({ engine: ['patch'], action: ['modify'] }, [a])).toEqual(['a']);
  });

  it('lists every matching artifact in input order', async () => {
    const arts = [
      artifact({ name: 'z', paths: ['.env'] }),
      artifact({ name: 'm', paths: ['ok.ts'] }),
      artifact({ name: 'b', paths: ['x/.env'] }),
    ];
    expect(await hits({ path: ['**/.env'] }, arts)).toEqual(['z', 'b']);
  });
});

describe('results, defaults and coverage', () => {
  const src = RulesPolicySource.fromConfig('rules', {
    default: 'require_approval',
    default_role: 'approver',
    rules: [
      { id: 'docs', match: { path: ['docs/**'] }, decision: 'allow', reason: 'docs are safe' },
      { id: 'env', match: { path: ['**/.env'] }, decision: 'deny', reason: 'secrets' },
    ],
  });

  it('no rule matches: one default result with the default decision and role', async () => {
    const results = await src.evaluate(input([artifact({ paths: ['src/a.ts'] })]), ctx());
    expect(results).toEqual<PolicyResult[]>([
      {
        evaluation: {
          source: 'custom',
          policy_id: 'rules/default',
          decision: 'require_approval',
          severity: 2,
          reason: 'default decision: no rule matched',
          evidence: { rule: 'default', scope: 'workflow', artifacts: ['change'] },
          evaluated_at: T0,
        },
        requires: { role: 'approver', reason: 'default decision: no rule matched' },
      },
    ]);
  });

  it('an allow rule covering every artifact replaces the default', async () => {
    const results = await src.evaluate(input([artifact({ paths: ['docs/a.md'] })]), ctx());
    expect(results.map((r) => r.evaluation.policy_id)).toEqual(['rules/docs']);
    expect(results[0]?.evaluation.decision).toBe('allow');
  });

  it('an allow rule for one artifact does not waive the default for the others', async () => {
    const results = await src.evaluate(
      input([
        artifact({ name: 'doc', paths: ['docs/a.md'] }),
        artifact({ name: 'code', paths: ['src/a.ts'] }),
      ]),
      ctx(),
    );
    expect(results.map((r) => r.evaluation.policy_id)).toEqual(['rules/docs', 'rules/default']);
    expect(results[1]?.evaluation.evidence).toEqual({
      rule: 'default',
      scope: 'artifact',
      artifacts: ['code'],
    });
  });

  it('deny beats everything in the aggregate', async () => {
    const out = await runPreflight(
      [src],
      input([
        artifact({ name: 'doc', paths: ['docs/a.md'] }),
        artifact({ name: 'code', paths: ['src/.env'] }),
      ]),
      { now, timeoutMs: 1_000 },
    );
    expect(out.results.map((r) => r.evaluation.decision)).toEqual(['allow', 'deny']);
    expect(out.decision).toBe('deny');
    expect(out.violations).toEqual(['rules/env: secrets']);
  });

  it('G-34: two require_approval rules with different roles give two approvals', async () => {
    const twoRoles = RulesPolicySource.fromConfig('rules', {
      default: 'allow',
      rules: [
        {
          id: 'ci',
          match: { path: ['.github/**'] },
          decision: 'require_approval',
          role: 'security-engineer',
          reason: 'touches CI',
        },
        {
          id: 'db',
          match: { path: ['migrations/**'] },
          decision: 'require_approval',
          role: 'dba',
          reason: 'schema change',
        },
      ],
    });
    const out = await runPreflight(
      [twoRoles],
      input([artifact({ paths: ['.github/workflows/ci.yml', 'migrations/001.sql'] })]),
      { now, timeoutMs: 1_000 },
    );
    expect(out.decision).toBe('require_approval');
    expect(out.approvals).toEqual([
      { role: 'dba', reasons: ['schema change'], policy_ids: ['rules/db'] },
      { role: 'security-engineer', reasons: ['touches CI'], policy_ids: ['rules/ci'] },
    ]);
  });

  it('PRE-2: evaluation is idempotent', async () => {
    const i = input([artifact({ paths: ['docs/a.md', 'x/.env'] })]);
    expect(await src.evaluate(i, ctx())).toEqual(await src.evaluate(i, ctx()));
  });

  it('refuses to run once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(src.evaluate(input(), { now, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('is fail-closed through runPreflight when the input is malformed', async () => {
    const broken = { ...input(), artifacts: [{ name: 'x' }] } as unknown as ReturnType<
      typeof input
    >;
    const out = await runPreflight([src], broken, { now, timeoutMs: 1_000 });
    expect(out.decision).toBe('deny');
    expect(out.failures).toHaveLength(1);
  });
});
