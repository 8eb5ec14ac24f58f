/**
 * Issue 10 B3 (separation of duties through retry; APR-9/§4.2.7): the retry chain of a workflow is
 * followed to its origin, however many retries an operator made. A cap that silently cut the chain
 * would let the original author approve once enough retries pushed them out of it.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowRequest } from '../../src/orchestrator/records.js';
import { retryChain } from '../../src/orchestrator/retry-chain.js';

function request(id: string, proposer: string, retryOf?: string): WorkflowRequest {
  return {
    workflow_id: id,
    engine: { id: 'patch', version: '1.0.0', sha256: '0'.repeat(64) },
    workspace: 'demo',
    config: {},
    context: {},
    allowed_secrets: [],
    proposer,
    stripped: [],
    created_at: '2026-01-01T00:00:00.000Z',
    ...(retryOf === undefined ? {} : { retry_of: retryOf }),
  };
}

describe('B3: retry chains', () => {
  it('B3 (APR-12, APR-4): the original author is in the chain after 300 operator retries', async () => {
    const requests = new Map<string, WorkflowRequest>();
    requests.set('wf-0', request('wf-0', 'author'));
    for (let i = 1; i <= 300; i += 1)
      requests.set(`wf-${i}`, request(`wf-${i}`, 'olga', `wf-${i - 1}`));
    const chain = await retryChain('wf-300', {
      request: (id) => Promise.resolve(requests.get(id)),
      view: () => undefined,
    });
    expect(chain.proposers).toContain('author');
  });
});
