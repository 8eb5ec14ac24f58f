/**
 * The read-only restored copy handed to take-off, and its re-hash (spec §4.2.4 V4/V5, G-28).
 *
 * Layout: `<dir>/<name>/artifact.json` (+ `body.data`), files 0444, directories 0555, and `dir`
 * itself 0555 once complete. Re-hashing reads the copy with the same confinement as collection
 * (no symlinks followed, O_NOFOLLOW, caps) and the role from the set, so the result is comparable
 * with {@link rehashStored} and with the plan-token.
 */
import { chmod, lstat, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import type { ContentStore } from '../cas/store.js';
import { isErrno } from '../fs-util.js';
import { ARTIFACT_JSON, BODY_DATA, listNames, readArtifactFiles } from './artifact-file.js';
import { artifactHash, descriptorOf } from './artifacts.js';
import { compareUtf8, isArtifactName } from './names.js';
import { artifactError } from './safe-read.js';
import type { ArtifactSet } from './set-shape.js';
import type { RehashedArtifact } from './store.js';

/**
 * Hash reported for a directory in a restored copy that the set does not list. Its content is
 * never read; the name alone makes the plan-token check report it as added. No SHA-256 output is
 * expected to equal it.
 */
export const UNLISTED_ARTIFACT_HASH = '0'.repeat(64);

const FILE_MODE = 0o444;
const DIR_MODE = 0o555;

/**
 * Write the set's artifacts into `dir`, which must not exist or be an empty directory (CONFLICT
 * otherwise). Every blob is re-verified by the CAS on the way out. On failure the partial copy is
 * left for the caller to discard; it is never complete and never 0555 at the top.
 */
export async function restoreArtifacts(
  cas: ContentStore,
  set: ArtifactSet,
  dir: string,
): Promise<void> {
  await prepareTarget(dir);
  for (const a of set.artifacts) {
    if (!isArtifactName(a.name)) {
      artifactError('ARTIFACT_INVALID', a.name, 'bad-name', 'stored artifact name is not allowed');
    }
    const target = join(dir, a.name);
    await mkdir(target, { mode: 0o700 });
    await writeNewFile(join(target, ARTIFACT_JSON), await cas.get(a.meta.address));
    if (a.body !== null) await writeNewFile(join(target, BODY_DATA), await cas.get(a.body.address));
    await chmod(target, DIR_MODE);
  }
  await chmod(dir, DIR_MODE);
}

async function prepareTarget(dir: string): Promise<void> {
  const st = await lstat(dir).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  });
  if (st === null) {
    await mkdir(dir, { mode: 0o700 });
    return;
  }
  if (!st.isDirectory() || (await listNames(dir, '', 'CONFLICT')).length > 0) {
    throw new ClearanceError('CONFLICT', 'restore target exists and is not an empty directory');
  }
}

/** Create (never replace, never through a symlink: O_EXCL) a file with 'bytes', then make it 0444. */
async function writeNewFile(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.chmod(FILE_MODE);
  } finally {
    await handle.close();
  }
}

/**
 * Recompute the hash of every artifact found in a restored copy, using the set's role and the set's
 * recorded sizes as read caps. A listed artifact missing from `dir` is left out (the caller reports
 * it as removed); a valid-named directory the set does not list is reported with
 * {@link UNLISTED_ARTIFACT_HASH} (added). Anything else out of place fails with ARTIFACT_INTEGRITY.
 */
export async function rehashDirectory(dir: string, set: ArtifactSet): Promise<RehashedArtifact[]> {
  const fail = (name: string, reason: string, message: string): never =>
    artifactError('ARTIFACT_INTEGRITY', name, reason, `restored copy: ${message}`);
  const root = await lstat(dir).catch(() => fail('', 'root', 'directory is unreadable'));
  if (!root.isDirectory()) fail('', 'root', 'not a directory');
  const listed = new Map(set.artifacts.map((a) => [a.name, a]));
  const out: RehashedArtifact[] = [];
  for (const name of (await listNames(dir, '', 'ARTIFACT_INTEGRITY')).sort(compareUtf8)) {
    if (!isArtifactName(name)) fail(name, 'unexpected-entry', 'entry name is not allowed');
    const path = join(dir, name);
    const st = await lstat(path).catch(() => fail(name, 'unreadable', 'entry is unreadable'));
    if (!st.isDirectory()) fail(name, 'unexpected-entry', 'entry is not a directory');
    const a = listed.get(name);
    if (a === undefined) {
      out.push({ name, hash: UNLISTED_ARTIFACT_HASH, size: 0 });
      continue;
    }
    const caps = { metaBytes: a.meta.size, artifactBytes: a.meta.size + (a.body?.size ?? 0) };
    const files = await readArtifactFiles(path, name, caps, 'ARTIFACT_INTEGRITY');
    const d = descriptorOf(name, a.role, files.artifact, files.metaBytes.length, files.body);
    out.push({ name, hash: artifactHash(d), size: d.size });
  }
  return out;
}
