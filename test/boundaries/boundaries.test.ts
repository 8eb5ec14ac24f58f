import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Each fixture under test/boundaries/fixtures/<case>/ is a miniature repository root. It is copied
// to a temporary folder and given what npm workspaces would create there: a
// node_modules/@clearance/<dir> symlink per package folder, and fake_modules/* installed as
// node_modules/* (node_modules cannot be committed). A fixture holds only the folders its case
// needs, so prepare() also creates the cruised root folders test/ and bench/ when it has none,
// and checkFixture() names the zones the fixture lacks as planned
// (--planned), unless a test passes its own list. Then scripts/check-boundaries.mjs runs on it.

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/check-boundaries.mjs');
const FIXTURES = path.join(REPO_ROOT, 'test/boundaries/fixtures');
const { ZONES, PLANNED_ZONES } = createRequire(import.meta.url)(
  path.join(REPO_ROOT, '.dependency-cruiser.cjs'),
) as { ZONES: Record<string, string[]>; PLANNED_ZONES: string[] };

const scratch = mkdtempSync(path.join(tmpdir(), 'clearance-boundaries-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function prepare(fixture: string): string {
  const root = mkdtempSync(path.join(scratch, `${fixture}-`));
  cpSync(path.join(FIXTURES, fixture), root, { recursive: true });
  for (const folder of ['test', 'bench']) mkdirSync(path.join(root, folder), { recursive: true });
  const fakeModules = path.join(root, 'fake_modules');
  if (existsSync(fakeModules)) {
    for (const name of readdirSync(fakeModules)) {
      cpSync(path.join(fakeModules, name), path.join(root, 'node_modules', name), {
        recursive: true,
      });
    }
    rmSync(fakeModules, { recursive: true });
  }
  const packages = path.join(root, 'packages');
  if (existsSync(packages)) {
    const scope = path.join(root, 'node_modules/@clearance');
    mkdirSync(scope, { recursive: true });
    for (const dir of readdirSync(packages)) {
      symlinkSync(path.join('..', '..', 'packages', dir), path.join(scope, dir), 'dir');
    }
  }
  return root;
}

interface Run {
  status: number | null;
  output: string;
  lines: string[];
}

function check(args: string[], cwd = REPO_ROOT): Run {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, output, lines: output.split('\n') };
}

/** The zones of the table a fixture root has no folder for. */
function absentZones(root: string): string[] {
  return Object.keys(ZONES).filter((zone) => !existsSync(path.join(root, 'packages', zone)));
}

function checkFixture(fixture: string, planned?: readonly string[]): Run {
  const root = prepare(fixture);
  return check(['--root', root, '--planned', (planned ?? absentZones(root)).join(',')]);
}

/** Asserts a `rule: from → to` line naming this rule, and (optionally) where it points. */
function expectViolation(run: Run, rule: string, from?: string, to?: string | RegExp): void {
  const hits = run.lines.filter((line) => line.startsWith(`${rule}: `));
  expect(hits, run.output).not.toHaveLength(0);
  if (from === undefined && to === undefined) return;
  const matching = hits.filter((line) => {
    const [, rest = ''] = line.split(`${rule}: `);
    const [source = '', target = ''] = rest.split(' → ');
    const fromOk = from === undefined || source === from;
    const toOk =
      to === undefined || (typeof to === 'string' ? target.startsWith(to) : to.test(target));
    return fromOk && toOk;
  });
  expect(matching, run.output).not.toHaveLength(0);
}

