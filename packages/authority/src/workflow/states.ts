/**
 * The workflow state machine of spec/cabincrew.md §4.2.13, as a table the compiler checks for
 * completeness: every State has a row, and `assertTransition` is the only way a state changes.
 *
 * One documented addition: AWAITING_APPROVAL → PLAN_RUNNING, the explicit re-plan of S-10 (the
 * pending approval is superseded and a new one is issued for the new plan-token).
 */
import { ClearanceError, type State } from '@clearance/protocol';

/** Allowed successors of each state. FAILED is reachable from every non-terminal state. */
export const TRANSITIONS: { readonly [S in State]: readonly State[] } = {
  INIT: ['PLAN_RUNNING', 'FAILED'],
  PLAN_RUNNING: ['PLAN_GENERATED', 'FAILED'],
  PLAN_GENERATED: ['ARTIFACTS_VALIDATED', 'FAILED'],
  ARTIFACTS_VALIDATED: ['TOKEN_CREATED', 'FAILED'],
  TOKEN_CREATED: ['PRE_FLIGHT_RUNNING', 'FAILED'],
  PRE_FLIGHT_RUNNING: ['PREFLIGHT_COMPLETE', 'FAILED'],
  PREFLIGHT_COMPLETE: ['READY_FOR_TAKEOFF', 'AWAITING_APPROVAL', 'FAILED'],
  AWAITING_APPROVAL: ['APPROVED', 'PLAN_RUNNING', 'FAILED'],
  APPROVED: ['READY_FOR_TAKEOFF', 'FAILED'],
  READY_FOR_TAKEOFF: ['TAKEOFF_RUNNING', 'FAILED'],
  TAKEOFF_RUNNING: ['EXECUTION_COMPLETE', 'FAILED'],
  EXECUTION_COMPLETE: ['COMPLETED', 'FAILED'],
  COMPLETED: [],
  FAILED: [],
};

/** Terminal states: nothing follows them. */
export function isTerminal(state: State): boolean {
  return TRANSITIONS[state].length === 0;
}

/** True when `from → to` is in the table. */
export function canTransition(from: State, to: State): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws TRANSITION_ILLEGAL unless `from → to` is in the table (GEN-12). */
export function assertTransition(from: State, to: State): void {
  if (!canTransition(from, to)) {
    throw new ClearanceError('TRANSITION_ILLEGAL', `illegal transition ${from} → ${to}`, {
      detail: { from, to },
    });
  }
}
