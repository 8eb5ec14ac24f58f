/**
 * Errors of the cnc engine: the engine kit's `ClearanceError` refusals (kit/errors.ts), plus the
 * refusal of a program the G-code validator rejected and the cnc engine's fallback reason.
 */
import { ClearanceError } from '@clearance/protocol';

import { ownReason } from '../kit/errors.js';

/** The refusal of a program the G-code validator rejected, naming its issue codes. */
export function gcodeRefusal(codes: readonly string[]): ClearanceError {
  return new ClearanceError('VALIDATION_FAILED', `G-code validation failed: ${codes.join(', ')}`, {
    detail: { reason: 'gcode-invalid', issues: codes.join(',') },
  });
}

/** The reason of an error that has none of its own: `job` for a refused job, else the code. */
export function fallbackReason(err: ClearanceError): string {
  // parseJob and the generators refuse the job itself (with a pointer when it is one field).
  return err.code === 'VALIDATION_FAILED' ? 'job' : err.code.toLowerCase();
}

/** The stable reason of an error: its own, else the fallback. */
export function reasonOf(err: ClearanceError): string {
  return ownReason(err) ?? fallbackReason(err);
}
