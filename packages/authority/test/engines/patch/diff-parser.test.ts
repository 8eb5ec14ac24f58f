import { describe, expect, it } from 'vitest';

import { MAX_FILES, parsePatch } from '../../../src/engines/patch/diff-parser.js';
import { expectRefused, gitModify, lines } from './helpers.js';

describe('parsePatch: accepted shapes', () => {
  it('parses a git-style modify with index line and two hunks', () => {
    const text = lines(
      'diff --git a/src/x.ts b/src/x.ts',
      'index 1234567..89abcde 100644',
      '--- a/src/x.ts',
      '+++ b/src/x.ts',
      '@@ -1,2 +1,2 @@ heading',
      ' a',
      '-b',
      '+B',
      '@@ -10,1 +10,2 @@',
      ' j',
      '+k',
    );
    const [file, ...rest] = parsePatch(text);
    expect(rest).toHaveLength(0);
    expect(file).toMatchObject({
      path: 'src/x.ts',
      action: 'modify',
      oldMode: '100644',
      newMode: '100644',
      additions: 2,
      deletions: 1,
      section: text,
    });
    expect(file?.hunks.map((h) => [h.oldStart, h.oldCount, h.newStart, h.newCount])).toEqual([
      [1, 2, 1, 2],
      [10, 1, 10, 2],
    ]);
  });

  it('parses plain --- a/ +++ b/ sections and ignores a TAB-separated timestamp', () => {
    const text = lines(
      '--- a/x\t2024-01-01 00:00:00',
      '+++ b/x\t2024-01-02',
      '@@ -1 +1 @@',
      '-a',
      '+b',
    );
    expect(parsePatch(text)[0]).toMatchObject({ path: 'x', action: 'modify', oldMode: null });
  });

  it('parses creates and deletes (git and plain) with /dev/null', () => {
    const text =
      lines(
        'diff --git a/n b/n',
        'new file mode 100755',
        '--- /dev/null',
        '+++ b/n',
        '@@ -0,0 +1 @@',
        '+x',
      ) +
      lines('--- a/d', '+++ /dev/null', '@@ -1 +0,0 @@', '-gone') +
      lines('diff --git a/e b/e', 'deleted file mode 100644', 'index e69de29..0000000');
    const files = parsePatch(text);
    expect(files.map((f) => [f.path, f.action, f.oldMode, f.newMode])).toEqual([
      ['n', 'create', null, '100755'],
      ['d', 'delete', null, null],
      ['e', 'delete', '100644', null],
    ]);
    // The sections concatenate back to the patch, byte for byte.
    expect(files.map((f) => f.section).join('')).toBe(text);
  });

  it('parses a mode-only change and an empty-file create without hunks', () => {
    const files = parsePatch(
      lines('diff --git a/m b/m', 'old mode 100644', 'new mode 100755') +
        lines('diff --git a/empty b/empty', 'new file mode 100644', 'index 0000000..e69de29'),
    );
    expect(files.map((f) => [f.action, f.oldMode, f.newMode, f.hunks.length])).toEqual([
      ['modify', '100644', '100755', 0],
      ['create', null, '100644', 0],
    ]);
  });

  it('applies "\\ No newline at end of file" to the line before it', () => {
    const [file] = parsePatch(
      gitModify(
        'x',
        '@@ -1 +1 @@',
        '-old',
        '\\ No newline at end of file',
        '+new',
        '\\ No newline at end of file',
      ),
    );
    expect(file?.hunks[0]?.lines).toEqual([
      { kind: '-', text: 'old' },
      { kind: '+', text: 'new' },
    ]);
  });

  it('reads a bare empty line inside a hunk as an empty context line', () => {
    const [file] = parsePatch(gitModify('x', '@@ -1,2 +1,2 @@', '', '-a', '+b'));
    expect(file?.hunks[0]?.lines[0]).toEqual({ kind: ' ', text: '\n' });
  });

  it('keeps CR bytes as content (CRLF files patch byte-exactly)', () => {
    const [file] = parsePatch(gitModify('x', '@@ -1 +1 @@', '-a\r', '+b\r'));
    expect(file?.hunks[0]?.lines.map((l) => l.text)).toEqual(['a\r\n', 'b\r\n']);
  });
});

