/**
 * Pure argv builders for prlimit and bubblewrap. Everything the sandbox allows is spelled out
 * here, so the unit tests can pin the whole mount table per mode.
 */
import { ClearanceError } from '@clearance/protocol';
import { SANDBOX_GID, SANDBOX_PATH_ENV, SANDBOX_PATHS, SANDBOX_UID, protocolEnv } from './paths.js';
import type { SandboxIdentity, SandboxLaunch, SandboxLimits } from './types.js';
import { engineSandboxPath, validateLaunch } from './validate.js';

/** Open file limit of every engine. */
export const SANDBOX_NOFILE = 256;

/**
 * Prefix of every sandboxed command. bubblewrap always exports PWD after --chdir, so the engine is
 * started through env(1) to drop it: the engine sees exactly protocolEnv(mode).
 */
export const ENV_WRAPPER: readonly string[] = Object.freeze(['/usr/bin/env', '-u', 'PWD', '--']);

/** What the probe prints when it finds itself inside a real sandbox. */
export const PROBE_OK = 'sandbox-ok';

/**
 * Command the availability probe runs inside a bare sandbox. It checks that it really is
 * isolated (uid 65534, the sandbox hostname, no /tmp or /root), so a bwrap binary that merely
 * runs its command is refused too.
 */
export const PROBE_COMMAND: readonly string[] = Object.freeze([
  ...ENV_WRAPPER,
  '/bin/sh',
  '-c',
  'test "$(id -u)" = 65534 && test "$(cat /proc/sys/kernel/hostname)" = sandbox' +
    ` && test ! -e /tmp && test ! -e /root && echo ${PROBE_OK}`,
]);

/** Namespaces, identity, session and capabilities: identical for every launch. */
function isolationOptions(identity: SandboxIdentity): string[] {
  if (identity !== 'host-uid' && identity !== 'userns') {
    throw new ClearanceError('SANDBOX_FAILED', 'unknown sandbox identity');
  }
  // --unshare-all only *tries* user and cgroup namespaces; naming them makes them mandatory.
  // --as-pid-1: the engine itself is the pid namespace's init, so when it dies the kernel kills
  // the rest of the namespace before bubblewrap is told, and bubblewrap's exit proves that
  // nothing is left. (bubblewrap's own init would report the engine's exit at once and let the
  // namespace die later.)
  // The argv is the same for both identities: with host-uid the spawn credentials already are
  // 65534, and --uid/--gid pin the in-namespace identity either way.
  return [
    ...['--unshare-all', '--unshare-user', '--unshare-cgroup', '--disable-userns', '--as-pid-1'],
    ...['--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID)],
    ...['--die-with-parent', '--new-session', '--hostname', 'sandbox', '--cap-drop', 'ALL'],
  ];
}

/** --clearenv, then exactly `env` (sorted, so the argv is stable). */
function envOptions(env: Readonly<Record<string, string>>): string[] {
  const options = ['--clearenv'];
  for (const key of Object.keys(env).sort()) options.push('--setenv', key, env[key] ?? '');
  return options;
}

/** Minimal read-only root: /usr, the usual symlinks into it, the loader cache, /proc, /dev. */
function rootOptions(): string[] {
  return [
    ...['--ro-bind', '/usr', '/usr'],
    ...['--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin'],
    ...['--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64'],
    // The dynamic loader needs its cache to find libraries in multiarch folders; node needs
    // nothing else from /etc.
    ...['--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache'],
    ...['--proc', '/proc', '--dev', '/dev'],
  ];
}

/**
 * bubblewrap builds the root as a tmpfs owned by the sandbox user, so without this the engine
 * could write to /, /etc, /cabincrew and /dev. Last of all mount operations.
 */
function sealOptions(): string[] {
  return ['--remount-ro', '/dev', '--remount-ro', '/'];
}

/** The per-run mounts: workspace, artifacts, temp, output and the engine file. */
function runMounts(launch: SandboxLaunch): string[] {
  const { mounts } = launch;
  const flightPlan = launch.mode === 'flight-plan';
  const options = [
    ...[flightPlan ? '--ro-bind' : '--bind', mounts.workspace, SANDBOX_PATHS.workspace],
    ...[flightPlan ? '--bind' : '--ro-bind', mounts.artifacts, SANDBOX_PATHS.artifacts],
    ...['--bind', mounts.temp, SANDBOX_PATHS.temp],
  ];
  if (!flightPlan && mounts.output !== undefined) {
    options.push('--bind', mounts.output, SANDBOX_PATHS.output);
  }
  options.push('--ro-bind', launch.executable, engineSandboxPath(launch.executable));
  return options;
}

/** bubblewrap options (everything before the command) for one launch. Validates it first. */
export function buildBwrapOptions(launch: SandboxLaunch, identity: SandboxIdentity): string[] {
  validateLaunch(launch);
  return [
    ...isolationOptions(identity),
    ...envOptions(protocolEnv(launch.mode)),
    ...rootOptions(),
    ...runMounts(launch),
    ...sealOptions(),
    ...['--chdir', SANDBOX_PATHS.workspace],
  ];
}

/** The engine command run inside the sandbox, ending in ['--mode', mode]. */
export function buildEngineCommand(launch: SandboxLaunch): string[] {
  validateLaunch(launch);
  const engine = engineSandboxPath(launch.executable);
  const head = launch.interpreter === undefined ? [engine] : [launch.interpreter, engine];
  return [...ENV_WRAPPER, ...head, ...launch.args, '--mode', launch.mode];
}

/** Full bubblewrap argv for one launch: options, '--', command. */
export function buildBwrapArgs(launch: SandboxLaunch, identity: SandboxIdentity): string[] {
  return [...buildBwrapOptions(launch, identity), '--', ...buildEngineCommand(launch)];
}

/** bubblewrap options of the availability probe: same isolation, no per-run mounts. */
export function buildProbeOptions(identity: SandboxIdentity): string[] {
  return [
    ...isolationOptions(identity),
    ...envOptions({ PATH: SANDBOX_PATH_ENV }),
    ...rootOptions(),
    ...sealOptions(),
    ...['--chdir', '/'],
  ];
}

/** prlimit options; soft and hard limits are equal, so the engine cannot raise them. */
export function buildPrlimitArgs(limits: SandboxLimits): string[] {
  return [
    `--data=${limits.memoryBytes}`,
    `--fsize=${limits.fileSizeBytes}`,
    `--nproc=${limits.processes}`,
    '--core=0',
    `--nofile=${SANDBOX_NOFILE}`,
  ];
}