describe('check-boundaries: violations fail with the rule named', () => {
  // Also proves RMOS S4.
  it('advisory → authority (zone table and advisory allow-list)', () => {
    const run = checkFixture('advisory-imports-authority');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'zone-advisory',
      'packages/advisory/src/index.ts',
      'packages/authority/src/index.ts',
    );
    expectViolation(run, 'advisory-only-protocol-client', 'packages/advisory/src/index.ts');
  });

  // Also proves RMOS S6.
  it('advisory → node:fs, fs/promises and child_process', () => {
    const run = checkFixture('advisory-writes-or-spawns');
    expect(run.status).toBe(1);
    const rule = 'advisory-no-write-or-spawn-builtin';
    expectViolation(run, rule, 'packages/advisory/src/save.ts', /^(node:)?fs$/);
    expectViolation(run, rule, 'packages/advisory/src/save-async.ts', 'fs/promises');
    expectViolation(run, rule, 'packages/advisory/src/run.ts', 'child_process');
  });

  it('protocol → authority (lower → higher)', () => {
    const run = checkFixture('protocol-imports-authority');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'zone-protocol',
      'packages/protocol/src/index.ts',
      'packages/authority/src/index.ts',
    );
  });

  it('cnc → governance (not in its list)', () => {
    const run = checkFixture('cnc-imports-governance');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'zone-cnc',
      'packages/cnc/src/index.ts',
      'packages/governance/src/index.ts',
    );
  });

  it('deep import through a package specifier (@clearance/x/src/y)', () => {
    const run = checkFixture('deep-import-specifier');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'no-deep-import',
      'packages/cli/src/index.ts',
      '@clearance/authority/src/',
    );
  });

  it('deep import through a relative path (../../x/src/y.ts)', () => {
    const run = checkFixture('deep-relative-import');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'no-deep-import',
      'packages/cli/src/index.ts',
      'packages/authority/src/internal.ts',
    );
    expectViolation(run, 'no-relative-cross-package', 'packages/cli/src/index.ts');
  });

  it('a run-time cycle', () => {
    const run = checkFixture('cycle');
    expect(run.status).toBe(1);
    expectViolation(run, 'no-circular', 'packages/protocol/src/a.ts', 'packages/protocol/src/b.ts');
  });

  it('an unknown package folder', () => {
    const run = checkFixture('unknown-package');
    expect(run.status).toBe(1);
    expectViolation(run, 'unknown-package', 'packages/mystery');
  });

  it('a missing packages folder (fails closed)', () => {
    const run = checkFixture('missing-packages');
    expect(run.status).toBe(1);
    expectViolation(run, 'missing-packages-folder');
  });

  it('a package folder without package.json (fails closed)', () => {
    const run = checkFixture('missing-package-json');
    expect(run.status).toBe(1);
    expectViolation(run, 'missing-package-json', 'packages/client');
  });

  it('zero modules cruised (fails closed)', () => {
    const run = checkFixture('no-modules');
    expect(run.status).toBe(1);
    expectViolation(run, 'no-modules-cruised');
  });

  it('an npm dependency missing from the package.json', () => {
    const run = checkFixture('undeclared-npm-dependency');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'no-undeclared-dependency',
      'packages/protocol/src/index.ts',
      'node_modules/undeclared-dep/',
    );
  });

  it('a workspace dependency missing from the package.json', () => {
    const run = checkFixture('undeclared-workspace-dependency');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'no-undeclared-workspace-dependency',
      'packages/client/src/index.ts',
      'packages/protocol/src/index.ts',
    );
  });

  it('an unresolvable import', () => {
    const run = checkFixture('unresolvable-import');
    expect(run.status).toBe(1);
    expectViolation(
      run,
      'not-to-unresolvable',
      'packages/protocol/src/index.ts',
      './does-not-exist.js',
    );
  });

  it('dependency-cruiser itself failing (exit 2, never 0)', () => {
    const root = prepare('broken-config');
    const run = check([
      '--root',
      root,
      '--config',
      path.join(FIXTURES, 'broken-config/broken.dependency-cruiser.cjs'),
    ]);
    expect(run.status, run.output).toBe(2);
    expect(run.output).toMatch(/ERROR: dependency-cruiser failed/);
  });

  it('an unknown option (exit 2)', () => {
    const run = check(['--rooot', 'x']);
    expect(run.status, run.output).toBe(2);
  });
});

describe('I11-5: tests and benchmarks are cruised too', () => {
  it('I11-5: a root test, a benchmark and a package test deep-importing another package are flagged; a package test using its own internals is not', () => {
    const run = checkFixture('test-deep-import');
    expect(run.status, run.output).toBe(1);
    const internal = 'packages/protocol/src/internal.ts';
    expectViolation(run, 'no-deep-import', 'test/e2e/deep.ts', internal);
    expectViolation(run, 'no-deep-import', 'bench/deep.mjs', internal);
    expectViolation(run, 'no-deep-import', 'packages/client/test/deep.ts', internal);
    expect(run.output).not.toMatch(/packages\/protocol\/test\/own\.ts →/);
  });

  it('I11-5: a missing test/ or bench/ folder fails closed', () => {
    const root = prepare('clean');
    rmSync(path.join(root, 'bench'), { recursive: true });
    const run = check(['--root', root, '--planned', absentZones(root).join(',')]);
    expect(run.status, run.output).toBe(1);
    expectViolation(run, 'missing-folder', 'bench/');
  });
});

