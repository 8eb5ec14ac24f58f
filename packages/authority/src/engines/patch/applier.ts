/**
 * Take-off writes, in two phases so a failure leaves the workspace as it was whenever possible:
 * 1. stage: create missing parent directories (0755) and write every new file to a temp file in
 *    its target's directory (O_EXCL|O_NOFOLLOW, exact mode, fsync), then verify its SHA-256;
 *    on any error, remove the temp files and the directories created, and rethrow;
 * 2. commit: link (create, never clobbers) or rename (modify) each temp file onto its target,
 *    unlink deletions, fsync the touched directories, and re-verify what is on disk.
 * Every check against the plan happened before this module is called.
 */
import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

import { Hb } from '@clearance/protocol';

import { isErrno, PatchError } from './errors.js';
import { TEMP_PREFIX, TEMP_SUFFIX } from './path-policy.js';
import type { ChangeAction, GitMode } from './types.js';

/** One verified change, ready to be written. */
export type ApplyChange = {
  readonly name: string;
  readonly path: string;
  readonly action: ChangeAction;
  readonly newContent: Buffer | null;
  readonly newMode: GitMode | null;
  readonly newSha256: string | null;
};

type Staged = { readonly change: ApplyChange; readonly temp: string | null };

function failure(path: string, why: string): PatchError {
  return new PatchError('INTERNAL', 'write-failed', `${path}: ${why}`, { path });
}

/** Create the missing parents of `path` (recorded in `created`), refusing anything but real dirs. */
function ensureParents(workspace: string, path: string, created: string[]): void {
  let current = workspace;
  for (const segment of path.split('/').slice(0, -1)) {
    current = join(current, segment);
    try {
      const stats = lstatSync(current);
      if (stats.isSymbolicLink() || !stats.isDirectory()) throw failure(path, 'parent changed');
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
      mkdirSync(current, { mode: 0o755 });
      created.push(current);
      chmodSync(current, 0o755); // the umask must not decide the mode
    }
  }
}

function writeTemp(temp: string, content: Buffer, mode: number): void {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(temp, flags, mode);
  try {
    let offset = 0;
    while (offset < content.length) offset += writeSync(fd, content, offset);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temp file of a change: in the target's directory, named after the change (never random). */
export function tempPathFor(workspace: string, change: ApplyChange): string {
  return join(dirname(join(workspace, change.path)), `${TEMP_PREFIX}${change.name}${TEMP_SUFFIX}`);
}

function removeQuietly(remove: () => void): void {
  try {
    remove();
  } catch {
    // Best effort: a rollback must not hide the error that caused it.
  }
}

function stageOne(workspace: string, change: ApplyChange, created: string[]): Staged {
  if (change.newContent === null) return { change, temp: null };
  ensureParents(workspace, change.path, created);
  const temp = tempPathFor(workspace, change);
  try {
    writeTemp(temp, change.newContent, change.newMode === '100755' ? 0o755 : 0o644);
    if (Hb(readFileSync(temp)) !== change.newSha256) {
      throw failure(change.path, 'written content does not match new_sha256');
    }
  } catch (err) {
    // EEXIST: the name was taken by something that is not ours; leave it alone.
    if (!isErrno(err, 'EEXIST')) removeQuietly(() => unlinkSync(temp));
    throw err;
  }
  return { change, temp };
}

function rollback(staged: readonly Staged[], created: readonly string[]): void {
  for (const { temp } of staged) if (temp !== null) removeQuietly(() => unlinkSync(temp));
  for (const dir of [...created].reverse()) removeQuietly(() => rmdirSync(dir));
}

function stageAll(workspace: string, changes: readonly ApplyChange[]): Staged[] {
  const staged: Staged[] = [];
  const created: string[] = [];
  try {
    for (const change of changes) staged.push(stageOne(workspace, change, created));
  } catch (err) {
    rollback(staged, created);
    throw err;
  }
  return staged;
}

function commitOne(workspace: string, { change, temp }: Staged): void {
  const target = join(workspace, change.path);
  if (temp === null) {
    unlinkSync(target);
  } else if (change.action === 'create') {
    linkSync(temp, target); // fails with EEXIST rather than overwrite a file that appeared
    unlinkSync(temp);
  } else {
    renameSync(temp, target);
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function verifyOne(workspace: string, change: ApplyChange): void {
  const target = join(workspace, change.path);
  if (change.newSha256 === null) {
    try {
      lstatSync(target);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return;
      throw err;
    }
    throw failure(change.path, 'still exists after delete');
  }
  const fd = openSync(target, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (Hb(readFileSync(fd)) !== change.newSha256) throw failure(change.path, 'bad content');
  } finally {
    closeSync(fd);
  }
}

/** Write `changes` (already verified against the workspace) and verify the result. */
export function applyChanges(workspace: string, changes: readonly ApplyChange[]): void {
  const staged = stageAll(workspace, changes);
  for (const item of staged) commitOne(workspace, item);
  const dirs = new Set(changes.map((change) => dirname(join(workspace, change.path))));
  for (const dir of dirs) fsyncDir(dir);
  for (const change of changes) verifyOne(workspace, change);
}