describe('parsePatch: refusals (PATCH_INVALID unless stated)', () => {
  const refusals: [string, string, string][] = [
    ['empty patch', '', 'empty'],
    [
      'no final newline',
      'diff --git a/x b/x\nold mode 100644\nnew mode 100755',
      'no-final-newline',
    ],
    ['NUL byte', gitModify('x', '@@ -1 +1 @@', '-a\u0000', '+b'), 'binary'],
    [
      'leading prose',
      lines('Here is my patch:') + gitModify('x', '@@ -1 +1 @@', '-a', '+b'),
      'unexpected-line',
    ],
    [
      'trailing garbage',
      gitModify('x', '@@ -1 +1 @@', '-a', '+b') + lines('-- ', '2.39.0'),
      'unexpected-line',
    ],
    ['GIT binary patch', lines('diff --git a/x b/x', 'GIT binary patch', 'literal 0'), 'binary'],
    [
      'Binary files differ (git)',
      lines('diff --git a/x b/x', 'Binary files a/x and b/x differ'),
      'binary',
    ],
    ['Binary files differ (plain)', lines('Binary files a/x and b/x differ'), 'binary'],
    [
      'rename',
      lines('diff --git a/x b/y', 'similarity index 100%', 'rename from x', 'rename to y'),
      'header-path',
    ],
    [
      'rename headers',
      lines('diff --git a/x b/x', 'rename from x', 'rename to x'),
      'rename-unsupported',
    ],
    ['copy headers', lines('diff --git a/x b/x', 'copy from x', 'copy to x'), 'rename-unsupported'],
    ['plain rename', lines('--- a/x', '+++ b/y', '@@ -1 +1 @@', '-a', '+b'), 'rename-unsupported'],
    ['quoted git path', lines('diff --git "a/x\\ty" "b/x\\ty"'), 'quoted-path'],
    ['quoted label', lines('--- "a/x"', '+++ "b/x"'), 'quoted-path'],
    ['missing a/ prefix', lines('--- x', '+++ x', '@@ -1 +1 @@', '-a', '+b'), 'path-prefix'],
    ['both /dev/null', lines('--- /dev/null', '+++ /dev/null'), 'file-header'],
    ['--- without +++', lines('--- a/x', '@@ -1 +1 @@'), 'file-header'],
    [
      'labels disagree with header',
      lines('diff --git a/x b/x', '--- a/y', '+++ b/y', '@@ -1 +1 @@', '-a', '+b'),
      'file-header',
    ],
    [
      'create without /dev/null',
      lines(
        'diff --git a/x b/x',
        'new file mode 100644',
        '--- a/x',
        '+++ b/x',
        '@@ -0,0 +1 @@',
        '+a',
      ),
      'file-header',
    ],
    [
      'created and deleted',
      lines('diff --git a/x b/x', 'new file mode 100644', 'deleted file mode 100644'),
      'git-header',
    ],
    [
      'repeated header',
      lines('diff --git a/x b/x', 'old mode 100644', 'old mode 100644'),
      'git-header',
    ],
    ['old mode without new mode', lines('diff --git a/x b/x', 'old mode 100644'), 'git-header'],
    [
      'unchanged mode',
      lines('diff --git a/x b/x', 'old mode 100644', 'new mode 100644'),
      'git-header',
    ],
    ['malformed index line', lines('diff --git a/x b/x', 'index xyz', '--- a/x'), 'index-line'],
    [
      'header with nothing',
      lines('diff --git a/x b/x', 'index 1234567..89abcde 100644'),
      'empty-change',
    ],
    ['gitlink mode', lines('diff --git a/x b/x', 'new file mode 160000'), 'gitlink-mode'],
    ['other mode', lines('diff --git a/x b/x', 'new file mode 100664'), 'mode'],
    ['no hunks after labels', lines('--- a/x', '+++ b/x'), 'no-hunks'],
    ['malformed hunk header', gitModify('x', '@@ -a +1 @@', '-a'), 'hunk-header'],
    ['hunk header with leading zero', gitModify('x', '@@ -01 +1 @@', '-a', '+b'), 'hunk-header'],
    ['empty hunk', gitModify('x', '@@ -1,0 +1,0 @@'), 'hunk-empty'],
    ['hunk starting at line 0', gitModify('x', '@@ -0,1 +0,1 @@', '-a', '+b'), 'hunk-header'],
    ['hunk shorter than header', gitModify('x', '@@ -1,3 +1,3 @@', ' a', '-b', '+c'), 'hunk-count'],
    ['hunk longer than header', gitModify('x', '@@ -1 +1 @@', '-a', '+b', '+c'), 'unexpected-line'],
    ['too many removed lines', gitModify('x', '@@ -1 +1,2 @@', '-a', '-b', '+c'), 'hunk-count'],
    ['unknown hunk line', gitModify('x', '@@ -1 +1 @@', '*a', '+b'), 'hunk-count'],
    ['hunk changes nothing', gitModify('x', '@@ -1 +1 @@', ' a'), 'hunk-no-change'],
    [
      'overlapping hunks',
      gitModify('x', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', '@@ -2 +2 @@', '-b', '+c'),
      'hunk-order',
    ],
    [
      'new-side position inconsistent',
      gitModify('x', '@@ -1 +1,2 @@', '-a', '+b', '+c', '@@ -5 +5 @@', '-e', '+f'),
      'hunk-position',
    ],
    [
      'marker first in hunk',
      gitModify('x', '@@ -1 +1 @@', '\\ No newline at end of file', '-a', '+b'),
      'no-newline-marker',
    ],
    [
      'double marker',
      gitModify(
        'x',
        '@@ -1 +1 @@',
        '-a',
        '\\ No newline at end of file',
        '\\ No newline at end of file',
        '+b',
      ),
      'no-newline-marker',
    ],
    [
      'lines after a no-newline line',
      gitModify('x', '@@ -1,2 +1,2 @@', '-a', '\\ No newline at end of file', ' b', '+c'),
      'no-newline-marker',
    ],
    ['bad marker text', gitModify('x', '@@ -1 +1 @@', '-a', '\\ no newline', '+b'), 'hunk-count'],
    [
      'duplicate target',
      gitModify('x', '@@ -1 +1 @@', '-a', '+b') + gitModify('x', '@@ -3 +3 @@', '-c', '+d'),
      'duplicate-target',
    ],
    [
      'file and file below it',
      gitModify('x', '@@ -1 +1 @@', '-a', '+b') +
        lines('--- /dev/null', '+++ b/x/y', '@@ -0,0 +1 @@', '+a'),
      'path-conflict',
    ],
  ];
  it.each(refusals)('%s', (_name, text, reason) => {
    expectRefused(() => parsePatch(text), 'PATCH_INVALID', reason);
  });

  it('refuses a symlink mode (120000) as an escape', () => {
    const text = lines(
      'diff --git a/x b/x',
      'new file mode 120000',
      '--- /dev/null',
      '+++ b/x',
      '@@ -0,0 +1 @@',
      '+/etc/passwd',
    );
    expectRefused(() => parsePatch(text), 'PATCH_ESCAPES_WORKSPACE', 'symlink-mode');
    expectRefused(
      () => parsePatch(lines('diff --git a/x b/x', 'old mode 100644', 'new mode 120000')),
      'PATCH_ESCAPES_WORKSPACE',
      'symlink-mode',
    );
  });

  it('refuses escaping paths in headers and labels', () => {
    expectRefused(
      () => parsePatch(gitModify('../x', '@@ -1 +1 @@', '-a', '+b')),
      'PATCH_ESCAPES_WORKSPACE',
      'dotdot-segment',
    );
    expectRefused(
      () => parsePatch(lines('--- a//etc/passwd', '+++ b//etc/passwd')),
      'PATCH_ESCAPES_WORKSPACE',
      'absolute',
    );
    expectRefused(
      () => parsePatch(lines('--- /dev/null', '+++ b/.git/hooks/pre-commit')),
      'PATCH_ESCAPES_WORKSPACE',
      'git-dir',
    );
  });

  it(`refuses more than ${MAX_FILES} files (PATCH_TOO_LARGE)`, () => {
    const one = (i: number): string => lines('--- /dev/null', `+++ b/f${i}`, '@@ -0,0 +1 @@', '+x');
    const text = Array.from({ length: MAX_FILES + 1 }, (_, i) => one(i)).join('');
    expectRefused(() => parsePatch(text), 'PATCH_TOO_LARGE', 'too-many-files');
    expect(parsePatch(text.slice(0, -one(MAX_FILES).length))).toHaveLength(MAX_FILES);
  });
});

describe('item 13: invisible characters in diff paths', () => {
  it('item 13 ENG-2: a diff --git header with an RLO path is refused (bidi-control)', () => {
    expectRefused(
      () => parsePatch(gitModify('src/\u202egnp.js', '@@ -1 +1 @@', '-a', '+b')),
      'PATCH_INVALID',
      'bidi-control',
    );
  });
  it('item 13 ENG-2: a plain ---/+++ label with a zero-width space is refused (zero-width)', () => {
    expectRefused(
      () =>
        parsePatch(lines('--- a/a\u200bb.txt', '+++ b/a\u200bb.txt', '@@ -1 +1 @@', '-a', '+b')),
      'PATCH_INVALID',
      'zero-width',
    );
  });
});
