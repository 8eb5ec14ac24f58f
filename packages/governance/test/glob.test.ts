import { describe, expect, it } from 'vitest';
import { globMatch, globProblem } from '../src/index.js';

describe('globMatch', () => {
  it.each([
    ['.env', '.env', true],
    ['.env', 'a/.env', false],
    ['**/.env', '.env', true],
    ['**/.env', 'a/b/.env', true],
    ['**/.env', 'a/b/.env.example', false],
    ['src/**', 'src/a.ts', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**', 'src', false],
    ['src/**', 'srcx/a.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/test/*.ts', 'src/test/x.ts', true],
    ['src/**/test/*.ts', 'src/a/b/test/x.ts', true],
    ['src/**/test/*.ts', 'src/a/b/tests/x.ts', false],
    ['**', 'anything/at/all', true],
    ['*', 'top', true],
    ['*', 'a/b', false],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    ['?.md', '€.md', true],
    ['?', '/', false],
    ['*.pem', '.secret.pem', true],
    ['**/*.pem', '.git/keys/id.pem', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['Makefile', 'makefile', false],
    ['{a,b}.ts', 'a.ts', false],
    ['{a,b}.ts', '{a,b}.ts', true],
    ['a.ts', 'aXts', false],
  ])('%s ~ %s = %s', (pattern, path, expected) => {
    expect(globMatch(pattern, path)).toBe(expected);
  });

  it.each(['/etc/passwd', '../x/.env', 'a/../.env', './.env', 'a//.env', 'a/', ''])(
    'never matches the non-normalized path %j',
    (path) => {
      expect(globMatch('**', path)).toBe(false);
      expect(globMatch('**/.env', path)).toBe(false);
    },
  );

  it('never matches with an empty pattern', () => {
    expect(globMatch('', 'a')).toBe(false);
  });

  it('stays fast on adversarial patterns', () => {
    const pattern = 'a*'.repeat(30) + 'b';
    const path = 'a'.repeat(2_000);
    expect(globMatch(pattern, path)).toBe(false);
    expect(globMatch('**/'.repeat(30) + 'x', 'a/'.repeat(500) + 'y')).toBe(false);
  });
});

describe('globProblem: patterns refused at config load', () => {
  it.each([
    '',
    '/abs',
    '!negated',
    'src/{a,b}',
    'src/[ab].ts',
    'win\\path',
    'a//b',
    'a/',
    './a',
    'a/../b',
    'a**/b',
    'x\u0000y',
  ])('%j', (pattern) => {
    expect(globProblem(pattern)).toBeTypeOf('string');
  });

  it.each(['**/.env', 'src/**', '*.ts', 'a?c', '.github/workflows/*.yml'])('accepts %j', (p) => {
    expect(globProblem(p)).toBeUndefined();
  });
});
