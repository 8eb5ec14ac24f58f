/**
 * Who may do what: the one authorization table of Clearance (issue 11 item 2). Every role check of
 * the authority (orchestrator operations, approvals, read access) and the server's route guards
 * read this table; no other file lists built-in roles for a decision. Pure: no I/O, no state.
 *
 * Roles come from authentication (the user directory), never from a payload (§4.2.7 cond. 2).
 * An approval needs two checks: `approve` here (the principal is an approver at all) and
 * `holdsRole` for the role the pending request requires (§4.2.7 cond. 3), which policies choose.
 */
import { ClearanceError } from '@clearance/protocol';

/** The one role whose reads are scoped to its own workflows (read-access.ts). */
export const SCOPED_ROLE = 'agent';

/** What a principal may ask the authority to do. */
export type AuthorizedAction =
  'propose' | 'takeoff' | 'replan' | 'retry' | 'approve' | 'read_all' | 'verify_audit';

/**
 * A rule: `anyOf` grants the action to a holder of any listed role (and, with `orProposer`, to the
 * workflow's proposer); `anyRoleExcept` grants it to a holder of any role not listed (so named
 * roles such as `release-manager` qualify).
 */
export type RoleRule =
  | { readonly anyOf: readonly string[]; readonly orProposer?: true; readonly what: string }
  | { readonly anyRoleExcept: readonly string[]; readonly what: string };

const rule = <T extends RoleRule>(r: T): T => Object.freeze(r);
const roles = (...r: string[]): readonly string[] => Object.freeze(r);

/** The table (frozen). `what` completes "… may not <what>" in a refusal. */
export const AUTHORIZATION: Readonly<Record<AuthorizedAction, RoleRule>> = Object.freeze({
  propose: rule({ anyOf: roles('agent', 'operator', 'admin'), what: 'propose workflows' }),
  takeoff: rule({ anyOf: roles('operator', 'admin'), what: 'take off' }),
  replan: rule({ anyOf: roles('operator', 'admin'), orProposer: true, what: 're-plan' }),
  retry: rule({ anyOf: roles('operator', 'admin'), what: 'retry workflows' }),
  // Agents propose and auditors only read: neither answers an approval, whatever a policy asks.
  approve: rule({ anyRoleExcept: roles(SCOPED_ROLE, 'auditor'), what: 'approve' }),
  read_all: rule({ anyRoleExcept: roles(SCOPED_ROLE), what: 'read every workflow' }),
  verify_audit: rule({ anyOf: roles('auditor', 'admin'), what: 'verify the audit log' }),
});

/** Who is asking: the authenticated principal's name and roles. */
export interface Actor {
  readonly name: string;
  readonly roles: readonly string[];
}

/** What the action is about, when the rule depends on it (the workflow's proposer). */
export interface Subject {
  readonly proposer?: string;
}

/** True when `actor` may do `action` (on `subject`), by the table. */
export function may(actor: Actor, action: AuthorizedAction, subject: Subject = {}): boolean {
  const r = AUTHORIZATION[action];
  if ('anyRoleExcept' in r) return actor.roles.some((role) => !r.anyRoleExcept.includes(role));
  if (r.orProposer === true && subject.proposer !== undefined && actor.name === subject.proposer) {
    return true;
  }
  return actor.roles.some((role) => r.anyOf.includes(role));
}

/** Throw FORBIDDEN unless `actor` may do `action` (on `subject`). */
export function authorize(actor: Actor, action: AuthorizedAction, subject: Subject = {}): void {
  if (!may(actor, action, subject)) {
    throw new ClearanceError('FORBIDDEN', `${actor.name} may not ${AUTHORIZATION[action].what}`);
  }
}

/** True when `actor` holds `role` (a role a policy or the configuration names, e.g. an approval's). */
export function holdsRole(actor: Actor, role: string): boolean {
  return actor.roles.includes(role);
}
