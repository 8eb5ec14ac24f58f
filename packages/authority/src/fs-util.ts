/** Small durable-filesystem helpers shared by the stores. */
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** True when `err` is a Node system error with the given errno code. */
export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/** fsync a directory so that a create, link or rename inside it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replace `path` atomically: temp file, fsync, rename, fsync the folder. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode: number,
): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  // A temp file left by a crash may carry another mode; start from scratch ('wx' never reuses).
  await unlink(temp).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT')) throw err;
  });
  await writeFile(temp, data, { mode, flag: 'wx' });
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await fsyncDir(dirname(path));
}
