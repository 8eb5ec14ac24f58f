/**
 * Issue 10, B1: take-offs hold their workspace's lock exclusively, flight-plans share it. A
 * flight-plan started while a take-off runs waits for it, so it never hashes or reads a
 * half-applied take-off.
 */
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashWorkspace } from '../../src/plan/index.js';
import { contextOf } from '../../src/orchestrator/context-seam.js';
import { WorkspaceLocks } from '../../src/orchestrator/workspace-lock.js';
import { WORKSPACE_HASH_TYPE } from '../../src/orchestrator/records.js';
import { cleanup, handWorkspace, makeRoot, startHarness } from '../scenarios/harness.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await cleanup(r);
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('per-workspace readers–writer lock (B1)', () => {
  it('B1 / ORCH-12: a shared holder (flight-plan) waits for an exclusive one (take-off); shared holders run together', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-lock-'));
    const locks = new WorkspaceLocks();
    const order: string[] = [];
    const release = deferred();
    const takeoff = locks.exclusive(dir, async () => {
      order.push('takeoff:start');
      await release.promise;
      order.push('takeoff:end');
    });
    await tick();
    const plans = [1, 2].map((n) =>
      locks.shared(dir, async () => {
        order.push(`plan${n}:start`);
        await tick();
        order.push(`plan${n}:end`);
      }),
    );
    await tick();
    expect(order).toEqual(['takeoff:start']);
    release.resolve();
    await Promise.all([takeoff, ...plans]);
    // Both flight-plans started before either ended: shared mode.
    // (Their relative order is not fixed: each resolves the real path before queueing.)
    expect(order.slice(0, 2)).toEqual(['takeoff:start', 'takeoff:end']);
    expect(order.slice(2, 4).sort()).toEqual(['plan1:start', 'plan2:start']);
  });

  it('B1: a waiting take-off is not overtaken by later flight-plans; an alias path shares the lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearance-lock-'));
    const alias = `${dir}-alias`;
    await symlink(dir, alias);
    const locks = new WorkspaceLocks();
    const order: string[] = [];
    const release = deferred();
    const first = locks.shared(dir, async () => {
      order.push('plan1');
      await release.promise;
    });
    await tick();
    const takeoff = locks.exclusive(alias, async () => {
      order.push('takeoff');
      await tick();
    });
    await tick();
    const later = locks.shared(dir, async () => {
      order.push('plan2');
      await Promise.resolve();
    });
    await tick();
    expect(order).toEqual(['plan1']);
    release.resolve();
    await Promise.all([first, takeoff, later]);
    expect(order).toEqual(['plan1', 'takeoff', 'plan2']);
  });

  it('B1 / ORCH-3: a flight-plan started during a running take-off waits and plans on the finished workspace', async () => {
    const base = await makeRoot();
    roots.push(base.root);
    await handWorkspace(base.workspace, { 'a.txt': 'one\n' });
    const harness = await startHarness(base);
    try {
      const release = deferred();
      // A take-off in progress on the workspace: it holds the lock and has half-applied a change.
      const takeoff = contextOf(harness.orchestrator).workspaceLocks.exclusive(
        base.workspace,
        async () => {
          await writeFile(join(base.workspace, 'a.txt'), 'half');
          await release.promise;
          await writeFile(join(base.workspace, 'a.txt'), 'two\n');
        },
      );
      let proposed = false;
      const proposal = harness.orchestrator
        .propose(
          {
            engine: 'patch',
            workspace: 'demo',
            config: {
              patch:
                'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-two\n+three\n',
            },
            context: {},
            stripped: [],
          },
          harness.users.agent,
        )
        .finally(() => {
          proposed = true;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(proposed).toBe(false);
      release.resolve();
      await takeoff;
      const wf = await proposal;
      expect(wf.state).toBe('AWAITING_APPROVAL');
      const after = await hashWorkspace(base.workspace, { exclude: [] });
      expect(harness.orchestrator.viewOf(wf.workflow_id).objects[WORKSPACE_HASH_TYPE]).toBe(
        after.hash,
      );
    } finally {
      await harness.close();
    }
  }, 60_000);
});
