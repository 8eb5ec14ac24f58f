/**
 * I11-2: the parts split out of the orchestrator facade, tested without a harness: the
 * per-workflow queue (S-11 relies on it), the approval index (S-10), and I11-4: the facade has
 * no public accessor for its context.
 */
import { describe, expect, it } from 'vitest';
import { Orchestrator } from '../../src/index.js';
import { ApprovalIndex } from '../../src/orchestrator/approval-index.js';
import { WorkflowQueue } from '../../src/orchestrator/queue.js';
import type { WorkflowView } from '../../src/workflow/reducer.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('I11-2: the per-workflow queue', () => {
  it('S-11: operations on one workflow run one after another, each followed by its settle', async () => {
    const order: string[] = [];
    const q = new WorkflowQueue((id) => {
      order.push(`settle ${id}`);
      return Promise.resolve();
    });
    const gate = deferred();
    const first = q.run('wf-a', async () => {
      order.push('a1 start');
      await gate.promise;
      order.push('a1 end');
    });
    const second = q.run('wf-a', () => {
      order.push('a2');
      return Promise.resolve();
    });
    // Another workflow does not wait for wf-a.
    await q.run('wf-b', () => {
      order.push('b1');
      return Promise.resolve();
    });
    expect(order).toEqual(['a1 start', 'b1', 'settle wf-b']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual([
      'a1 start',
      'b1',
      'settle wf-b',
      'a1 end',
      'settle wf-a',
      'a2',
      'settle wf-a',
    ]);
  });

  it('a failed operation is settled, rejects its caller, and does not stop the queue', async () => {
    const settled: string[] = [];
    const q = new WorkflowQueue((id) => {
      settled.push(id);
      return Promise.resolve();
    });
    const boom = new Error('boom');
    const failing = q.run('wf-a', () => Promise.reject(boom));
    const next = q.run('wf-a', () => Promise.resolve('ran'));
    await expect(failing).rejects.toBe(boom);
    await expect(next).resolves.toBe('ran');
    await q.drain();
    expect(settled).toEqual(['wf-a', 'wf-a']);
  });
});

describe('I11-2: the approval index', () => {
  it('S-10: pending, answered and superseded approval ids all route to their workflow', () => {
    const view = {
      pending: [{ approval_id: 'ap-pending' }],
      approvals: [{ approval_id: 'ap-answered' }],
      artifacts: [
        { artifact_id: 'main/approval/ap-superseded' },
        { artifact_id: 'main/plan-token' },
      ],
    } as unknown as WorkflowView;
    const index = new ApprovalIndex();
    index.remember('wf-a', view);
    for (const id of ['ap-pending', 'ap-answered', 'ap-superseded']) {
      expect(index.ownerOf(id)).toBe('wf-a');
    }
    expect(index.ownerOf('plan-token')).toBeUndefined();
    expect(index.ownerOf('ap-unknown')).toBeUndefined();
  });
});

describe('I11-4: the facade hides its context', () => {
  it('Orchestrator has no context accessor', () => {
    expect(Object.getOwnPropertyNames(Orchestrator.prototype)).not.toContain('context');
  });
});
