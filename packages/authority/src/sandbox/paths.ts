/** The fixed in-sandbox layout and the engine's whole environment (ENG-8, §4.2.12). */
import type { SandboxMode } from './types.js';

/** Where the sandbox shows each mount to the engine. */
export const SANDBOX_PATHS = Object.freeze({
  workspace: '/cabincrew/workspace',
  artifacts: '/cabincrew/artifacts',
  temp: '/cabincrew/tmp',
  output: '/cabincrew/output',
  engineDir: '/cabincrew/engine',
} as const);

/** The uid and gid an engine runs as, inside and (host-uid identity) outside. */
export const SANDBOX_UID = 65534;
/** See SANDBOX_UID. */
export const SANDBOX_GID = 65534;

/** The fixed, minimal PATH of every engine. */
export const SANDBOX_PATH_ENV = '/usr/bin:/bin';

/**
 * The engine's complete environment: the four CABINCREW_* variables with in-sandbox paths plus a
 * fixed PATH. Nothing else (no HOME, TMPDIR, NODE_OPTIONS, nor anything of the authority's).
 */
export function protocolEnv(mode: SandboxMode): Record<string, string> {
  return {
    CABINCREW_ARTIFACTS_DIR: SANDBOX_PATHS.artifacts,
    CABINCREW_MODE: mode,
    CABINCREW_TEMP_DIR: SANDBOX_PATHS.temp,
    CABINCREW_WORKSPACE: SANDBOX_PATHS.workspace,
    PATH: SANDBOX_PATH_ENV,
  };
}
