/**
 * The cnc engine as a function: argv, environment and stdin bytes in; exit code, one receipt line
 * and log lines out. main.ts wires it to the process; tests call it in-process.
 */
import { statSync } from 'node:fs';

import type { EngineOutput } from '@clearance/protocol';

import { asClearanceError, EXIT_REFUSED, exitCodeFor, reasonOf, refusal } from './errors.js';
import { runFlightPlan } from './flight-plan.js';
import { asMode, modeFromArgv, parseInput, readEnv } from './input.js';
import type { EngineMode } from './input.js';
import { failureReceipt, serializeReceipt, successReceipt } from './receipt.js';
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
): { protocol_version: string; mode: EngineMode } {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(stdin).toString('utf8'));
  } catch {
    // Unparseable input: the receipt still has to be schema-valid.
  }
  const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
  const version = 'protocol_version' in record ? record.protocol_version : undefined;
  const mode =
    asMode(argv[0] === '--mode' ? argv[1] : undefined) ??
    asMode(env['CABINCREW_MODE']) ??
    asMode('mode' in record ? record.mode : undefined) ??
    'flight-plan';
  return { protocol_version: typeof version === 'string' ? version : 'unknown', mode };
}

/** The workspace must be an existing directory (it is never read or written). */
function checkWorkspace(workspace: string): void {
  let isDir = false;
  try {
    isDir = statSync(workspace).isDirectory();
  } catch {
    // Reported below like any other invalid environment.
  }
  if (!isDir) refusal('VALIDATION_FAILED', 'env', 'CABINCREW_WORKSPACE is not a directory');
}

function execute(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  outputDir: string,
): EngineOutput {
  const argvMode = modeFromArgv(argv);
  const { mode: envMode, paths } = readEnv(env);
  checkWorkspace(paths.workspace);
  const input = parseInput(stdin);
  // G-13: the mode arrives three ways; any disagreement is refused.
  if (argvMode !== envMode || input.mode !== envMode) {
    refusal('VALIDATION_FAILED', 'mode-mismatch', 'argv, env and input modes differ');
  }
  const base = { protocol_version: input.protocolVersion, mode: input.mode, input: stdin };
  if (input.mode === 'flight-plan') {
    const { artifact, operations } = runFlightPlan(paths, input);
    return successReceipt(base, [artifact], [{ name: 'operations', value: operations }]);
  }
  const result = runTakeOff(paths.artifactsDir, outputDir, input);
  return successReceipt(
    base,
    [],
    [
      { name: 'gcode_lines', value: result.validation.stats.lines },
      { name: 'moves', value: result.summary.counts.total },
    ],
  );
}

/** Run the engine once; `outputDir` is take-off's output directory (the sandbox mount). */
export function runEngine(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  outputDir: string = DEFAULT_OUTPUT_DIR,
): EngineResult {
  try {
    const receipt = execute(stdin, argv, env, outputDir);
    const done = receipt.metrics?.[0];
    const log = [`cnc: ${receipt.mode} ok, ${done?.name ?? 'operations'}=${done?.value ?? 0}`];
    return { exitCode: 0, stdout: serializeReceipt(receipt), log };
  } catch (err) {
    const error = asClearanceError(err);
    const receipt = failureReceipt({ ...fallbackContext(stdin, argv, env), input: stdin }, error);
    const exitCode = exitCodeFor(error);
    const label = exitCode === EXIT_REFUSED ? 'refused' : 'failed';
    return {
      exitCode,
      stdout: serializeReceipt(receipt),
      // The code line (item 14 of issue 10): the stable code and reason lead, so the authority
      // can name why even when the receipt is lost.
      log: [`cnc: ${label}: ${error.code} (${reasonOf(error)}): ${error.message}`],
    };
  }
}
