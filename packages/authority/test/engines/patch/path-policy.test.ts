import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { PatchError } from '../../../src/engines/patch/errors.js';
import {
  checkPathSyntax,
  checkTargetSet,
  inspectTarget,
  MAX_PATH_BYTES,
  MAX_SEGMENT_BYTES,
} from '../../../src/engines/patch/path-policy.js';
import { expectRefused, tempDir, writeTree } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/traversal/', import.meta.url));

describe('checkPathSyntax', () => {
  it('accepts plain relative paths', () => {
    for (const path of [
      'a',
      'src/x.ts',
      'a b/c-d_e.f',
      '...',
      '..x',
      'x..',
      '.github/ci.yml',
      'dir/.gitignore',
      'é/ü.txt',
    ]) {
      expect(() => checkPathSyntax(path)).not.toThrow();
    }
  });

  const refusals: [string, string][] = [
    ['', 'empty-path'],
    ['/etc/passwd', 'absolute'],
    ['//x', 'absolute'],
    ['../x', 'dotdot-segment'],
    ['a/../../x', 'dotdot-segment'],
    ['a/..', 'dotdot-segment'],
    ['./x', 'dot-segment'],
    ['a/./x', 'dot-segment'],
    ['a//x', 'empty-segment'],
    ['a/', 'empty-segment'],
    ['a\\..\\x', 'backslash'],
    ['x\u0000.txt', 'nul'],
    ['x\ny', 'control-char'],
    ['x\ry', 'control-char'],
    ['x\u007fy', 'control-char'],
    ['.git/config', 'git-dir'],
    ['.git', 'git-dir'],
    ['.GIT/hooks/post-checkout', 'git-dir'],
    ['sub/.git/config', 'git-dir'],
    ['a'.repeat(MAX_SEGMENT_BYTES + 1), 'too-long'],
    [Array.from({ length: MAX_PATH_BYTES / 4 + 1 }, () => 'abc').join('/'), 'too-long'],
  ];
  it.each(refusals.map(([path, reason]) => [path.slice(0, 24), path, reason]))(
    'refuses %j (%s)',
    (_label, path, reason) => {
      expectRefused(() => checkPathSyntax(path), 'PATCH_ESCAPES_WORKSPACE', reason);
    },
  );

  it('reserves the take-off temp file names', () => {
    expectRefused(
      () => checkPathSyntax('d/.clearance-change-0001.tmp'),
      'PATCH_INVALID',
      'reserved-name',
    );
  });
});

describe('checkPathSyntax against the PayloadsAllTheThings traversal lists', () => {
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const payloads = ['directory_traversal.txt', 'deep_traversal.txt'].flatMap((file) =>
    readFileSync(join(FIXTURES, file), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.replaceAll('{FILE}', 'etc/passwd')),
  );

  it('loaded the corpus', () => {
    expect(payloads.length).toBeGreaterThan(1000);
  });

  it('refuses every payload or keeps it strictly inside the workspace', () => {
    const root = resolve('/workspace');
    let refused = 0;
    for (const raw of payloads) {
      for (const candidate of new Set([raw, decode(raw), decode(decode(raw))])) {
        try {
          checkPathSyntax(candidate);
        } catch (err) {
          expect(err).toBeInstanceOf(PatchError);
          expect(['PATCH_ESCAPES_WORKSPACE', 'PATCH_INVALID']).toContain((err as PatchError).code);
          refused += 1;
          continue;
        }
        const rel = relative(root, resolve(root, candidate));
        expect(
          rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || rel.startsWith(sep),
        ).toBe(false);
        // Accepted means: no literal traversal survived in what the filesystem would see.
        expect(candidate.split('/')).not.toContain('..');
      }
    }
    // Sanity: the lists are mostly escapes, so most candidates must have been refused.
    expect(refused).toBeGreaterThan(payloads.length / 2);
  });

  it('refuses every payload that is literally absolute or has a .. or \\ segment', () => {
    const literal = payloads.filter((p) => p.startsWith('/') || /(^|[/\\])\.\.([/\\]|$)/.test(p));
    expect(literal.length).toBeGreaterThan(250);
    for (const payload of literal) {
      expect(() => checkPathSyntax(payload), payload).toThrow(
        expect.objectContaining({ code: 'PATCH_ESCAPES_WORKSPACE' }),
      );
    }
  });
});

describe('checkTargetSet', () => {
  it('accepts distinct, unrelated targets', () => {
    expect(() => checkTargetSet(['a', 'b/c', 'b/d', 'ab/c'])).not.toThrow();
  });
  it('refuses the same target twice', () => {
    expectRefused(() => checkTargetSet(['a', 'b', 'a']), 'PATCH_INVALID', 'duplicate-target');
  });
  it('refuses a target below another target', () => {
    expectRefused(() => checkTargetSet(['a/b/c', 'a']), 'PATCH_INVALID', 'path-conflict');
  });
});

