/** Identifier rules shared by sources, rules and approval roles. */

/** Source names and rule ids: lowercase ASCII, no slash, so `${source}/${rule}` is unambiguous. */
export const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Approval roles: the same form the user directory accepts for roles, so every role is holdable. */
export { ROLE_NAME_RE as ROLE_RE } from '@clearance/protocol';

/**
 * Reserved source name: `preflight/…` policy ids are synthesized by runPreflight itself (no
 * evaluations, invalid input) and must never be forgeable by a configured source.
 */
export const RESERVED_SOURCE_NAME = 'preflight';

/** Policy id of the deny synthesized when there is nothing to aggregate (PRE-14). */
export const NO_EVALUATIONS_POLICY_ID = `${RESERVED_SOURCE_NAME}/no-evaluations`;

/** Policy id of the deny synthesized when the policy input itself is unusable. */
export const INPUT_INVALID_POLICY_ID = `${RESERVED_SOURCE_NAME}/input-invalid`;

/** Local rule name of the deny synthesized for a failed source: `${source}/failure`. */
export const FAILURE_RULE = 'failure';
