/**
 * The configuration `clearance init` writes: the built-in patch and cnc engines pinned to the
 * SHA-256 of their bundles, the workspaces named on the command line, and one rules policy source so a fresh
 * home is usable (everything needs an approver, secrets files are denied) instead of the
 * deny-everything default of an empty policy.
 */
import { createHash } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  builtinEngine,
  configJson,
  configPath,
  defaultConfig,
  parseConfig,
  type ClearanceConfig,
  CNC_ENGINE_VERSION,
  type DefaultWorkspace,
} from '@clearance/authority';
import { ClearanceError, type JsonObject } from '@clearance/protocol';
import { InvalidArgumentError } from 'commander';

/** The policy source of a fresh home. */
export const DEFAULT_POLICY_SOURCE: JsonObject = {
  name: 'rules',
  kind: 'rules',
  config: {
    default: 'require_approval',
    default_role: 'approver',
    rules: [
      {
        id: 'no-secret-files',
        match: { engine: ['patch'], path: ['**/.env', '.env', '**/*.pem', '**/id_rsa'] },
        decision: 'deny',
        reason: 'secrets files are never changed by agents',
      },
    ],
  },
};

/** Commander collector for repeated `--workspace NAME=PATH` (relative paths resolve from cwd). */
export function collectWorkspace(
  value: string,
  previous: readonly DefaultWorkspace[] = [],
): DefaultWorkspace[] {
  const eq = value.indexOf('=');
  if (eq < 1 || eq === value.length - 1) throw new InvalidArgumentError('expected NAME=PATH');
  return [...previous, { name: value.slice(0, eq), path: resolve(value.slice(eq + 1)) }];
}

/** The bundled patch engine and the SHA-256 of its bytes; a clear error when it is not built. */
export function patchBundle(): Promise<{ file: string; sha256: string }> {
  return engineBundle('patch');
}

/** A bundled built-in engine and the SHA-256 of its bytes. */
export async function engineBundle(id: 'patch' | 'cnc'): Promise<{ file: string; sha256: string }> {
  const file = builtinEngine(id);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new ClearanceError(
      'CONFIG_INVALID',
      `the built-in ${id} engine ${file} is missing; run \`npm run build\` first`,
      { cause },
    );
  }
  return { file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Build the initial configuration (parsed, so it is known to load). */
export function initialConfig(
  patch: { file: string; sha256: string },
  workspaces: readonly DefaultWorkspace[],
  cnc?: { file: string; sha256: string },
): ClearanceConfig {
  const base = defaultConfig({
    patchExecutable: patch.file,
    patchSha256: patch.sha256,
    workspaces,
    ...(cnc === undefined
      ? {}
      : { cnc: { executable: cnc.file, sha256: cnc.sha256, version: CNC_ENGINE_VERSION } }),
  });
  return parseConfig(JSON.stringify({ ...base, policy: { sources: [DEFAULT_POLICY_SOURCE] } }));
}

/** Write `config.json` into a fresh home (0644: readable, writable only by its owner). */
export async function writeInitialConfig(
  homeDir: string,
  config: ClearanceConfig,
): Promise<string> {
  const path = configPath(homeDir);
  await writeFile(path, `${JSON.stringify(configJson(config), null, 2)}\n`, {
    mode: 0o644,
    flag: 'wx',
  });
  await chmod(path, 0o644); // the umask may have narrowed it; loadConfig refuses g/o-writable
  return path;
}
