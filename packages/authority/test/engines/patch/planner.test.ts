import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

import { Hb } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { changeName, planPatch } from '../../../src/engines/patch/planner.js';
import {
  expectRefused,
  gitModify,
  LIMITS,
  lines,
  snapshot,
  tempDir,
  writeTree,
} from './helpers.js';

const MODIFY_A = gitModify('a.txt', '@@ -1,2 +1,2 @@', ' one', '-two', '+TWO');
const CREATE_B = lines('--- /dev/null', '+++ b/dir/b.txt', '@@ -0,0 +1,2 @@', '+x', '+y');
const DELETE_C = lines(
  'diff --git a/c.txt b/c.txt',
  'deleted file mode 100644',
  '--- a/c.txt',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-bye',
);

function workspace(): string {
  const ws = tempDir();
  writeTree(ws, { 'a.txt': 'one\ntwo\n', 'c.txt': 'bye\n', 'x.sh': 'echo\n' });
  chmodSync(join(ws, 'x.sh'), 0o755);
  return ws;
}

describe('planPatch', () => {
  it('plans create, modify and delete in patch order, reading only', () => {
    const ws = workspace();
    const before = snapshot(ws);
    const planned = planPatch(ws, MODIFY_A + CREATE_B + DELETE_C, LIMITS);
    expect(snapshot(ws)).toBe(before);
    expect(planned.map((c) => [c.name, c.patch.path, c.patch.action])).toEqual([
      ['change-0001', 'a.txt', 'modify'],
      ['change-0002', 'dir/b.txt', 'create'],
      ['change-0003', 'c.txt', 'delete'],
    ]);
    const [modify, create, del] = planned;
    expect(modify).toMatchObject({
      oldSha256: Hb('one\ntwo\n'),
      newSha256: Hb('one\nTWO\n'),
      oldMode: '100644',
      newMode: '100644',
    });
    expect(create).toMatchObject({
      oldSha256: null,
      oldMode: null,
      newMode: '100644',
      newSha256: Hb('x\ny\n'),
    });
    expect(del).toMatchObject({
      oldSha256: Hb('bye\n'),
      newSha256: null,
      newMode: null,
      newContent: null,
    });
  });

  it('keeps an executable file executable and applies a declared mode change', () => {
    const ws = workspace();
    const [keep] = planPatch(ws, gitModify('x.sh', '@@ -1 +1 @@', '-echo', '+echo hi'), LIMITS);
    expect(keep).toMatchObject({ oldMode: '100755', newMode: '100755' });
    const [chmod] = planPatch(
      ws,
      lines('diff --git a/a.txt b/a.txt', 'old mode 100644', 'new mode 100755'),
      LIMITS,
    );
    expect(chmod).toMatchObject({
      oldMode: '100644',
      newMode: '100755',
      newSha256: Hb('one\ntwo\n'),
    });
  });

  it('names artifacts change-0001 … with four digits', () => {
    expect([1, 12, 999, 1000].map(changeName)).toEqual([
      'change-0001',
      'change-0012',
      'change-0999',
      'change-1000',
    ]);
  });

  it('refuses a create over an existing file and a modify or delete of a missing one', () => {
    const ws = workspace();
    expectRefused(
      () => planPatch(ws, lines('--- /dev/null', '+++ b/a.txt', '@@ -0,0 +1 @@', '+x'), LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'target-exists',
    );
    expectRefused(
      () => planPatch(ws, gitModify('nope.txt', '@@ -1 +1 @@', '-a', '+b'), LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'target-missing',
    );
    expectRefused(
      () => planPatch(ws, lines('--- a/nope', '+++ /dev/null', '@@ -1 +0,0 @@', '-a'), LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'target-missing',
    );
  });

  it('refuses a patch whose declared old mode is not the file mode', () => {
    const ws = workspace();
    expectRefused(
      () =>
        planPatch(
          ws,
          lines('diff --git a/x.sh b/x.sh', 'old mode 100644', 'new mode 100755'),
          LIMITS,
        ),
      'PATCH_DOES_NOT_APPLY',
      'mode-mismatch',
    );
    const indexed = lines(
      'diff --git a/a.txt b/a.txt',
      'index 1234567..89abcde 100755',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1 +1 @@',
      '-one',
      '+1',
    );
    expectRefused(() => planPatch(ws, indexed, LIMITS), 'PATCH_DOES_NOT_APPLY', 'mode-mismatch');
  });

  it('refuses a delete that does not remove the whole content', () => {
    const ws = workspace();
    const partial = lines('--- a/a.txt', '+++ /dev/null', '@@ -1 +0,0 @@', '-one');
    expectRefused(() => planPatch(ws, partial, LIMITS), 'PATCH_DOES_NOT_APPLY', 'delete-not-empty');
  });

  it('refuses hunks that do not match the current content', () => {
    const ws = workspace();
    expectRefused(
      () => planPatch(ws, gitModify('a.txt', '@@ -1,2 +1,2 @@', ' one', '-three', '+3'), LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'context-mismatch',
    );
  });

  it('refuses symlinks on the path and symlink targets', () => {
    const ws = workspace();
    const outside = tempDir();
    writeTree(outside, { 'a.txt': 'one\ntwo\n' });
    symlinkSync(outside, join(ws, 'linked'));
    symlinkSync(join(outside, 'a.txt'), join(ws, 'l.txt'));
    expectRefused(
      () => planPatch(ws, gitModify('linked/a.txt', '@@ -1 +1 @@', '-one', '+1'), LIMITS),
      'PATCH_ESCAPES_WORKSPACE',
      'symlink',
    );
    expectRefused(
      () =>
        planPatch(ws, lines('--- /dev/null', '+++ b/linked/new', '@@ -0,0 +1 @@', '+x'), LIMITS),
      'PATCH_ESCAPES_WORKSPACE',
      'symlink',
    );
    expectRefused(
      () => planPatch(ws, gitModify('l.txt', '@@ -1 +1 @@', '-one', '+1'), LIMITS),
      'PATCH_ESCAPES_WORKSPACE',
      'symlink',
    );
  });

  it('refuses a patch over max_patch_bytes, a file over max_file_bytes and a result over it', () => {
    const ws = workspace();
    const small = { maxPatchBytes: 64, maxFileBytes: 1024 };
    expectRefused(
      () => planPatch(ws, MODIFY_A + CREATE_B, small),
      'PATCH_TOO_LARGE',
      'patch-too-large',
    );
    writeTree(ws, { 'big.txt': `a\n${'x'.repeat(2048)}\n` });
    const limits = { maxPatchBytes: 1 << 20, maxFileBytes: 1024 };
    expectRefused(
      () => planPatch(ws, gitModify('big.txt', '@@ -1 +1 @@', '-a', '+b'), limits),
      'PATCH_TOO_LARGE',
      'file-too-large',
    );
    const grow = lines('--- /dev/null', '+++ b/grown.txt', '@@ -0,0 +1 @@', `+${'y'.repeat(1024)}`);
    expectRefused(() => planPatch(ws, grow, limits), 'PATCH_TOO_LARGE', 'result-too-large');
  });

  it('stops at the first refusal (no partial plan)', () => {
    const ws = workspace();
    expectRefused(
      () => planPatch(ws, MODIFY_A + gitModify('../etc/passwd', '@@ -1 +1 @@', '-a', '+b'), LIMITS),
      'PATCH_ESCAPES_WORKSPACE',
      'dotdot-segment',
    );
  });
});
