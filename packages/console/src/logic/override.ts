/** The supervisor override form's check: the CNC wire contract's reason rule, as the authority's. */
import { OVERRIDE_REASON, overrideReasonAccepted } from '@clearance/client';

/** What is wrong with an override reason, or undefined when the authority would accept it. */
export function overrideReasonProblem(reason: string): string | undefined {
  if (overrideReasonAccepted(reason)) return undefined;
  return `Give a reason of ${String(OVERRIDE_REASON.min)} to ${String(OVERRIDE_REASON.max)} characters`;
}
