/**
 * The engine sandbox: bubblewrap namespaces plus prlimit limits. Public face of
 * packages/authority/src/sandbox; re-exported by the package index.
 */
export { BubblewrapSandbox, DEFAULT_BWRAP_PATH, DEFAULT_PRLIMIT_PATH } from './bubblewrap.js';
export type { BubblewrapOptions } from './bubblewrap.js';
export {
  DEFAULT_LAUNCH_UIDS,
  defaultMaxConcurrentLaunches,
  LaunchSlots,
  MAX_LAUNCH_UID,
} from './launch-slots.js';
export type { LaunchSlot, UidRange } from './launch-slots.js';
export {
  ENV_WRAPPER,
  SANDBOX_NOFILE,
  buildBwrapArgs,
  buildBwrapOptions,
  buildEngineCommand,
  buildPrlimitArgs,
} from './bwrap-args.js';
export { SANDBOX_GID, SANDBOX_PATHS, SANDBOX_PATH_ENV, SANDBOX_UID, protocolEnv } from './paths.js';
export type {
  EngineSandbox,
  SandboxIdentity,
  SandboxLaunch,
  SandboxLimits,
  SandboxMode,
  SandboxMounts,
  SandboxResult,
} from './types.js';
export { MAX_WALL_TIME_MS, validateLaunch } from './validate.js';
