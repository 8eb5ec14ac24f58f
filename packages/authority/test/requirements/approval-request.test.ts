/**
 * I11-6 / APR-3: the approval request carries an approval_id, the workflow and step ids, the
 * plan-token hash, an artifact summary, the triggering policy names, an explanation, a timestamp
 * and the requester identity; it is schema-valid and persisted durably: read back byte for byte
 * from the store after the authority restarts, and still answerable.
 */
import { describe, expect, it } from 'vitest';
import {
  isProfileTimestamp,
  parseJsonStrict,
  validate,
  type JsonObject,
} from '@clearance/protocol';
import { APPROVAL_REQUEST_TYPE } from '../../src/orchestrator/records.js';
import { assertHomeConsistent } from '../scenarios/harness.js';
import { proposePatch, restartScenario, startScenario, walData } from './scenario.js';

const RULES: JsonObject = {
  default: 'allow',
  rules: [
    {
      id: 'src-needs-review',
      match: { engine: ['patch'], path: ['src/**'] },
      decision: 'require_approval',
      role: 'approver',
      reason: 'source changes need a review',
    },
  ],
};

/** The content address of each stored approval request, from the workflow's WAL. */
async function requestAddresses(homeDir: string, workflowId: string): Promise<unknown[]> {
  return (await walData(homeDir, workflowId))
    .filter((d) => d['artifact_type'] === APPROVAL_REQUEST_TYPE)
    .map((d) => d['artifact_hash']);
}

describe('I11-6: the approval request', () => {
  it('APR-3: the stored ApprovalRequest is schema-valid, carries every listed field and survives a restart', async () => {
    let h = await startScenario({ 'src/a.ts': 'export const a = 1;\n' }, { rules: RULES });
    const wf = await proposePatch(h, {
      path: 'src/a.ts',
      before: 'export const a = 1;',
      after: 'export const a = 2;',
    });
    expect(wf.state).toBe('AWAITING_APPROVAL');
    const [address, ...more] = await requestAddresses(h.homeDir, wf.workflow_id);
    expect(more).toEqual([]);
    if (typeof address !== 'string') throw new Error('no approval request in the WAL');
    const bytes = await h.home.cas.get(address);
    const stored = parseJsonStrict(bytes.toString('utf8')) as JsonObject;
    const request = stored['request'] as JsonObject;
    expect(validate('ApprovalRequest', request)).toEqual({ ok: true });
    const pending = wf.pending_approvals[0];
    expect(request).toMatchObject({
      approval_id: pending?.approval_id,
      workflow_id: wf.workflow_id,
      step_id: 'main',
      plan_token_hash: wf.plan_token_hash,
      required_role: 'approver',
      // The explanation: the rule's reason.
      reason: 'source changes need a review',
    });
    // The artifact summary: each evidence artifact by name, path and hash.
    expect(request['evidence']).toEqual([
      { name: expect.any(String), path: expect.any(String), hash: expect.any(String) },
    ]);
    // The triggering policy, the timestamp and the requester.
    expect(JSON.stringify(stored['policies'])).toContain('src-needs-review');
    expect(isProfileTimestamp(stored['requested_at'])).toBe(true);
    expect(stored['requested_by']).toBe(h.users.agent.name);

    // Durable: after a restart the same bytes are read back, the request is still pending, and
    // the answer to it is accepted.
    h = await restartScenario(h);
    expect(await requestAddresses(h.homeDir, wf.workflow_id)).toEqual([address]);
    expect((await h.home.cas.get(address)).equals(bytes)).toBe(true);
    const again = await h.orchestrator.get(wf.workflow_id);
    expect(again.pending_approvals.map((p) => p.approval_id)).toEqual([pending?.approval_id]);
    const out = await h.orchestrator.approve({
      approvalId: pending?.approval_id ?? '',
      approved: true,
      reason: 'reviewed after restart',
      user: h.users.approver,
    });
    expect(out).toMatchObject({ status: 'OK', state: 'READY_FOR_TAKEOFF' });
    await assertHomeConsistent(h.homeDir);
  });
});
