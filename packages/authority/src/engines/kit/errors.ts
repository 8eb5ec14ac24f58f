/**
 * Errors and exit codes every built-in engine shares: refusals are `ClearanceError`s with a code
 * from the protocol's closed list and a stable machine-readable `reason` in `detail` (tests
 * assert code and reason, never messages).
 */
import { ClearanceError, hasCode } from '@clearance/protocol';
import type { ErrorCode } from '@clearance/protocol';

/** Exit code 2 (validation failure, ENG-6): the input, the job or the program was refused. */
export const EXIT_REFUSED = 2;
/** Exit code 1 (engine failure, ENG-6): something broke that is not the input's fault. */
export const EXIT_FAILED = 1;

/** A refusal with `code` and a stable `reason`. */
export function refusal(code: ErrorCode, reason: string, message: string, cause?: unknown): never {
  throw new ClearanceError(
    code,
    message,
    cause === undefined ? { detail: { reason } } : { cause, detail: { reason } },
  );
}

/** Any thrown value as a ClearanceError; non-Clearance errors become INTERNAL without internals. */
export function asClearanceError(err: unknown): ClearanceError {
  if (hasCode(err)) return err;
  const code = err instanceof Error && 'code' in err ? String(err.code) : 'unknown';
  return new ClearanceError('INTERNAL', `engine failure (${code})`, {
    cause: err,
    detail: { reason: 'unexpected' },
  });
}

/** The error's own stable reason (`detail.reason`), if it has one. */
export function ownReason(err: ClearanceError): string | undefined {
  const reason = err.detail?.['reason'];
  return typeof reason === 'string' ? reason : undefined;
}

/** Exit code for an error: INTERNAL is a failure, every other code a refusal. */
export function exitCodeFor(err: ClearanceError): number {
  return err.code === 'INTERNAL' ? EXIT_FAILED : EXIT_REFUSED;
}
