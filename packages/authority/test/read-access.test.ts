/**
 * Who may read what (issue 10 item 6; AUD-7, SEC-3): the pure role rules behind the reverse
 * index. The index itself is exercised end to end in packages/server/test/read-access.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { maySeeWorkflow, seesAll } from '../src/index.js';

describe('read access rules (item 6, AUD-7)', () => {
  it('item 6 (AUD-7): operators, approvers, admins, auditors and supervisors see every workflow', () => {
    for (const role of ['operator', 'approver', 'admin', 'auditor', 'supervisor']) {
      expect(seesAll({ name: 'x', roles: [role] })).toBe(true);
      expect(maySeeWorkflow({ name: 'x', roles: [role] }, 'someone-else')).toBe(true);
    }
  });

  it('item 6 (AUD-7): an agent sees only the workflows it proposed; any other role sees all', () => {
    const agent = { name: 'agent-1', roles: ['agent'] };
    expect(seesAll(agent)).toBe(false);
    expect(maySeeWorkflow(agent, 'agent-1')).toBe(true);
    expect(maySeeWorkflow(agent, 'agent-2')).toBe(false);
    expect(maySeeWorkflow({ name: 'n', roles: [] }, 'agent-1')).toBe(false);
    // A named approval role (rules may require one) reviews plans: it sees all.
    expect(maySeeWorkflow({ name: 'n', roles: ['release-manager'] }, 'agent-1')).toBe(true);
    // An agent that also holds a see-all role sees all.
    expect(maySeeWorkflow({ name: 'agent-1', roles: ['agent', 'auditor'] }, 'agent-2')).toBe(true);
  });
});
