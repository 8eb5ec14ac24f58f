/**
 * workspace_hash (spec §4.2.5, G-25): a domain-separated hash over every entry under a root.
 *
 * `H('cabincrew.workspace.v1', {exclude, entries})`, entries sorted by path in UTF-8 byte order,
 * each `{path, type, mode_exec, size, sha256 | link_target}`. Symlinks are recorded, never followed;
 * anything that is not a file, directory or symlink (FIFO, socket, device) makes the workspace
 * unhashable, and so do non-UTF-8 names (JSON could not represent them faithfully). Directory
 * sizes are recorded as 0 (file systems disagree on them); a symlink's size is its target's length.
 *
 * Exclusions are relative POSIX paths; `a/b` and `a/b/` both leave out `a/b` and everything below
 * it. They are part of the hashed object, so two snapshots taken with different exclusions never
 * compare equal.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize, ClearanceError, H } from '@clearance/protocol';
import { WORKSPACE_DOMAIN } from './domains.js';
import { compareUtf8, sortedBy } from './names.js';

/** One hashed entry; `sha256` for files, `link_target` for symlinks, neither for directories. */
export interface WorkspaceEntry {
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink';
  readonly mode_exec: boolean;
  readonly size: number;
  readonly sha256?: string;
  readonly link_target?: string;
}

/** The result of {@link hashWorkspace}. */
export interface WorkspaceSnapshot {
  readonly hash: string;
  readonly entries: readonly WorkspaceEntry[];
  /** The exclusions in force, sorted and deduplicated, exactly as hashed. */
  readonly exclude: readonly string[];
  readonly files: number;
  readonly bytes: number;
}

/** Options of {@link hashWorkspace}. */
export interface WorkspaceOptions {
  readonly exclude?: readonly string[];
  /** Most entries (files, directories, symlinks) accepted; default 200,000. */
  readonly maxEntries?: number;
  /** Most file bytes accepted in total; default 8 GiB. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_ENTRIES = 200_000;
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024 * 1024;
const HASH_PARALLELISM = 8;
const CHUNK_BYTES = 1024 * 1024;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const nameDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Walk {
  readonly root: string;
  readonly exclude: readonly string[];
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly entries: WorkspaceEntry[];
  /** Files still to hash, with the lstat they must still match. */
  readonly files: { readonly path: string; readonly stats: Stats }[];
  bytes: number;
}

