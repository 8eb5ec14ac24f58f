/** Loading `$CLEARANCE_HOME/config.json` from disk. */
import { join } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import { readRegularFile, type ReadFailure } from './file.js';
import { MAX_CONFIG_BYTES, parseConfig } from './parse.js';
import type { ClearanceConfig } from './types.js';

/** File name of the configuration inside a Clearance home. */
export const CONFIG_FILE = 'config.json';

/** Path of the configuration file of the home at `homeDir`. */
export function configPath(homeDir: string): string {
  return join(homeDir, CONFIG_FILE);
}

/**
 * Read and parse a configuration file. The file decides which engines run and which policies
 * apply, so, like the signing key, it is refused when group or others can write it, when it is a
 * symlink, or when it is not a regular file (CONFIG_INVALID).
 */
export async function loadConfig(path: string): Promise<ClearanceConfig> {
  const failure: ReadFailure = { code: 'CONFIG_INVALID', what: path, detail: { file: path } };
  const { bytes, mode } = await readRegularFile(path, MAX_CONFIG_BYTES, failure);
  if ((mode & 0o022) !== 0) {
    throw new ClearanceError(
      'CONFIG_INVALID',
      `${path} is writable by group or others (mode ${mode.toString(8)}); chmod 644 or 600 it`,
      { detail: { file: path } },
    );
  }
  return parseConfig(bytes);
}
