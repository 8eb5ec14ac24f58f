/**
 * Take-off input: read exactly the approved artifacts from ARTIFACTS_DIR. The directory must hold
 * change-0001 … change-N with no gap and nothing else, each a real directory holding exactly
 * artifact.json and body.data as regular files; no symlink is ever followed.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { ARTIFACT_FILE, BODY_FILE } from './artifact-format.js';
import { MAX_FILES } from './diff-parser.js';
import { PatchError } from './errors.js';
import { changeName } from './planner.js';

/** Upper bound for one artifact.json (paths are at most 4 KiB; the rest is fixed-size). */
const MAX_ARTIFACT_JSON_BYTES = 64 * 1024;

/** The raw bytes of one approved artifact. */
export type ArtifactFiles = {
  readonly name: string;
  readonly json: Buffer;
  readonly body: Buffer;
};

function bad(reason: string, why: string): PatchError {
  return new PatchError('ARTIFACT_INVALID', reason, `artifacts: ${why}`);
}

/** Read a regular file (never through a symlink) of at most `max` bytes. */
function readRegular(path: string, max: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw bad('not-regular-file', `${path} is not a regular file`);
    if (stats.size > max) throw bad('too-large', `${path} is too large`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readOne(dir: string, name: string, maxBody: number): ArtifactFiles {
  const path = join(dir, name);
  const stats = lstatSync(path);
  if (!stats.isDirectory()) throw bad('not-directory', `${name} is not a directory`);
  const entries = readdirSync(path).sort();
  if (entries.length !== 2 || entries[0] !== ARTIFACT_FILE || entries[1] !== BODY_FILE) {
    throw bad('entries', `${name} must hold exactly ${ARTIFACT_FILE} and ${BODY_FILE}`);
  }
  for (const entry of entries) {
    if (!lstatSync(join(path, entry)).isFile()) throw bad('not-regular-file', `${name}/${entry}`);
  }
  return {
    name,
    json: readRegular(join(path, ARTIFACT_FILE), MAX_ARTIFACT_JSON_BYTES),
    body: readRegular(join(path, BODY_FILE), maxBody),
  };
}

/**
 * Read every artifact of `dir`, in order. Refuses an empty directory, a gap in the numbering
 * (a missing artifact), any other entry (an extra one) and more than MAX_FILES artifacts.
 */
export function readArtifacts(dir: string, maxBodyBytes: number): ArtifactFiles[] {
  const entries = readdirSync(dir).sort();
  if (entries.length === 0) throw bad('missing', 'no artifacts');
  if (entries.length > MAX_FILES) throw bad('too-many', 'too many artifacts');
  entries.forEach((entry, index) => {
    if (entry !== changeName(index + 1)) {
      throw bad(
        'unexpected-entry',
        `expected ${changeName(index + 1)}, found ${JSON.stringify(entry)}`,
      );
    }
  });
  return entries.map((name) => readOne(dir, name, maxBodyBytes));
}
