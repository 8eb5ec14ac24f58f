/**
 * The patch engine as a function: argv, environment and stdin bytes in; exit code, one receipt
 * line and log lines out (the engine kit's run, kit/run.ts). main.ts wires it to the process;
 * tests call it in-process.
 */
import type { EngineOutput } from '@clearance/protocol';

import { refusal } from '../kit/errors.js';
import { readContext } from '../kit/input.js';
import type { Env } from '../kit/input.js';
import type { EngineRun } from '../kit/process.js';
import { successReceipt } from '../kit/receipt.js';
import { runOnce } from '../kit/run.js';
import type { EngineKitSpec } from '../kit/run.js';
import { runFlightPlan } from './flight-plan.js';
import { parseInput } from './input.js';
import { PATCH_IDENTITY } from './receipt.js';
import { runTakeOff } from './take-off.js';

/** Where the sandbox mounts take-off's (empty, writable) output directory. */
export const DEFAULT_OUTPUT_DIR = '/cabincrew/output';

/** What one run produces: exit code, exactly one receipt line (ENG-11) and stderr log lines. */
export type EngineResult = EngineRun;

const SPEC: EngineKitSpec = {
  ...PATCH_IDENTITY,
  name: 'patch',
  // Every refusal of the patch engine names its reason; only the kit's INTERNAL has its own.
  fallbackReason: (err) => err.code.toLowerCase(),
};

function execute(stdin: Uint8Array, argv: readonly string[], env: Env): EngineOutput {
  const { input, paths } = readContext(stdin, argv, env, 'patch.mjs', parseInput);
  const base = { protocol_version: input.protocolVersion, mode: input.mode, input: stdin };
  if (input.mode === 'flight-plan') {
    if (input.patch === null) refusal('VALIDATION_FAILED', 'config', 'no patch');
    const artifacts = runFlightPlan(paths, input.patch, input.limits);
    return successReceipt(PATCH_IDENTITY, base, artifacts, [
      { name: 'files', value: artifacts.length },
    ]);
  }
  const changed = runTakeOff(paths.workspace, paths.artifactsDir, input.limits);
  return successReceipt(PATCH_IDENTITY, base, [], [{ name: 'files_changed', value: changed }]);
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
  return runOnce(SPEC, stdin, argv, env, () => {
    const receipt = execute(stdin, argv, env);
    const log = receipt.mode === 'take-off' ? [`patch: nothing written to ${outputDir}`] : [];
    return { receipt, log };
  });
}
