/**
 * Reading files that an untrusted engine wrote (ARTIFACTS_DIR, a restored copy).
 *
 * Node has no openat(2), so confinement is built from what it has: the caller lstat()s every path
 * component it walks, and the final open uses O_NOFOLLOW (a symlink fails with ELOOP instead of
 * being followed) and O_NONBLOCK (a FIFO swapped in after the lstat cannot block the authority).
 * fstat() on the open handle is the authoritative check: regular file, one link (a hard link would
 * alias a file from elsewhere), size within the cap *before* anything is read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ClearanceError, type ErrorCode } from '@clearance/protocol';
import { ARTIFACT_NAME_RE } from './names.js';

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** How a failure of {@link readConfinedFile} is reported. */
export interface ReadFailure {
  readonly code: ErrorCode;
  readonly name: string;
}

/**
 * How a name appears in errors: allowed names as they are; anything else (engine-chosen, maybe
 * huge or full of control characters) JSON-escaped and cut to 64 characters, so an error can
 * never carry a log-injection payload or bloat the audit record.
 */
export function shownName(name: string): string {
  // A regex test, not the isArtifactName guard: a failed guard would narrow `name` to never.
  if (name === '' || ARTIFACT_NAME_RE.test(name)) return name;
  return JSON.stringify(name.slice(0, 64)) + (name.length > 64 ? '...' : '');
}

/**
 * Throw `code` with the message `artifact <name>: <what>` and the machine-readable detail
 * `{name, reason}` used by every artifact error; the name is made safe by {@link shownName}.
 */
export function artifactError(
  code: ErrorCode,
  name: string,
  reason: string,
  what: string,
  cause?: unknown,
): never {
  const shown = shownName(name);
  throw new ClearanceError(code, `artifact ${shown}: ${what}`, {
    detail: { name: shown, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Read a whole regular file of at most `cap` bytes without following a symlink at `path`.
 * Never reads more than `cap + 1` bytes: the extra byte only detects a file that grew after fstat.
 */
export async function readConfinedFile(
  path: string,
  cap: number,
  failure: ReadFailure,
): Promise<Buffer> {
  const fail = (reason: string, message: string, cause?: unknown): never =>
    artifactError(failure.code, failure.name, reason, message, cause);
  // ELOOP (the final component is a symlink), ENOENT (it vanished): both are fatal the same way.
  const handle = await open(path, READ_FLAGS).catch((cause: unknown) =>
    fail('open-failed', 'cannot open a file safely', cause),
  );
  try {
    const st = await handle.stat();
    if (!st.isFile()) return fail('not-regular-file', 'not a file');
    if (st.nlink !== 1) return fail('hard-link', 'file is hard-linked');
    if (st.size > cap) return fail('too-large', `file exceeds ${cap} B`);
    const bytes = Buffer.alloc(st.size);
    let filled = 0;
    while (filled < st.size) {
      const { bytesRead } = await handle.read(bytes, filled, st.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const probe = await handle.read(Buffer.alloc(1), 0, 1, st.size);
    if (filled !== st.size || probe.bytesRead !== 0) {
      return fail('changed', 'file changed while being read');
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
