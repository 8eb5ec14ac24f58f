/**
 * Issue 10, B1 (audit of the merged result): configured workspaces may nest (`/repo` and
 * `/repo/web`). A take-off on one changes files the other hashes, so their locks must exclude each
 * other like one workspace's do; keyed by the exact real path only, a take-off on the inner
 * workspace could run while the outer one's take-off checked its hash and launched, overwriting an
 * approved change, and a flight-plan of one could read a half-applied take-off of the other.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceLocks } from '../../src/orchestrator/workspace-lock.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('nested workspaces share their lock (B1)', () => {
  it('B1 / ORCH-12: an exclusive hold on a workspace waits for one on a workspace inside it, and a shared one on the outer waits too', async () => {
    const outer = await mkdtemp(join(tmpdir(), 'clearance-lock-'));
    const inner = join(outer, 'web');
    const sibling = `${outer}-web`; // a prefix of the name but not inside: independent
    await mkdir(inner);
    await mkdir(sibling);
    const locks = new WorkspaceLocks();
    const order: string[] = [];
    const first = await locks.hold(inner, 'exclusive');
    const second = locks.hold(outer, 'exclusive').then((h) => {
      order.push('outer');
      return h;
    });
    const independent = locks.hold(sibling, 'exclusive').then((h) => {
      order.push('sibling');
      return h;
    });
    await tick();
    expect(order).toEqual(['sibling']);
    first.release();
    (await second).release();
    (await independent).release();
    expect(order).toEqual(['sibling', 'outer']);

    const held = await locks.hold(outer, 'exclusive');
    let planned = false;
    const plan = locks.shared(inner, () => {
      planned = true;
      return Promise.resolve();
    });
    await tick();
    expect(planned).toBe(false);
    held.release();
    await plan;
    expect(planned).toBe(true);
  });
});
