/**
 * Errors of the patch engine: `ClearanceError`s (the engine kit's, kit/errors.ts) with a code
 * from the protocol's closed list, a stable machine-readable `reason` in `detail` and, when one
 * is involved, the patch path it concerns. Tests assert code and reason, never the message.
 */
import { ClearanceError } from '@clearance/protocol';

/** Codes the patch engine reports; every one is a member of the protocol's ERROR_CODES. */
export const PATCH_ERROR_CODES = [
  'VALIDATION_FAILED',
  'PATCH_INVALID',
  'PATCH_ESCAPES_WORKSPACE',
  'PATCH_TOO_LARGE',
  'PATCH_DOES_NOT_APPLY',
  'ARTIFACT_INVALID',
  'ARTIFACT_INTEGRITY',
  'INTERNAL',
] as const;

/** One of the patch engine's error codes. */
export type PatchErrorCode = (typeof PATCH_ERROR_CODES)[number];

/** A patch refusal or failure: a ClearanceError whose `detail` holds `reason` (and `path`). */
export class PatchError extends ClearanceError {
  readonly reason: string;
  readonly path: string | undefined;

  constructor(
    code: PatchErrorCode,
    reason: string,
    message: string,
    options?: { path?: string; cause?: unknown },
  ) {
    const path = options?.path;
    const detail = path === undefined ? { reason } : { reason, path };
    super(
      code,
      message,
      options?.cause === undefined ? { detail } : { cause: options.cause, detail },
    );
    this.name = 'PatchError';
    this.reason = reason;
    this.path = path;
  }
}

/** True when `err` is a Node system error with the given errno code (no type assertion). */
export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
