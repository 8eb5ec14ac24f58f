import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { Hb } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { readArtifacts } from '../../../src/engines/patch/artifact-reader.js';
import { applyChanges } from '../../../src/engines/patch/applier.js';
import { runFlightPlan } from '../../../src/engines/patch/flight-plan.js';
import { runTakeOff } from '../../../src/engines/patch/take-off.js';
import {
  expectRefused,
  gitModify,
  LIMITS,
  lines,
  snapshot,
  tempDir,
  writeTree,
} from './helpers.js';

const PATCH =
  gitModify('a.txt', '@@ -1,2 +1,2 @@', ' one', '-two', '+TWO') +
  lines(
    'diff --git a/new/dir/b.sh b/new/dir/b.sh',
    'new file mode 100755',
    '--- /dev/null',
    '+++ b/new/dir/b.sh',
    '@@ -0,0 +1 @@',
    '+echo b',
  ) +
  lines('--- a/c.txt', '+++ /dev/null', '@@ -1 +0,0 @@', '-bye') +
  lines('diff --git a/m.txt b/m.txt', 'old mode 100644', 'new mode 100755');

type Setup = { ws: string; artifacts: string; temp: string };

/** A workspace planned with PATCH, and a fresh copy of its artifacts (as the orchestrator restores). */
function planned(patch = PATCH): Setup {
  const ws = tempDir();
  writeTree(ws, { 'a.txt': 'one\ntwo\n', 'c.txt': 'bye\n', 'm.txt': 'mode\n' });
  const planDir = tempDir('patch-fp-');
  const temp = tempDir('patch-tmp-');
  runFlightPlan({ workspace: ws, artifactsDir: planDir, tempDir: temp }, patch, LIMITS);
  const artifacts = join(tempDir('patch-to-'), 'artifacts');
  cpSync(planDir, artifacts, { recursive: true });
  return { ws, artifacts, temp };
}

