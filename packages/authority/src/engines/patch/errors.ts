/**
 * Errors of the patch engine. The engine is bundled into one file that may import only node:
 * builtins, so it cannot throw `ClearanceError`; its codes are nevertheless taken from the closed
 * list in @clearance/protocol (a test pins that), so the orchestrator can map them unchanged.
 */

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

/** Exit code 2 (validation failure, ENG-6): the input or the workspace was refused. */
export const EXIT_REFUSED = 2;
/** Exit code 1 (engine failure, ENG-6): something broke that is not the input's fault. */
export const EXIT_FAILED = 1;

/**
 * A refusal or failure with a stable `code`, a stable machine-readable `reason` (tests assert
 * both, never the message) and, when one is involved, the patch path it concerns.
 */
export class PatchError extends Error {
  readonly code: PatchErrorCode;
  readonly reason: string;
  readonly path: string | undefined;

  constructor(
    code: PatchErrorCode,
    reason: string,
    message: string,
    options?: { path?: string; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PatchError';
    this.code = code;
    this.reason = reason;
    this.path = options?.path;
  }
}

/** Exit code for an error: INTERNAL (and anything that is not a PatchError) is a failure. */
export function exitCodeFor(err: unknown): number {
  return err instanceof PatchError && err.code !== 'INTERNAL' ? EXIT_REFUSED : EXIT_FAILED;
}

/** True when `err` is a Node system error with the given errno code (no type assertion). */
export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
