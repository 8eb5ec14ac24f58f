/**
 * The patch engine as a function: argv, environment and stdin bytes in; exit code, one receipt
 * line and log lines out. main.ts wires it to the process; tests call it in-process.
 */
import { statSync } from 'node:fs';

import { EXIT_REFUSED, exitCodeFor, PatchError } from './errors.js';
import { runFlightPlan } from './flight-plan.js';
import { asMode, isRecord, modeFromArgv, parseInput, readEnv } from './input.js';
import type { EngineMode } from './input.js';
import { failureReceipt, serializeReceipt, successReceipt } from './receipt.js';
import type { Receipt } from './receipt.js';
import { runTakeOff } from './take-off.js';

/** Where the sandbox mounts take-off's (empty, writable) output directory. */
export const DEFAULT_OUTPUT_DIR = '/cabincrew/output';

/** What one run produces. */
export type EngineResult = {
  readonly exitCode: number;
  /** Exactly one JSON receipt line: the only thing the engine writes to stdout (ENG-11). */
  readonly stdout: string;
  /** Human-readable log lines for stderr. */
  readonly log: readonly string[];
};

type Env = Readonly<Record<string, string | undefined>>;

/** Best guess at protocol_version and mode for a failure receipt when the input was refused. */
function fallbackContext(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
): {
  protocol_version: string;
  mode: EngineMode;
} {
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

function asPatchError(err: unknown): PatchError {
  if (err instanceof PatchError) return err;
  // Unexpected errors (I/O, bugs): report the class of failure, not internals.
  const code = err instanceof Error && 'code' in err ? String(err.code) : 'unknown';
  return new PatchError('INTERNAL', 'unexpected', `engine failure (${code})`, { cause: err });
}

/** The workspace must be an existing directory, or every path check would be meaningless. */
function checkWorkspace(workspace: string): void {
  let isDir = false;
  try {
    isDir = statSync(workspace).isDirectory();
  } catch {
    // Reported below: a missing workspace is refused like any other invalid environment.
  }
  if (!isDir)
    throw new PatchError('VALIDATION_FAILED', 'env', 'CABINCREW_WORKSPACE is not a directory');
}

function execute(stdin: Uint8Array, argv: readonly string[], env: Env): Receipt {
  const argvMode = modeFromArgv(argv);
  const { mode: envMode, paths } = readEnv(env);
  checkWorkspace(paths.workspace);
  const input = parseInput(stdin);
  // G-13: the mode arrives three ways; any disagreement is refused.
  if (argvMode !== envMode || input.mode !== envMode) {
    throw new PatchError('VALIDATION_FAILED', 'mode-mismatch', 'argv, env and input modes differ');
  }
  const base = { protocol_version: input.protocolVersion, mode: input.mode, input: stdin };
  if (input.mode === 'flight-plan') {
    if (input.patch === null) throw new PatchError('VALIDATION_FAILED', 'config', 'no patch');
    const artifacts = runFlightPlan(paths, input.patch, input.limits);
    return successReceipt(base, artifacts, [{ name: 'files', value: artifacts.length }]);
  }
  const changed = runTakeOff(paths.workspace, paths.artifactsDir, input.limits);
  return successReceipt(base, [], [{ name: 'files_changed', value: changed }]);
}

/**
 * Run the engine once. `outputDir` is take-off's output directory; the patch engine produces no
 * take-off outputs (it regenerates nothing, G-28), so it is accepted for a uniform contract only.
 */
export function runEngine(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  outputDir: string = DEFAULT_OUTPUT_DIR,
): EngineResult {
  try {
    const receipt = execute(stdin, argv, env);
    const done = receipt.metrics?.[0];
    const log = [`patch: ${receipt.mode} ok, ${done?.name ?? 'files'}=${done?.value ?? 0}`];
    if (receipt.mode === 'take-off') log.push(`patch: nothing written to ${outputDir}`);
    return { exitCode: 0, stdout: serializeReceipt(receipt), log };
  } catch (err) {
    const error = asPatchError(err);
    const receipt = failureReceipt({ ...fallbackContext(stdin, argv, env), input: stdin }, error);
    const exitCode = exitCodeFor(error);
    const label = exitCode === EXIT_REFUSED ? 'refused' : 'failed';
    return {
      exitCode,
      stdout: serializeReceipt(receipt),
      log: [`patch: ${label}: ${error.message}`],
    };
  }
}
