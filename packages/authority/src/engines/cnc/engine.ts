/**
 * The cnc engine as a function: argv, environment and stdin bytes in; exit code, one receipt line
 * and log lines out (the engine kit's run, kit/run.ts). main.ts wires it to the process; tests
 * call it in-process.
 */
import type { EngineOutput } from '@clearance/protocol';

import { readContext } from '../kit/input.js';
import type { Env } from '../kit/input.js';
import type { EngineRun } from '../kit/process.js';
import { successReceipt } from '../kit/receipt.js';
import { runOnce } from '../kit/run.js';
import type { EngineKitSpec } from '../kit/run.js';
import { fallbackReason } from './errors.js';
import { runFlightPlan } from './flight-plan.js';
import { parseInput } from './input.js';
import { CNC_IDENTITY } from './receipt.js';
import { runTakeOff } from './take-off.js';

/** Where the sandbox mounts take-off's (empty, writable) output directory. */
export const DEFAULT_OUTPUT_DIR = '/cabincrew/output';

/** What one run produces: exit code, exactly one receipt line (ENG-11) and stderr log lines. */
export type EngineResult = EngineRun;

const SPEC: EngineKitSpec = { ...CNC_IDENTITY, name: 'cnc', fallbackReason };

function execute(
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  outputDir: string,
): EngineOutput {
  const { input, paths } = readContext(stdin, argv, env, 'cnc.mjs', parseInput);
  const base = { protocol_version: input.protocolVersion, mode: input.mode, input: stdin };
  if (input.mode === 'flight-plan') {
    const { artifact, operations } = runFlightPlan(paths, input);
    return successReceipt(
      CNC_IDENTITY,
      base,
      [artifact],
      [{ name: 'operations', value: operations }],
    );
  }
  const result = runTakeOff(paths.artifactsDir, outputDir, input);
  return successReceipt(
    CNC_IDENTITY,
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
  return runOnce(SPEC, stdin, argv, env, () => ({
    receipt: execute(stdin, argv, env, outputDir),
  }));
}
