/**
 * Pure checks of a SandboxLaunch before any argv is built. Bubblewrap reads its options as
 * NUL-separated text, so a NUL inside a path would smuggle in extra options: every string is
 * checked. Failures are SANDBOX_FAILED (a caller bug, never engine input).
 */
import { posix } from 'node:path';
import { ClearanceError } from '@clearance/protocol';
import { SANDBOX_PATHS } from './paths.js';
import type { SandboxLaunch, SandboxLimits } from './types.js';

/** Largest delay setTimeout honours; above it Node fires after 1 ms. */
export const MAX_WALL_TIME_MS = 2 ** 31 - 1;

/** In-sandbox directories an interpreter may live in (the only executable trees of the root). */
const INTERPRETER_ROOTS = ['/usr/', '/bin/', '/sbin/'] as const;

const LIMIT_KEYS = [
  'wallTimeMs',
  'memoryBytes',
  'stdoutBytes',
  'stderrBytes',
  'fileSizeBytes',
  'processes',
] as const satisfies readonly (keyof SandboxLimits)[];

function fail(message: string, field: string): never {
  throw new ClearanceError('SANDBOX_FAILED', message, { detail: { field } });
}

/** A string bubblewrap and execve can carry unchanged. */
function checkArg(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.includes('\0')) {
    fail(`${field} must be a string without NUL characters`, field);
  }
  return value;
}

/** An absolute host path. */
function checkHostPath(value: unknown, field: string): string {
  const path = checkArg(value, field);
  if (!posix.isAbsolute(path)) fail(`${field} must be an absolute path`, field);
  return path;
}

function checkLimits(limits: SandboxLimits): void {
  for (const key of LIMIT_KEYS) {
    const value = limits[key];
    if (!Number.isSafeInteger(value) || value <= 0) {
      fail(`limits.${key} must be a positive integer`, `limits.${key}`);
    }
  }
  if (limits.wallTimeMs > MAX_WALL_TIME_MS) {
    fail(`limits.wallTimeMs must be at most ${MAX_WALL_TIME_MS}`, 'limits.wallTimeMs');
  }
}

function checkInterpreter(value: string | undefined): void {
  if (value === undefined) return;
  const path = checkArg(value, 'interpreter');
  const inRoot = INTERPRETER_ROOTS.some((root) => path.startsWith(root));
  if (posix.normalize(path) !== path || !inRoot) {
    fail('interpreter must be a normalised absolute path under /usr, /bin or /sbin', 'interpreter');
  }
}

/** In-sandbox path of the engine file: /cabincrew/engine/<basename of executable>. */
export function engineSandboxPath(executable: string): string {
  const name = posix.basename(checkHostPath(executable, 'executable'));
  if (name === '' || name === '.' || name === '..') {
    fail('executable must name a file', 'executable');
  }
  return `${SANDBOX_PATHS.engineDir}/${name}`;
}

/** Throw SANDBOX_FAILED unless `launch` is well formed for its mode. */
export function validateLaunch(launch: SandboxLaunch): void {
  if (launch.mode !== 'flight-plan' && launch.mode !== 'take-off') {
    fail('mode must be flight-plan or take-off', 'mode');
  }
  checkLimits(launch.limits);
  engineSandboxPath(launch.executable);
  checkInterpreter(launch.interpreter);
  launch.args.forEach((arg, index) => checkArg(arg, `args[${index}]`));
  checkHostPath(launch.mounts.workspace, 'mounts.workspace');
  checkHostPath(launch.mounts.artifacts, 'mounts.artifacts');
  checkHostPath(launch.mounts.temp, 'mounts.temp');
  if (launch.mode === 'take-off') {
    checkHostPath(launch.mounts.output, 'mounts.output');
  } else if (launch.mounts.output !== undefined) {
    fail('mounts.output is for take-off only', 'mounts.output');
  }
  if (!(launch.stdin instanceof Uint8Array)) fail('stdin must be bytes', 'stdin');
}