describe('runTakeOff', () => {
  it('applies exactly the approved changes', () => {
    const { ws, artifacts } = planned();
    expect(runTakeOff(ws, artifacts, LIMITS)).toBe(4);
    expect(readFileSync(join(ws, 'a.txt'), 'utf8')).toBe('one\nTWO\n');
    expect(readFileSync(join(ws, 'new/dir/b.sh'), 'utf8')).toBe('echo b\n');
    expect(statSync(join(ws, 'new/dir/b.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(ws, 'new/dir')).mode & 0o777).toBe(0o755);
    expect(() => lstatSync(join(ws, 'c.txt'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(statSync(join(ws, 'm.txt')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(ws, 'm.txt'), 'utf8')).toBe('mode\n');
    // No temp file is left behind.
    expect(snapshot(ws)).not.toContain('.clearance-');
  });

  it('refuses (PATCH_DOES_NOT_APPLY) and writes nothing when a file changed since the plan', () => {
    const { ws, artifacts } = planned();
    writeFileSync(join(ws, 'c.txt'), 'bye!\n'); // the LAST changed file: earlier ones must not be written
    const before = snapshot(ws);
    expectRefused(
      () => runTakeOff(ws, artifacts, LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'workspace-changed',
    );
    expect(snapshot(ws)).toBe(before);
  });

  it('refuses when a mode changed since the plan', () => {
    const { ws, artifacts } = planned();
    chmodSync(join(ws, 'a.txt'), 0o755);
    const before = snapshot(ws);
    expectRefused(
      () => runTakeOff(ws, artifacts, LIMITS),
      'PATCH_DOES_NOT_APPLY',
      'workspace-changed',
    );
    expect(snapshot(ws)).toBe(before);
  });

  it('refuses when a file to create appeared since the plan', () => {
    const { ws, artifacts } = planned();
    writeTree(ws, { 'new/dir/b.sh': 'echo b\n' });
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'PATCH_DOES_NOT_APPLY', 'target-exists');
  });

  it('refuses a symlink that appeared on a path since the plan', () => {
    const { ws, artifacts } = planned();
    const outside = tempDir();
    symlinkSync(outside, join(ws, 'new'));
    const before = snapshot(ws);
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'PATCH_ESCAPES_WORKSPACE', 'symlink');
    expect(snapshot(ws)).toBe(before);
    expect(snapshot(outside)).toBe('');
  });

  it('refuses a modified body (ARTIFACT_INTEGRITY) and writes nothing', () => {
    const { ws, artifacts } = planned();
    const body = join(artifacts, 'change-0001', 'body.data');
    writeFileSync(body, readFileSync(body, 'utf8').replace('+TWO', '+EVIL'));
    const before = snapshot(ws);
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'ARTIFACT_INTEGRITY', 'mismatch');
    expect(snapshot(ws)).toBe(before);
  });

  it('refuses a body retargeted to another file', () => {
    const { ws, artifacts } = planned();
    writeTree(ws, { 'other.txt': 'one\ntwo\n' });
    const body = join(artifacts, 'change-0001', 'body.data');
    writeFileSync(body, readFileSync(body, 'utf8').replaceAll('a.txt', 'other.txt'));
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'ARTIFACT_INTEGRITY', 'mismatch');
  });

  it('refuses a body that no longer parses', () => {
    const { ws, artifacts } = planned();
    writeFileSync(join(artifacts, 'change-0001', 'body.data'), 'garbage\n');
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'ARTIFACT_INTEGRITY', 'body');
  });

  it('refuses an artifact.json whose new_sha256 was changed', () => {
    const { ws, artifacts } = planned();
    const json = join(artifacts, 'change-0001', 'artifact.json');
    const doc = readFileSync(json, 'utf8');
    writeFileSync(
      json,
      doc.replace(/"new_sha256":"[0-9a-f]{64}"/, `"new_sha256":"${Hb('other')}"`),
    );
    expectRefused(() => runTakeOff(ws, artifacts, LIMITS), 'ARTIFACT_INTEGRITY', 'mismatch');
  });
});

describe('readArtifacts: exactly the approved set (ARTIFACT_INVALID)', () => {
  it('refuses an extra artifact directory, a missing one and an empty set', () => {
    const { artifacts } = planned();
    mkdirSync(join(artifacts, 'change-0009'));
    expectRefused(
      () => readArtifacts(artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'unexpected-entry',
    );
    rmSync(join(artifacts, 'change-0009'), { recursive: true });
    rmSync(join(artifacts, 'change-0002'), { recursive: true });
    expectRefused(
      () => readArtifacts(artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'unexpected-entry',
    );
    const empty = tempDir();
    expectRefused(() => readArtifacts(empty, LIMITS.maxPatchBytes), 'ARTIFACT_INVALID', 'missing');
  });

  it('refuses a stray file at the root and extra or missing files in an artifact', () => {
    const a = planned();
    writeFileSync(join(a.artifacts, 'notes.txt'), 'x');
    expectRefused(
      () => readArtifacts(a.artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'unexpected-entry',
    );
    const b = planned();
    writeFileSync(join(b.artifacts, 'change-0001', 'extra'), 'x');
    expectRefused(
      () => readArtifacts(b.artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'entries',
    );
    const c = planned();
    rmSync(join(c.artifacts, 'change-0001', 'body.data'));
    expectRefused(
      () => readArtifacts(c.artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'entries',
    );
  });

  it('refuses symlinks in place of artifact directories or files', () => {
    const a = planned();
    const elsewhere = tempDir();
    cpSync(join(a.artifacts, 'change-0001'), join(elsewhere, 'c1'), { recursive: true });
    rmSync(join(a.artifacts, 'change-0001'), { recursive: true });
    symlinkSync(join(elsewhere, 'c1'), join(a.artifacts, 'change-0001'));
    expectRefused(
      () => readArtifacts(a.artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'not-directory',
    );
    const b = planned();
    const body = join(b.artifacts, 'change-0001', 'body.data');
    cpSync(body, join(elsewhere, 'body'));
    rmSync(body);
    symlinkSync(join(elsewhere, 'body'), body);
    expectRefused(
      () => readArtifacts(b.artifacts, LIMITS.maxPatchBytes),
      'ARTIFACT_INVALID',
      'not-regular-file',
    );
  });

  it('refuses an oversize body', () => {
    const { artifacts } = planned();
    expectRefused(() => readArtifacts(artifacts, 16), 'ARTIFACT_INVALID', 'too-large');
  });
});

describe('applyChanges', () => {
  it('rolls back temp files and created directories when staging fails', () => {
    const ws = tempDir();
    writeTree(ws, { 'a.txt': 'a\n' });
    const before = snapshot(ws);
    const content = Buffer.from('new\n');
    const changes = [
      {
        name: 'change-0001',
        path: 'x/y/new.txt',
        action: 'create',
        newContent: content,
        newMode: '100644',
        newSha256: Hb(content),
      },
      // A wrong digest makes the second staging fail after the first succeeded.
      {
        name: 'change-0002',
        path: 'a.txt',
        action: 'modify',
        newContent: content,
        newMode: '100644',
        newSha256: Hb('other'),
      },
    ] as const;
    expectRefused(() => applyChanges(ws, changes), 'INTERNAL', 'write-failed');
    expect(snapshot(ws)).toBe(before);
  });
});
