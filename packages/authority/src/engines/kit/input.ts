/**
 * The CabinCrew edge every built-in engine shares: the mode (argv, CABINCREW_MODE and
 * EngineInput.mode), the CABINCREW_* directories, the EngineInput envelope, and the checks of
 * the workspace and ARTIFACTS_DIR. Each engine parses only its own `config`.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

import { refusal } from './errors.js';

/** The two CabinCrew modes. */
export type EngineMode = 'flight-plan' | 'take-off';

/** Directories the orchestrator hands the engine through CABINCREW_* variables. */
export type EnginePaths = {
  readonly workspace: string;
  readonly artifactsDir: string;
  readonly tempDir: string;
};

/** The engine's environment, as the process sees it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The part of EngineInput every engine checks the same way; `config` is left to the engine. */
export type EngineEnvelope = {
  readonly protocolVersion: string;
  readonly mode: EngineMode;
  readonly workflowId: string;
  readonly config: unknown;
};

function refuse(reason: string, message: string): never {
  return refusal('VALIDATION_FAILED', reason, message);
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Narrow a value to a mode, or null. */
export function asMode(value: unknown): EngineMode | null {
  return value === 'flight-plan' || value === 'take-off' ? value : null;
}

/** The mode from argv, which must be exactly `--mode <mode>`; `bundle` names the usage line. */
export function modeFromArgv(argv: readonly string[], bundle: string): EngineMode {
  const mode = argv.length === 2 && argv[0] === '--mode' ? asMode(argv[1]) : null;
  if (mode === null) refuse('argv', `usage: ${bundle} --mode <flight-plan|take-off>`);
  return mode;
}

function absoluteVar(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || !isAbsolute(value)) refuse('env', `${name} must be absolute`);
  return value;
}

/** The mode and directories from the environment. */
export function readEnv(env: Env): { readonly mode: EngineMode; readonly paths: EnginePaths } {
  const mode = asMode(env['CABINCREW_MODE']);
  if (mode === null) refuse('env', 'CABINCREW_MODE is missing or invalid');
  return {
    mode,
    paths: {
      workspace: absoluteVar(env, 'CABINCREW_WORKSPACE'),
      artifactsDir: absoluteVar(env, 'CABINCREW_ARTIFACTS_DIR'),
      tempDir: absoluteVar(env, 'CABINCREW_TEMP_DIR'),
    },
  };
}

/** The workspace must be an existing directory, or every path check would be meaningless. */
export function checkWorkspace(workspace: string): void {
  let isDir = false;
  try {
    isDir = statSync(workspace).isDirectory();
  } catch {
    // Reported below: a missing workspace is refused like any other invalid environment.
  }
  if (!isDir) refuse('env', 'CABINCREW_WORKSPACE is not a directory');
}

/** True when `inner` is `outer` or lies below it (after resolving symlinks). */
function isWithin(outer: string, inner: string): boolean {
  const rel = relative(realpathSync(outer), realpathSync(inner));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** ARTIFACTS_DIR must be a fresh, empty directory outside the workspace (ORCH-1, ENG-2). */
export function checkArtifactsDir(paths: EnginePaths): void {
  if (isWithin(paths.workspace, paths.artifactsDir)) {
    refuse('artifacts-dir', 'ARTIFACTS_DIR is in the workspace');
  }
  if (readdirSync(paths.artifactsDir).length !== 0) {
    refuse('artifacts-dir', 'ARTIFACTS_DIR is not empty');
  }
}

/** The EngineInput envelope: protocol_version, mode and meta.{workflow_id, step_id}. */
export function readEnvelope(value: unknown): EngineEnvelope {
  if (!isRecord(value)) refuse('input', 'EngineInput must be an object');
  const protocolVersion = value['protocol_version'];
  const mode = asMode(value['mode']);
  const meta = value['meta'];
  if (typeof protocolVersion !== 'string' || mode === null || !isRecord(meta)) {
    refuse('input', 'EngineInput needs protocol_version, mode and meta');
  }
  const workflowId = meta['workflow_id'];
  if (typeof workflowId !== 'string' || typeof meta['step_id'] !== 'string') {
    refuse('input', 'EngineInput.meta needs workflow_id and step_id');
  }
  return { protocolVersion, mode, workflowId, config: value['config'] };
}

/**
 * The run's mode and directories once argv, environment and the parsed input agree (G-13: the
 * mode arrives three ways; any disagreement is refused). The workspace must exist.
 */
export function readContext<I extends { readonly mode: EngineMode }>(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  bundle: string,
  parseInput: (bytes: Uint8Array) => I,
): { readonly input: I; readonly paths: EnginePaths } {
  const argvMode = modeFromArgv(argv, bundle);
  const { mode: envMode, paths } = readEnv(env);
  checkWorkspace(paths.workspace);
  const input = parseInput(stdin);
  if (argvMode !== envMode || input.mode !== envMode) {
    refuse('mode-mismatch', 'argv, env and input modes differ');
  }
  return { input, paths };
}

/** Best guess at protocol_version and mode for a failure receipt when the input was refused. */
export function fallbackContext(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
): { protocol_version: string; mode: EngineMode } {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(stdin).toString('utf8'));
  } catch {
    // Unparseable input: the receipt still has to be schema-valid.
  }
  const version = isRecord(parsed) ? parsed['protocol_version'] : undefined;
  const mode =
    asMode(argv[0] === '--mode' ? argv[1] : undefined) ??
    asMode(env['CABINCREW_MODE']) ??
    asMode(isRecord(parsed) ? parsed['mode'] : undefined) ??
    'flight-plan';
  return { protocol_version: typeof version === 'string' ? version : 'unknown', mode };
}