describe('inspectTarget (on disk)', () => {
  it('reports absent targets, absent parents and regular files with their git mode', () => {
    const ws = tempDir();
    writeTree(ws, { 'd/f.txt': 'x', 'run.sh': '#!/bin/sh\n' });
    execFileSync('chmod', ['755', join(ws, 'run.sh')]);
    expect(inspectTarget(ws, 'd/missing').kind).toBe('absent');
    expect(inspectTarget(ws, 'nope/deeper/x').kind).toBe('absent');
    expect(inspectTarget(ws, 'd/f.txt')).toMatchObject({ kind: 'file', mode: '100644' });
    expect(inspectTarget(ws, 'run.sh')).toMatchObject({ kind: 'file', mode: '100755' });
  });

  it('refuses a symlinked parent directory, even one pointing inside the workspace', () => {
    const ws = tempDir();
    const outside = tempDir();
    writeTree(ws, { 'real/f.txt': 'x' });
    writeTree(outside, { 'f.txt': 'secret' });
    symlinkSync(outside, join(ws, 'out'));
    symlinkSync(join(ws, 'real'), join(ws, 'alias'));
    expectRefused(() => inspectTarget(ws, 'out/f.txt'), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
    expectRefused(() => inspectTarget(ws, 'out/new.txt'), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
    expectRefused(() => inspectTarget(ws, 'alias/f.txt'), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
  });

  it('refuses a symlink target, dangling or not', () => {
    const ws = tempDir();
    writeTree(ws, { 'f.txt': 'x' });
    symlinkSync('f.txt', join(ws, 'link'));
    symlinkSync('/nonexistent/target', join(ws, 'dangling'));
    expectRefused(() => inspectTarget(ws, 'link'), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
    expectRefused(() => inspectTarget(ws, 'dangling'), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
  });

  it('refuses targets that are not regular files and parents that are not directories', () => {
    const ws = tempDir();
    writeTree(ws, { 'file.txt': 'x' });
    mkdirSync(join(ws, 'dir'));
    execFileSync('mkfifo', [join(ws, 'fifo')]);
    expectRefused(() => inspectTarget(ws, 'dir'), 'PATCH_ESCAPES_WORKSPACE', 'not-regular-file');
    expectRefused(() => inspectTarget(ws, 'fifo'), 'PATCH_ESCAPES_WORKSPACE', 'not-regular-file');
    expectRefused(
      () => inspectTarget(ws, 'file.txt/x'),
      'PATCH_ESCAPES_WORKSPACE',
      'not-directory',
    );
  });

  it('re-checks syntax itself (defence in depth)', () => {
    expectRefused(
      () => inspectTarget(tempDir(), '../x'),
      'PATCH_ESCAPES_WORKSPACE',
      'dotdot-segment',
    );
  });
});

describe('item 13: invisible characters in patch paths', () => {
  const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068'];
  const moreBidi = ['\u2069', '\u200e', '\u200f', '\u061c'];
  const zeroWidth = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'];
  it.each([...bidi, ...moreBidi].map((c) => [c.charCodeAt(0).toString(16), c]))(
    'item 13 ENG-2: refuses bidi control U+%s with PATCH_INVALID bidi-control',
    (_hex, c) => {
      expectRefused(() => checkPathSyntax(`src/a${c}txt.ts`), 'PATCH_INVALID', 'bidi-control');
    },
  );
  it.each(zeroWidth.map((c) => [c.charCodeAt(0).toString(16), c]))(
    'item 13 ENG-2: refuses zero-width U+%s with PATCH_INVALID zero-width',
    (_hex, c) => {
      expectRefused(() => checkPathSyntax(`${c}README.md`), 'PATCH_INVALID', 'zero-width');
    },
  );
  it('item 13 ENG-2: the refusal shows the character escaped, never raw', () => {
    let message = '';
    try {
      checkPathSyntax('evil\u202ecod.js');
    } catch (err) {
      if (err instanceof PatchError) message = `${err.message} ${err.path ?? ''}`;
    }
    expect(message).toContain('\\u202e');
    expect(message).not.toContain('\u202e');
  });
  it('item 13 ENG-2: other non-ASCII letters stay accepted', () => {
    expect(() => checkPathSyntax('docs/café/ünïcode-名前.md')).not.toThrow();
  });
});

describe('item 13: other invisible characters in patch paths (ENG-2)', () => {
  // Default-ignorable format characters that render as nothing, like the zero-width ones: soft
  // hyphen, Mongolian vowel separator, the invisible math operators, a tag character.
  const invisible = ['\u00ad', '\u180e', '\u2061', '\u2062', '\u2063', '\u2064', '\u{e0041}'];
  it.each(invisible.map((c) => [(c.codePointAt(0) ?? 0).toString(16), c]))(
    'item 13 ENG-2: refuses the invisible format character U+%s with PATCH_INVALID zero-width',
    (_hex, c) => {
      expectRefused(() => checkPathSyntax(`src/con${c}fig.ts`), 'PATCH_INVALID', 'zero-width');
    },
  );
  it.each(['\u0085', '\u009b'].map((c) => [c.charCodeAt(0).toString(16), c]))(
    'item 13 ENG-2: refuses the C1 control U+%s',
    (_hex, c) => {
      expectRefused(
        () => checkPathSyntax(`src/a${c}b.ts`),
        'PATCH_ESCAPES_WORKSPACE',
        'control-char',
      );
    },
  );
});
