/**
 * The engine receipt: strict parsing of stdout and the verdict on an engine run
 * (ENG-5, ENG-6, ENG-11..13, ORCH-14, G-5, G-14; scenario S-17).
 *
 * Decisions (documented for engine authors):
 * - stdout is exactly one JSON value, optionally followed by one `\n`. No BOM, no leading
 *   whitespace, no second value, no log lines: human output belongs on stderr (ENG-11).
 * - The exit code decides first: anything but a clean exit 0 is a failure, whatever the receipt
 *   says (S-17f). Codes above 2 are reserved (ENG-6) and flagged as such.
 * - With exit 0 the receipt must be a schema-valid EngineOutput that echoes the expected mode and
 *   protocol_version (ENG-13), has non-empty engine_id and receipt_id, unique artifact names, and
 *   status `success`; `status: failure` with exit 0 is still a failure (S-17b).
 * - `error` is forbidden on a success receipt (an engine claiming success while reporting an error
 *   is inconsistent, so it fails closed) and optional on a failure receipt (the failure itself is
 *   what counts; requiring a message would only change the code reported).
 * - An engine-supplied `plan_token` is never used and never rejected on its own: it yields a
 *   warning (G-5, S-19).
 * - `reason` is written by the authority and never quotes engine text; the engine's own `error`
 *   stays in the kept receipt, for the caller to redact before auditing.
 */
import { ClearanceError, parseJsonStrict, validate } from '@clearance/protocol';
import type { EngineOutput, JsonValue, Mode } from '@clearance/protocol';

/** How the engine process ended, as observed by the runner. */
export interface EngineExit {
  /** Exit status, or null when the process did not exit normally. */
  readonly exitCode: number | null;
  /** Signal that ended the process, or null. */
  readonly signal: string | null;
  /** True when the runner killed the engine at its wall-time limit. */
  readonly timedOut: boolean;
  /** True when stdout exceeded the runner's cap (the captured bytes are then incomplete). */
  readonly stdoutOverflow: boolean;
}

/** What the receipt must echo back. */
export interface ReceiptExpectation {
  readonly mode: Mode;
  readonly protocol_version: string;
  /** When given, the receipt's engine_id must equal it. */
  readonly engine_id?: string;
}

/** Parse limits for the receipt. */
export interface ReceiptLimits {
  /** Largest accepted stdout in bytes (default {@link DEFAULT_RECEIPT_MAX_BYTES}). */
  readonly maxBytes?: number;
  /** Deepest accepted JSON nesting (default 64). */
  readonly maxDepth?: number;
}

/** Codes a failed verdict can carry (all in the closed error list). */
export type ReceiptFailureCode =
  'RECEIPT_INVALID' | 'ENGINE_FAILED' | 'ENGINE_TIMEOUT' | 'ENGINE_OUTPUT_TOO_LARGE';

/** The verdict on one engine run. `receipt` is kept whenever it was schema-valid, for the audit. */
export type ReceiptVerdict =
  | { readonly ok: true; readonly receipt: EngineOutput; readonly warnings: string[] }
  | {
      readonly ok: false;
      readonly code: ReceiptFailureCode;
      readonly reason: string;
      readonly reservedExitCode: boolean;
      readonly receipt?: EngineOutput;
    };

/** Default cap on the receipt size. */
export const DEFAULT_RECEIPT_MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf] as const;

interface ReadReceipt {
  /** Schema-valid receipt, kept even when a consistency check below failed. */
  readonly receipt?: EngineOutput;
  /** First problem found; undefined when the receipt is acceptable. */
  readonly problem?: string;
  readonly tooLarge?: boolean;
}

/** Judge an engine run from its stdout bytes and its exit. Never throws for engine misbehaviour. */
export function judgeReceipt(
  stdout: Uint8Array,
  exit: EngineExit,
  expected: ReceiptExpectation,
  limits: ReceiptLimits = {},
): ReceiptVerdict {
  if (exit.stdoutOverflow) {
    return failed('ENGINE_OUTPUT_TOO_LARGE', 'stdout exceeded the runner limit', false);
  }
  const read = readReceipt(stdout, expected, limits);
  if (read.tooLarge === true) {
    return failed('ENGINE_OUTPUT_TOO_LARGE', 'receipt exceeds the size limit', false);
  }
  const exitProblem = judgeExit(exit, read.receipt);
  if (exitProblem !== undefined) return exitProblem;
  if (read.receipt === undefined || read.problem !== undefined) {
    return failed('RECEIPT_INVALID', read.problem ?? 'no receipt', false, read.receipt);
  }
  if (read.receipt.status !== 'success') {
    return failed('ENGINE_FAILED', 'exit 0 but the receipt reports failure', false, read.receipt);
  }
  const warnings: string[] = [];
  if (read.receipt.plan_token !== undefined) {
    warnings.push('engine-supplied plan_token ignored: only the authority computes tokens (G-5)');
  }
  return { ok: true, receipt: read.receipt, warnings };
}

