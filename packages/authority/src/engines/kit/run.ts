/**
 * One run of a built-in engine as a function, the same for every engine: read the context
 * (argv, environment, input), execute the mode, and turn the outcome into exactly one receipt
 * line, log lines and the exit code (0 success, 2 refused, 1 failed; ENG-6, ENG-11).
 */
import type { ClearanceError, EngineOutput } from '@clearance/protocol';

import { asClearanceError, EXIT_REFUSED, exitCodeFor, ownReason } from './errors.js';
import { fallbackContext } from './input.js';
import type { Env } from './input.js';
import type { EngineRun } from './process.js';
import { failureReceipt, serializeReceipt } from './receipt.js';
import type { EngineIdentity } from './receipt.js';

/** An engine's identity plus what differs between engines in a run's outcome. */
export type EngineKitSpec = EngineIdentity & {
  /** The engine's short name, leading every log line (`cnc: …`). */
  readonly name: string;
  /** The reason of an error that carries none of its own. */
  readonly fallbackReason: (err: ClearanceError) => string;
};

/**
 * Run `execute` once. Success logs `<name>: <mode> ok, <metric>=<value>`; failure logs the code
 * line `<name>: refused|failed: CODE (reason): message`, which the authority reads when the
 * receipt is lost (item 14 of issue 10).
 */
export function runOnce(
  spec: EngineKitSpec,
  stdin: Uint8Array,
  argv: readonly string[],
  env: Env,
  execute: () => { readonly receipt: EngineOutput; readonly log?: readonly string[] },
): EngineRun {
  try {
    const { receipt, log = [] } = execute();
    const done = receipt.metrics?.[0];
    const summary = `${spec.name}: ${receipt.mode} ok${done === undefined ? '' : `, ${done.name}=${done.value}`}`;
    return { exitCode: 0, stdout: serializeReceipt(receipt), log: [summary, ...log] };
  } catch (err) {
    const error = asClearanceError(err);
    const reason = ownReason(error) ?? spec.fallbackReason(error);
    const base = { ...fallbackContext(stdin, argv, env), input: stdin };
    const exitCode = exitCodeFor(error);
    const label = exitCode === EXIT_REFUSED ? 'refused' : 'failed';
    return {
      exitCode,
      stdout: serializeReceipt(failureReceipt(spec, base, error, reason)),
      log: [`${spec.name}: ${label}: ${error.code} (${reason}): ${error.message}`],
    };
  }
}