describe('I11-5 / RMOS-S5: the advisory identifier scan (DESIGN.md): no authority calls from the advisory zone', () => {
  const file = (name: string): string => `packages/advisory/src/${name}.ts`;
  // One run of the fixture serves every assertion below (each rule is asserted on its own lines).
  let cached: Run | undefined;
  const advisoryRun = (): Run => (cached ??= checkFixture('advisory-scan'));

  it('I11-5: every forbidden identifier of DESIGN.md is reported, in any casing', () => {
    const run = advisoryRun();
    expect(run.status, run.output).toBe(1);
    const rule = 'advisory-forbidden-identifier';
    for (const [word, line] of [
      ['approve', 5],
      ['reject', 6],
      ['takeoff', 9],
      ['take off', 10],
      ['generate toolpaths', 11],
      ['persist run', 12],
      ['create run', 14],
      ['store feasibility', 16],
      ['transition', 17],
    ] as const) {
      expectViolation(run, rule, `${file('identifiers')}:${line}`, `${word} (`);
    }
    // A route string names the operation as surely as an identifier.
    expectViolation(run, rule, `${file('route')}:3`, 'approve (');
    expectViolation(run, rule, `${file('route')}:4`, 'take off (');
  });

  it('I11-5: an fs write is reported even without an fs import', () => {
    const run = advisoryRun();
    expectViolation(run, 'advisory-no-fs-write', `${file('fs-write')}:4`, 'writeFileSync');
  });

  it('I11-5: child_process loaded dynamically and a spawn are reported', () => {
    const run = advisoryRun();
    expectViolation(run, 'advisory-no-child-process', `${file('spawn')}:4`, 'node:child_process');
    expectViolation(run, 'advisory-no-child-process', `${file('spawn')}:5`, 'spawnSync');
  });

  it('I11-5: import()/require of a computed specifier or an internal path, and createRequire, are reported', () => {
    const run = advisoryRun();
    const rule = 'advisory-no-dynamic-load';
    expectViolation(run, rule, `${file('dynamic')}:5`, 'import() of a computed specifier');
    expectViolation(run, rule, `${file('dynamic')}:6`, 'import() @clearance/authority');
    expectViolation(run, rule, `${file('dynamic')}:7`, 'require ../../authority/src/index.js');
    expectViolation(run, rule, `${file('dynamic')}:8`, 'createRequire');
  });

  it('I11-5: comments, other words ("rejected", "approval") and a literal import of a face pass', () => {
    const run = checkFixture('clean');
    expect(run.status, run.output).toBe(0);
    expect(run.output).not.toMatch(/^advisory-/m);
    expect(run.output).not.toMatch(/^not-run: advisory-identifier-scan/m);
  });
});

describe('I11-5: zones the rules name but that do not exist', () => {
  it('I11-5: a planned zone that is missing is reported as not-run, per check, without failing', () => {
    const run = checkFixture('clean', [
      'rego',
      'gateways',
      'governance',
      'cnc',
      'server',
      'console',
    ]);
    expect(run.status, run.output).toBe(0);
    expect(run.lines).toContain(
      'not-run: zone-gateways: packages/gateways does not exist yet (planned zone)',
    );
    expect(run.output).toMatch(/0 violation\(s\): ok; 6 check\(s\) not run/);
  });

  it('I11-5: a missing advisory zone reports its rules and the identifier scan as not run', () => {
    const run = checkFixture('cnc-imports-governance');
    for (const check of [
      'zone-advisory',
      'advisory-only-protocol-client',
      'advisory-identifier-scan',
    ]) {
      expect(run.output).toMatch(
        new RegExp(`^not-run: ${check}: packages/advisory does not exist`, 'm'),
      );
    }
  });

  it('I11-5: a missing zone that is not planned fails closed', () => {
    const run = checkFixture('clean', ['rego', 'governance', 'cnc', 'server', 'console']);
    expect(run.status, run.output).toBe(1);
    expectViolation(run, 'missing-zone', 'packages/gateways');
  });

  it('I11-5: a planned zone that is not in the zone table is a tool error (exit 2)', () => {
    const run = checkFixture('clean', ['mystery']);
    expect(run.status, run.output).toBe(2);
  });

  it('I11-5: the repository plans exactly the zones it has not built yet', () => {
    const absent = Object.keys(ZONES).filter(
      (zone) => !existsSync(path.join(REPO_ROOT, 'packages', zone)),
    );
    expect([...PLANNED_ZONES].sort()).toEqual(absent.sort());
  });
});

describe('check-boundaries: clean trees pass', () => {
  it('a fixture using every allowed kind of edge', () => {
    const run = checkFixture('clean');
    expect(run.output).toMatch(/0 violation\(s\): ok/);
    expect(run.status, run.output).toBe(0);
  });

  it('the real repository', () => {
    const run = check([]);
    expect(run.status, run.output).toBe(0);
    // I11-5: test/ and bench/ are cruised; the advisory zone is planned, reported, not passed.
    expect(run.output).toMatch(
      /^not-run: advisory-identifier-scan: packages\/advisory does not exist yet/m,
    );
  });

  it('the real repository, run from another working directory', () => {
    const run = check(['--root', REPO_ROOT], tmpdir());
    expect(run.status, run.output).toBe(0);
  });
});
