/**
 * Check one parsed file change against the current workspace and compute its result in memory.
 * Used by flight-plan (to plan) and again by take-off (to re-check the approved plan), so both
 * modes apply exactly the same rules.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

import { Hb } from '@clearance/protocol';

import { PatchError } from './errors.js';
import { applyHunks } from './hunk-apply.js';
import { inspectTarget } from './path-policy.js';
import type { TargetState } from './path-policy.js';
import type { EvaluatedChange, FilePatch, GitMode, Limits } from './types.js';

/** What take-off expects to find (from the approved artifact); checked before anything else. */
export type Expected = { readonly oldSha256: string | null; readonly oldMode: GitMode | null };

function doesNotApply(reason: string, path: string, why: string): PatchError {
  return new PatchError('PATCH_DOES_NOT_APPLY', reason, `${path}: ${why}`, { path });
}

/**
 * Read a regular file without following a symlink, and only if it is still the file that was
 * inspected (same device and inode) and within the size limit.
 */
function readTarget(workspace: string, path: string, state: TargetState, limits: Limits): Buffer {
  if (state.kind !== 'file') throw doesNotApply('target-missing', path, 'file does not exist');
  if (state.stats.size > limits.maxFileBytes) {
    throw new PatchError('PATCH_TOO_LARGE', 'file-too-large', `${path}: file exceeds the limit`, {
      path,
    });
  }
  // O_NONBLOCK: should a FIFO have replaced the file since lstat, open must not hang on it.
  const flags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const fd = openSync(join(workspace, path), flags);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.ino !== state.stats.ino || stats.dev !== state.stats.dev) {
      throw doesNotApply('target-changed', path, 'file changed while being read');
    }
    const content = Buffer.alloc(stats.size);
    let offset = 0;
    while (offset < content.length) {
      const read = readSync(fd, content, offset, content.length - offset, offset);
      if (read === 0) throw doesNotApply('target-changed', path, 'file shrank while being read');
      offset += read;
    }
    return content;
  } finally {
    closeSync(fd);
  }
}

function checkExpected(
  patch: FilePatch,
  expected: Expected,
  sha: string | null,
  mode: GitMode | null,
): void {
  if (expected.oldSha256 !== sha || expected.oldMode !== mode) {
    throw doesNotApply('workspace-changed', patch.path, 'file differs from the approved plan');
  }
}

/**
 * Evaluate `patch` against `workspace`: path policy on disk, existence, declared modes, exact
 * hunk application, size limits. With `expected`, also require the file to be exactly as planned.
 */
export function evaluateChange(
  workspace: string,
  patch: FilePatch,
  limits: Limits,
  expected?: Expected,
): EvaluatedChange {
  const { path, action } = patch;
  const state = inspectTarget(workspace, path);
  let old: Buffer;
  let oldMode: GitMode | null;
  if (action === 'create') {
    if (state.kind !== 'absent') throw doesNotApply('target-exists', path, 'file already exists');
    old = Buffer.alloc(0);
    oldMode = null;
  } else {
    old = readTarget(workspace, path, state, limits);
    oldMode = state.kind === 'file' ? state.mode : null;
    if (patch.oldMode !== null && patch.oldMode !== oldMode) {
      throw doesNotApply(
        'mode-mismatch',
        path,
        `file mode is ${oldMode}, patch says ${patch.oldMode}`,
      );
    }
  }
  const oldSha256 = action === 'create' ? null : Hb(old);
  if (expected !== undefined) checkExpected(patch, expected, oldSha256, oldMode);
  const content = applyHunks(path, old, patch.hunks);
  if (content.length > limits.maxFileBytes) {
    throw new PatchError(
      'PATCH_TOO_LARGE',
      'result-too-large',
      `${path}: result exceeds the limit`,
      {
        path,
      },
    );
  }
  if (action === 'delete') {
    if (content.length !== 0)
      throw doesNotApply('delete-not-empty', path, 'deletion leaves content');
    return { patch, oldSha256, newSha256: null, oldMode, newMode: null, newContent: null };
  }
  const newMode = patch.newMode ?? oldMode ?? '100644';
  return { patch, oldSha256, newSha256: Hb(content), oldMode, newMode, newContent: content };
}
