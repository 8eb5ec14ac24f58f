/**
 * I11-2: the one authorization table. Every role check of the authority and the server's guards
 * reads it; this pins who may do what (a change to it must be deliberate: ORCH-11, U2, G-35).
 */
import { hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION, authorize, holdsRole, may, type AuthorizedAction } from '../src/index.js';

const BUILTIN = ['admin', 'operator', 'approver', 'agent', 'auditor', 'supervisor'] as const;

/** For each action, the built-in roles that may do it (no proposer rule involved). */
const EXPECTED: Record<AuthorizedAction, readonly string[]> = {
  propose: ['admin', 'operator', 'agent'],
  takeoff: ['admin', 'operator'],
  replan: ['admin', 'operator'],
  retry: ['admin', 'operator'],
  approve: ['admin', 'operator', 'approver', 'supervisor'],
  read_all: ['admin', 'operator', 'approver', 'auditor', 'supervisor'],
  verify_audit: ['admin', 'auditor'],
};

describe('I11-2: the authorization table', () => {
  it('pins which built-in role may do what', () => {
    expect(Object.keys(AUTHORIZATION).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [action, allowed] of Object.entries(EXPECTED) as [AuthorizedAction, string[]][]) {
      const granted = BUILTIN.filter((role) => may({ name: 'x', roles: [role] }, action));
      expect({ action, granted }).toEqual({ action, granted: allowed });
    }
  });

  it('no roles: nothing is allowed; a named role approves and reads all but does nothing else', () => {
    for (const action of Object.keys(EXPECTED) as AuthorizedAction[]) {
      expect(may({ name: 'x', roles: [] }, action)).toBe(false);
    }
    const rm = { name: 'rita', roles: ['release-manager'] };
    expect(may(rm, 'approve')).toBe(true);
    expect(may(rm, 'read_all')).toBe(true);
    expect(may(rm, 'takeoff')).toBe(false);
    expect(may(rm, 'propose')).toBe(false);
  });

  it('S-10: re-plan is also open to the workflow proposer, and only to them', () => {
    const agent = { name: 'agent-1', roles: ['agent'] };
    expect(may(agent, 'replan', { proposer: 'agent-1' })).toBe(true);
    expect(may(agent, 'replan', { proposer: 'agent-2' })).toBe(false);
    expect(may(agent, 'replan')).toBe(false);
    // The proposer rule is replan's alone: a proposer may not take off its own workflow.
    expect(may(agent, 'takeoff', { proposer: 'agent-1' })).toBe(false);
  });

  it('authorize refuses with FORBIDDEN; holdsRole checks one named role', () => {
    expect(() => authorize({ name: 'a', roles: ['operator'] }, 'takeoff')).not.toThrow();
    let caught: unknown;
    try {
      authorize({ name: 'bot', roles: ['agent'] }, 'retry');
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'FORBIDDEN')).toBe(true);
    expect(holdsRole({ name: 'a', roles: ['approver'] }, 'approver')).toBe(true);
    expect(holdsRole({ name: 'a', roles: ['approver'] }, 'release-manager')).toBe(false);
  });

  it('the table cannot be changed at run time', () => {
    expect(Object.isFrozen(AUTHORIZATION)).toBe(true);
    for (const rule of Object.values(AUTHORIZATION)) {
      expect(Object.isFrozen(rule)).toBe(true);
      const roles = 'anyOf' in rule ? rule.anyOf : rule.anyRoleExcept;
      expect(Object.isFrozen(roles)).toBe(true);
    }
  });
});