function failed(
  code: ReceiptFailureCode,
  reason: string,
  reservedExitCode: boolean,
  receipt?: EngineOutput,
): ReceiptVerdict {
  return receipt === undefined
    ? { ok: false, code, reason, reservedExitCode }
    : { ok: false, code, reason, reservedExitCode, receipt };
}

/** A verdict when the process did not end with a clean exit 0; undefined otherwise. */
function judgeExit(
  exit: EngineExit,
  receipt: EngineOutput | undefined,
): ReceiptVerdict | undefined {
  if (exit.timedOut)
    return failed('ENGINE_TIMEOUT', 'engine exceeded its time limit', false, receipt);
  if (exit.signal !== null) {
    return failed('ENGINE_FAILED', `engine was killed by ${exit.signal}`, false, receipt);
  }
  const code = exit.exitCode;
  if (code === null || !Number.isSafeInteger(code) || code < 0) {
    return failed('ENGINE_FAILED', 'engine ended without an exit code', false, receipt);
  }
  if (code === 0) return undefined;
  const meaning =
    code === 1 ? 'engine failure' : code === 2 ? 'validation failure' : 'reserved exit code';
  const contradiction = receipt?.status === 'success' ? '; the receipt claims success' : '';
  return failed('ENGINE_FAILED', `exit ${code} (${meaning})${contradiction}`, code > 2, receipt);
}

function readReceipt(
  stdout: Uint8Array,
  expected: ReceiptExpectation,
  limits: ReceiptLimits,
): ReadReceipt {
  const maxBytes = limits.maxBytes ?? DEFAULT_RECEIPT_MAX_BYTES;
  if (stdout.length === 0) return { problem: 'stdout is empty: no receipt' };
  if (stdout.length > maxBytes + 1) return { tooLarge: true };
  const framingProblem = checkFraming(stdout);
  if (framingProblem !== undefined) return { problem: framingProblem };
  const body = stdout[stdout.length - 1] === NEWLINE ? stdout.subarray(0, -1) : stdout;
  if (body.length > maxBytes) return { tooLarge: true };
  let value: JsonValue;
  try {
    value = parseJsonStrict(body, {
      maxLength: maxBytes,
      maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
    });
  } catch (err) {
    if (err instanceof ClearanceError)
      return { problem: `receipt is not strict JSON (${err.code})` };
    throw err;
  }
  if (!isEngineOutput(value)) return { problem: 'receipt is not a valid EngineOutput' };
  const problem = consistencyProblem(value, expected);
  return problem === undefined ? { receipt: value } : { receipt: value, problem };
}

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** Exactly one value: no BOM or whitespace before it, nothing but one `\n` after it. */
function checkFraming(stdout: Uint8Array): string | undefined {
  if (BOM.every((b, i) => stdout[i] === b)) return 'stdout starts with a byte-order mark';
  if (isWhitespace(stdout[0])) return 'stdout has data before the receipt';
  const end = stdout[stdout.length - 1] === NEWLINE ? stdout.length - 2 : stdout.length - 1;
  if (end < 0 || isWhitespace(stdout[end])) return 'stdout has data after the receipt';
  return undefined;
}

/** True for a schema-valid EngineOutput (the one receipt check everything uses). */
export function isEngineOutput(value: unknown): value is EngineOutput {
  return validate('EngineOutput', value).ok;
}

/** Profile rules the schema cannot express (ENG-13, S-16c). */
function consistencyProblem(r: EngineOutput, expected: ReceiptExpectation): string | undefined {
  if (r.mode !== expected.mode) return `receipt mode is not ${expected.mode}`;
  if (r.protocol_version !== expected.protocol_version) {
    return `receipt protocol_version is not ${expected.protocol_version}`;
  }
  if (r.engine_id === '') return 'receipt engine_id is empty';
  if (expected.engine_id !== undefined && r.engine_id !== expected.engine_id) {
    return `receipt engine_id is not ${expected.engine_id}`;
  }
  if (r.receipt_id === '') return 'receipt receipt_id is empty';
  if (r.status === 'success' && r.error !== undefined) {
    return 'receipt reports success and an error';
  }
  const names = (r.artifacts ?? []).map((a) => a.name);
  if (new Set(names).size !== names.length) return 'receipt lists an artifact name twice';
  return undefined;
}
