/**
 * Reconciling the spool folder with the records (issue 10, B2). Every program in the spool must be
 * a completed, recorded release whose bytes equal the recorded G-code hash. Anything else — an
 * unrecorded file, a leftover temp file, a release whose intent was recorded but whose completion
 * was not, recorded bytes that changed, something that is not a regular file — is moved to
 * `quarantine/` (never deleted, never left runnable), with a note beside it saying why.
 *
 * The decision is pure ({@link decideSpool}); listing, hashing and moving are the I/O edges.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize, type JsonObject } from '@clearance/protocol';
import { fsyncDir, isErrno } from '../fs-util.js';
import { SPOOL_QUARANTINE } from './spool.js';

/** What the WALs say about one spool file name. */
export interface SpoolRecord {
  readonly file: string;
  readonly workflowId: string;
  /** sha256 of the G-code that was (to be) released under this name. */
  readonly sha256: string;
  /** True once the release record (completion) is in the WAL; false: only the intent. */
  readonly completed: boolean;
}

/** One entry of the spool folder, as found. */
export interface SpoolEntry {
  readonly name: string;
  /** sha256 of a regular file's bytes; undefined for anything else (symlink, folder…). */
  readonly sha256: string | undefined;
}

/** Why an entry leaves the spool. */
export type QuarantineReason =
  'temp-file' | 'unrecorded' | 'interrupted-release' | 'bytes-differ' | 'not-a-file';

/** What reconciliation does with one entry. */
export type SpoolDecision =
  | { readonly name: string; readonly action: 'keep'; readonly record: SpoolRecord }
  | {
      readonly name: string;
      readonly action: 'quarantine';
      readonly reason: QuarantineReason;
      readonly record: SpoolRecord | undefined;
      readonly sha256: string | undefined;
    };

/**
 * Decide every entry (pure). An interrupted release is quarantined, not completed: its take-off
 * ends FAILED "outcome unknown" by the crash rules, and a FAILED workflow must not leave a
 * runnable program behind (an operator's retry would otherwise add a second one for the job).
 */
export function decideSpool(
  entries: readonly SpoolEntry[],
  records: readonly SpoolRecord[],
): SpoolDecision[] {
  const byName = new Map<string, SpoolRecord>();
  for (const r of records) {
    // A completion outranks an intent of the same name.
    if (!byName.has(r.file) || r.completed) byName.set(r.file, r);
  }
  return entries.map((e): SpoolDecision => {
    const record = byName.get(e.name);
    const out = (reason: QuarantineReason): SpoolDecision => ({
      name: e.name,
      action: 'quarantine',
      reason,
      record,
      sha256: e.sha256,
    });
    if (e.name.startsWith('.') && e.name.endsWith('.tmp')) return out('temp-file');
    if (e.sha256 === undefined) return out('not-a-file');
    if (record === undefined) return out('unrecorded');
    if (record.sha256 !== e.sha256) return out('bytes-differ');
    if (!record.completed) return out('interrupted-release');
    return { name: e.name, action: 'keep', record };
  });
}

/** List the spool (the quarantine folder excluded); a missing spool is empty. */
export async function readSpool(dir: string): Promise<SpoolEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
  const out: SpoolEntry[] = [];
  for (const name of names.sort()) {
    if (name === SPOOL_QUARANTINE) continue;
    out.push({ name, sha256: await regularFileSha256(join(dir, name)) });
  }
  return out;
}

async function regularFileSha256(path: string): Promise<string | undefined> {
  const st = await lstat(path);
  if (!st.isFile()) return undefined;
  // O_NOFOLLOW: a name swapped for a symlink after lstat is never followed.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // Read in chunks: a planted file of any size (one read holds at most 2 GiB) must still be
    // hashed, or reconciliation — and so every start — fails on it.
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/**
 * Move `name` from the spool into `quarantine/` (0700: the machine side cannot read it) under a
 * name that never replaces an earlier quarantined entry, and write a note beside it. Returns the
 * quarantined name (relative to the spool).
 */
export async function quarantineSpoolEntry(
  dir: string,
  name: string,
  note: JsonObject,
): Promise<string> {
  const qdir = join(dir, SPOOL_QUARANTINE);
  await realQuarantineDir(dir, qdir);
  // A name too long to carry its `.note.json` (and a suffix) is replaced by its hash (the note
  // keeps the original); a target is free only when its note is too, since a crash between the
  // note and the move leaves the note alone (either would otherwise fail every start).
  const base =
    Buffer.byteLength(name) > 200
      ? `long-name-${createHash('sha256').update(name).digest('hex').slice(0, 32)}`
      : name;
  let target = base;
  for (
    let n = 1;
    (await exists(join(qdir, target))) || (await exists(join(qdir, `${target}.note.json`)));
    n++
  ) {
    target = `${base}.${n}`;
  }
  await writeFile(join(qdir, `${target}.note.json`), `${canonicalize(note)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  await rename(join(dir, name), join(qdir, target));
  await fsyncDir(qdir);
  await fsyncDir(dir);
  return `${SPOOL_QUARANTINE}/${target}`;
}

/**
 * Make `qdir` a real folder of the spool. Anything else under its name — a symlink (to the spool
 * itself, or to a folder the machine side runs from), a file — would send a withdrawn program
 * somewhere runnable; it is itself moved into a fresh quarantine folder.
 */
async function realQuarantineDir(dir: string, qdir: string): Promise<void> {
  let found;
  try {
    found = await lstat(qdir);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  if (found?.isDirectory() === true) return;
  if (found === undefined) {
    await mkdir(qdir, { recursive: true, mode: 0o700 });
    return;
  }
  const tag = randomBytes(8).toString('hex');
  const aside = join(dir, `.${SPOOL_QUARANTINE}-${tag}.displaced`);
  await rename(qdir, aside);
  await mkdir(qdir, { mode: 0o700 });
  await rename(aside, join(qdir, `displaced-${SPOOL_QUARANTINE}-${tag}`));
  await fsyncDir(qdir);
  await fsyncDir(dir);
}

/**
 * After a publish that failed part-way (e.g. the folder fsync after the link): withdraw `name` if
 * it is in the spool with exactly the intended bytes. Returns where it went, or undefined when
 * there is nothing of this release to withdraw (a file with other bytes is not this release's and
 * is left to the reconciliation on start).
 */
export async function withdrawRelease(
  dir: string,
  name: string,
  sha256: string,
  note: JsonObject,
): Promise<string | undefined> {
  let found: string | undefined;
  try {
    found = await regularFileSha256(join(dir, name));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  if (found !== sha256) return undefined;
  return quarantineSpoolEntry(dir, name, note);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}
