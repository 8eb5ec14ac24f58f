/**
 * Crash recovery for append-only JSONL files. A final line without its newline was never
 * acknowledged (appends resolve only after the whole line is fsynced), so it is not an event; but
 * it is evidence, so its bytes are preserved in quarantine before the file is truncated.
 */
import { createHash } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fsyncDir, isErrno } from '../fs-util.js';

/** What was cut off the end of a file. */
export interface TornTail {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly sha256: string;
  readonly quarantinedAs: string;
}

/**
 * If `path` ends with bytes after its last newline, copy them to `quarantineDir`, truncate the
 * file to the last newline and fsync both. Creates `path` (empty, 0600) when missing.
 */
export async function recoverTornTail(
  path: string,
  quarantineDir: string,
  label: string,
): Promise<TornTail | undefined> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    const created = await open(path, 'wx', 0o600);
    await created.sync();
    await created.close();
    await fsyncDir(join(path, '..'));
    return undefined;
  }
  try {
    const bytes = await handle.readFile();
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end === bytes.length) return undefined;
    const tail = bytes.subarray(end);
    const sha256 = createHash('sha256').update(tail).digest('hex');
    const name = `${label}-${end}-${sha256.slice(0, 16)}.torn`;
    try {
      await writeFile(join(quarantineDir, name), tail, { mode: 0o400, flag: 'wx' });
    } catch (err) {
      // Same name means same offset and content: an earlier recovery got this far, then crashed.
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    await fsyncDir(quarantineDir);
    await handle.truncate(end);
    await handle.sync();
    return {
      file: basename(path),
      offset: end,
      length: tail.length,
      sha256,
      quarantinedAs: `quarantine/${name}`,
    };
  } finally {
    await handle.close();
  }
}
