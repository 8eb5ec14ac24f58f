/**
 * Path policy: which patch paths the engine accepts, and what they may point at on disk.
 *
 * Syntax is checked without the filesystem (pure); the workspace check lstat()s every existing
 * component, because a symlink anywhere on the path could redirect a read or a write outside
 * the workspace. Nothing here follows a symlink.
 */
import { lstatSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

import { isErrno, PatchError } from './errors.js';
import type { GitMode } from './types.js';

/** Longest accepted path and path segment, in UTF-8 bytes (Linux PATH_MAX / NAME_MAX). */
export const MAX_PATH_BYTES = 4096;
export const MAX_SEGMENT_BYTES = 255;

/** Take-off stages new files as `.clearance-<artifact name>.tmp`; patches may not use such names. */
export const TEMP_PREFIX = '.clearance-';
export const TEMP_SUFFIX = '.tmp';
const RESERVED_NAME = /^\.clearance-.*\.tmp$/;

// C0 controls, DEL and C1 controls: never in a path we accept (they also hide text from reviewers).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Bidirectional controls (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI, LRM/RLM, ALM): a reviewer sees
 * a path displayed in another order than the bytes it names (CVE-2021-42574, "Trojan Source").
 */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;
/**
 * Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) and the other format characters that
 * render as nothing (soft hyphen, Mongolian vowel separator, invisible operators U+2061–U+2064,
 * tag characters): two paths that look the same.
 */
const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]|[\u{e0000}-\u{e007f}]/u;

function escapes(reason: string, path: string, why: string): PatchError {
  return new PatchError('PATCH_ESCAPES_WORKSPACE', reason, `${JSON.stringify(path)}: ${why}`, {
    path,
  });
}

/**
 * PATCH_INVALID for a path carrying an invisible character. The path is reported with every such
 * character escaped (\\uXXXX), so the refusal itself cannot reorder or hide text.
 */
function invisible(reason: string, path: string, what: string): PatchError {
  const shown = path.replace(new RegExp(`${BIDI.source}|${ZERO_WIDTH.source}`, 'gu'), (c) => {
    const hex = (c.codePointAt(0) ?? 0).toString(16);
    return hex.length > 4 ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });
  return new PatchError(
    'PATCH_INVALID',
    reason,
    `${JSON.stringify(shown)}: path contains ${what}`,
    {
      path: shown,
    },
  );
}

/**
 * Refuse a path that is not a plain relative path inside the workspace: empty, absolute, with a
 * backslash, NUL or control character, a bidirectional control or zero-width character, an empty, `.` or `..` segment, any `.git` segment (in any
 * case: the repository's own metadata is never a patch target), a name reserved for take-off's
 * temp files, or too long.
 */
export function checkPathSyntax(path: string): void {
  if (path.length === 0) throw escapes('empty-path', path, 'empty path');
  if (path.includes('\u0000')) throw escapes('nul', path, 'path contains NUL');
  if (CONTROL.test(path)) throw escapes('control-char', path, 'path contains a control character');
  // Issue 10 item 13: invisible characters hide what a path really names from its approver.
  if (BIDI.test(path)) throw invisible('bidi-control', path, 'a bidirectional control character');
  if (ZERO_WIDTH.test(path)) throw invisible('zero-width', path, 'a zero-width character');
  if (path.includes('\\')) throw escapes('backslash', path, 'path contains a backslash');
  if (path.startsWith('/')) throw escapes('absolute', path, 'path is absolute');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) throw escapes('too-long', path, 'too long');
  for (const segment of path.split('/')) {
    if (segment === '') throw escapes('empty-segment', path, 'path has an empty segment');
    if (segment === '.') throw escapes('dot-segment', path, "path has a '.' segment");
    if (segment === '..') throw escapes('dotdot-segment', path, "path has a '..' segment");
    if (segment.toLowerCase() === '.git') throw escapes('git-dir', path, 'path is inside .git');
    if (RESERVED_NAME.test(segment)) {
      throw new PatchError('PATCH_INVALID', 'reserved-name', `${path}: name is reserved`, { path });
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      throw escapes('too-long', path, 'path segment too long');
    }
  }
}

/**
 * Refuse a set of targets that would interfere with each other: the same path twice, or one path
 * that is a directory prefix of another (a file and a file "inside" it cannot both be changed).
 */
export function checkTargetSet(paths: readonly string[]): void {
  const seen = new Set<string>();
  for (const path of paths) {
    if (seen.has(path)) {
      throw new PatchError('PATCH_INVALID', 'duplicate-target', `${path}: changed twice`, { path });
    }
    seen.add(path);
  }
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const prefix = segments.slice(0, i).join('/');
      if (seen.has(prefix)) {
        throw new PatchError('PATCH_INVALID', 'path-conflict', `${path}: under target ${prefix}`, {
          path,
        });
      }
    }
  }
}

/** What a target path holds right now. */
export type TargetState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly mode: GitMode; readonly stats: Stats };

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
}

/** The git mode of a regular file: executable when the owner may execute it (as git does). */
export function gitModeOf(stats: Stats): GitMode {
  return (stats.mode & 0o100) !== 0 ? '100755' : '100644';
}

/**
 * Check `path` (already syntax-checked) inside `workspace`: every existing parent must be a real
 * directory, and the target must be absent or a regular file. Symlinks, devices, FIFOs and
 * directories in the target position are refused.
 */
export function inspectTarget(workspace: string, path: string): TargetState {
  checkPathSyntax(path);
  const segments = path.split('/');
  let current = workspace;
  for (const segment of segments.slice(0, -1)) {
    current = join(current, segment);
    const stats = lstatOrNull(current);
    if (stats === null) return { kind: 'absent' };
    if (stats.isSymbolicLink()) throw escapes('symlink', path, 'a parent is a symlink');
    if (!stats.isDirectory()) throw escapes('not-directory', path, 'a parent is not a directory');
  }
  const stats = lstatOrNull(join(workspace, path));
  if (stats === null) return { kind: 'absent' };
  if (stats.isSymbolicLink()) throw escapes('symlink', path, 'target is a symlink');
  if (!stats.isFile()) throw escapes('not-regular-file', path, 'target is not a regular file');
  return { kind: 'file', mode: gitModeOf(stats), stats };
}