function invalid(message: string, path: string, cause?: unknown): never {
  throw new ClearanceError('WORKSPACE_INVALID', message, {
    detail: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Hash the workspace under `root` (which must be a real directory, not a symlink). */
export async function hashWorkspace(
  root: string,
  options: WorkspaceOptions = {},
): Promise<WorkspaceSnapshot> {
  const exclude = normaliseExclusions(options.exclude ?? []);
  const rootStats = await lstat(root).catch((cause: unknown) =>
    invalid('workspace root cannot be read', '', cause),
  );
  if (!rootStats.isDirectory()) invalid('workspace root is not a directory', '');
  const walk: Walk = {
    root,
    exclude,
    maxEntries: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    entries: [],
    files: [],
    bytes: 0,
  };
  await walkDir(walk, '');
  await hashFiles(walk);
  const entries = Object.freeze(sortedBy(walk.entries, (e) => e.path).map((e) => Object.freeze(e)));
  return {
    hash: H(WORKSPACE_DOMAIN, { exclude, entries }),
    entries,
    exclude,
    files: walk.files.length,
    bytes: walk.bytes,
  };
}

/** Paths added, removed and changed (type, mode, size, content or target) between two snapshots. */
export function diffWorkspaces(
  before: WorkspaceSnapshot,
  after: WorkspaceSnapshot,
): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.entries.map((e) => [e.path, canonicalize(e)]));
  const now = new Map(after.entries.map((e) => [e.path, canonicalize(e)]));
  const added = [...now.keys()].filter((p) => !old.has(p));
  const removed = [...old.keys()].filter((p) => !now.has(p));
  const changed = [...now].filter(([p, e]) => old.has(p) && old.get(p) !== e).map(([p]) => p);
  return {
    added: added.sort(compareUtf8),
    removed: removed.sort(compareUtf8),
    changed: changed.sort(compareUtf8),
  };
}

function normaliseExclusions(exclude: readonly string[]): string[] {
  for (const e of exclude) {
    const base = e.endsWith('/') ? e.slice(0, -1) : e;
    const segments = base.split('/');
    if (base === '' || segments.some((s) => s === '' || s === '.' || s === '..')) {
      invalid(`exclusion ${JSON.stringify(e)} is not a relative POSIX path`, e);
    }
  }
  return [...new Set(exclude)].sort(compareUtf8);
}

function isExcluded(path: string, exclude: readonly string[]): boolean {
  return exclude.some((e) => {
    const base = e.endsWith('/') ? e.slice(0, -1) : e;
    return path === base || path.startsWith(`${base}/`);
  });
}

function decodeName(raw: Buffer, parent: string): string {
  try {
    return nameDecoder.decode(raw);
  } catch (cause) {
    return invalid('workspace has a file name that is not UTF-8', parent, cause);
  }
}

async function walkDir(walk: Walk, rel: string): Promise<void> {
  const names = await readdir(join(walk.root, rel), { encoding: 'buffer' }).catch(
    (cause: unknown) => invalid('workspace directory cannot be listed', rel, cause),
  );
  for (const raw of names) {
    const name = decodeName(raw, rel);
    const path = rel === '' ? name : `${rel}/${name}`;
    if (isExcluded(path, walk.exclude)) continue;
    if (walk.entries.length + walk.files.length >= walk.maxEntries) {
      invalid(`workspace has more than ${walk.maxEntries} entries`, path);
    }
    await visit(walk, path);
  }
}

async function visit(walk: Walk, path: string): Promise<void> {
  const full = join(walk.root, path);
  const st = await lstat(full).catch((cause: unknown) =>
    invalid('workspace entry cannot be read', path, cause),
  );
  const modeExec = (st.mode & 0o111) !== 0;
  if (st.isSymbolicLink()) {
    const target = await readlink(full, { encoding: 'buffer' }).catch((cause: unknown) =>
      invalid('workspace symlink cannot be read', path, cause),
    );
    const linkTarget = decodeName(target, path);
    walk.entries.push({
      path,
      type: 'symlink',
      mode_exec: false,
      size: target.length,
      link_target: linkTarget,
    });
  } else if (st.isDirectory()) {
    walk.entries.push({ path, type: 'dir', mode_exec: modeExec, size: 0 });
    await walkDir(walk, path);
  } else if (st.isFile()) {
    walk.bytes += st.size;
    if (walk.bytes > walk.maxBytes) invalid(`workspace exceeds ${walk.maxBytes} bytes`, path);
    walk.files.push({ path, stats: st });
  } else {
    invalid('workspace entry is not a file, directory or symlink', path);
  }
}

/** Hash every collected file, a few at a time, and add its entry. */
async function hashFiles(walk: Walk): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < walk.files.length) {
      const file = walk.files[next++];
      if (file === undefined) return;
      const sha256 = await hashFile(join(walk.root, file.path), file.path, file.stats);
      walk.entries.push({
        path: file.path,
        type: 'file',
        mode_exec: (file.stats.mode & 0o111) !== 0,
        size: file.stats.size,
        sha256,
      });
    }
  };
  await Promise.all(Array.from({ length: HASH_PARALLELISM }, worker));
}

/** Stream-hash one file, which must still be the regular file the walk saw, with the same size. */
async function hashFile(full: string, path: string, seen: Stats): Promise<string> {
  const handle = await open(full, READ_FLAGS).catch((cause: unknown) =>
    invalid('workspace file cannot be opened', path, cause),
  );
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.ino !== seen.ino || st.dev !== seen.dev) {
      invalid('workspace file was replaced while hashing', path);
    }
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > seen.size) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
    if (total !== seen.size) invalid('workspace file changed size while hashing', path);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
