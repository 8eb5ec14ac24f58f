import { describe, expect, it } from 'vitest';

import { parsePatch } from '../../../src/engines/patch/diff-parser.js';
import { applyHunks, splitLines } from '../../../src/engines/patch/hunk-apply.js';
import { expectRefused, gitModify } from './helpers.js';

/** Apply a one-file patch (given as hunk lines) to `old`, returning the result as text. */
function apply(old: string, ...hunk: string[]): string {
  const [file] = parsePatch(gitModify('f', ...hunk));
  if (file === undefined) throw new Error('no file');
  return applyHunks('f', Buffer.from(old, 'utf8'), file.hunks).toString('utf8');
}

describe('splitLines', () => {
  it('keeps terminators and a final unterminated line', () => {
    expect(splitLines(Buffer.from('a\nb\r\nc')).map(String)).toEqual(['a\n', 'b\r\n', 'c']);
    expect(splitLines(Buffer.alloc(0))).toEqual([]);
  });
});

describe('applyHunks', () => {
  it('applies context, removals and additions at the stated positions', () => {
    const old = 'a\nb\nc\nd\ne\nf\n';
    expect(
      apply(old, '@@ -2,2 +2,2 @@', ' b', '-c', '+C', '@@ -5,2 +5,3 @@', ' e', '+E', ' f'),
    ).toBe('a\nb\nC\nd\ne\nE\nf\n');
  });

  it('inserts at the start and appends at the end with zero-count sides', () => {
    expect(apply('a\n', '@@ -0,0 +1 @@', '+first')).toBe('first\na\n');
    expect(apply('a\n', '@@ -1,0 +2 @@', '+last')).toBe('a\nlast\n');
  });

  it('handles "no newline at end of file" on either side', () => {
    expect(apply('a', '@@ -1 +1 @@', '-a', '\\ No newline at end of file', '+a')).toBe('a\n');
    expect(apply('a\n', '@@ -1 +1 @@', '-a', '+a', '\\ No newline at end of file')).toBe('a');
  });

  it('refuses context that differs (no fuzz, no whitespace leniency)', () => {
    expectRefused(
      () => apply('a\nb\n', '@@ -1,2 +1,2 @@', ' a', '-B', '+c'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
    expectRefused(
      () => apply('a \nb\n', '@@ -1,2 +1,2 @@', ' a', '-b', '+c'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
    expectRefused(
      () => apply('a\r\nb\n', '@@ -1 +1 @@', '-a', '+c'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('refuses a hunk at the wrong line even when its content exists elsewhere (no offset search)', () => {
    expectRefused(
      () => apply('x\na\nb\n', '@@ -1,2 +1,2 @@', ' a', '-b', '+c'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('refuses a hunk past the end of the file', () => {
    expectRefused(
      () => apply('a\n', '@@ -3,0 +4 @@', '+x'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
    expectRefused(
      () => apply('a\n', '@@ -1,2 +1,2 @@', ' a', '-b', '+c'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('refuses a "no newline" mismatch between patch and file', () => {
    // The patch says line "a" has a newline; the file's last line has none.
    expectRefused(
      () => apply('a', '@@ -1 +1 @@', '-a', '+b'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
    // The patch says "a" has no newline, but the file's has one.
    expectRefused(
      () => apply('a\n', '@@ -1 +1 @@', '-a', '\\ No newline at end of file', '+b'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('refuses a result whose unterminated line would not be last', () => {
    expectRefused(
      () => apply('a\nb\n', '@@ -1 +1 @@', '-a', '+A', '\\ No newline at end of file'),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('handles files with many lines (no argument-spread limits)', () => {
    const old = 'x\n'.repeat(300_000);
    const result = apply(old, '@@ -300000 +300000 @@', '-x', '+y');
    expect(result.length).toBe(old.length);
    expect(result.endsWith('x\ny\n')).toBe(true);
  });

  it('compares bytes, not decoded text', () => {
    const old = Buffer.from([0xc3, 0xa9, 0x0a]); // "é\n" in UTF-8
    const [file] = parsePatch(gitModify('f', '@@ -1 +1 @@', '-é', '+e'));
    expect(applyHunks('f', old, file?.hunks ?? []).toString()).toBe('e\n');
    const latin1 = Buffer.from([0xe9, 0x0a]); // "é\n" in Latin-1 does not match
    expectRefused(
      () => applyHunks('f', latin1, file?.hunks ?? []),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });
});
