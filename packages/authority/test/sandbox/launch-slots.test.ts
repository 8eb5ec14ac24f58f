/**
 * U4 (issue 10): the launch queue and per-launch uids. Unit tests of LaunchSlots, then the real
 * sandbox: queue wait does not count against the wall time, flight-plans get uids of their own
 * from the configured range, take-off keeps 65534 (the workspace owner).
 */
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BubblewrapSandbox, LaunchSlots } from '../../src/sandbox/index.js';
import { codeOf, makeRoot, makeRun, NOBODY, nodeLaunch, removeRoot } from './helpers.js';

describe('U4: LaunchSlots', () => {
  it('U4 SEC-1: at most max run at once, the rest wait first come first served', async () => {
    const slots = new LaunchSlots(2, undefined);
    const a = await slots.acquire(false);
    const b = await slots.acquire(false);
    const order: string[] = [];
    const c = slots.acquire(false).then((s) => (order.push('c'), s));
    const d = slots.acquire(false).then((s) => (order.push('d'), s));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slots.load).toEqual({ running: 2, waiting: 2 });
    b.release();
    b.release(); // idempotent: a second release frees nothing more
    (await c).release();
    a.release();
    (await d).release();
    expect(order).toEqual(['c', 'd']);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('U4 SEC-1: per-launch uids are distinct while held and rotate through the range', async () => {
    const slots = new LaunchSlots(3, { first: 200_000, count: 3 });
    const a = await slots.acquire(true);
    const b = await slots.acquire(true);
    const shared = await slots.acquire(false);
    expect([a.uid, b.uid, shared.uid]).toEqual([200_000, 200_001, undefined]);
    a.release();
    shared.release();
    const c = await slots.acquire(true);
    const d = await slots.acquire(true);
    // Least recently used first: 200002, then 200000 (200001 is still held).
    expect([c.uid, d.uid]).toEqual([200_002, 200_000]);
  });

  it('U4 SEC-1: refuses a range smaller than the slots and 0 slots', async () => {
    expect(
      await codeOf(Promise.resolve().then(() => new LaunchSlots(4, { first: 1000, count: 2 }))),
    ).toBe('SANDBOX_FAILED');
    expect(await codeOf(Promise.resolve().then(() => new LaunchSlots(0, undefined)))).toBe(
      'SANDBOX_FAILED',
    );
  });
});

describe('U4: the real sandbox queues launches and gives flight-plans their own uid', () => {
  let root = '';
  beforeAll(async () => {
    root = await makeRoot();
  });
  afterAll(async () => {
    await removeRoot(root);
  });

  it('U4 SEC-1 ORCH-2: queue wait does not count against the wall time; uids per launch', async () => {
    const sandbox = await BubblewrapSandbox.create({
      maxConcurrentLaunches: 1,
      launchUids: { first: 200_000, count: 4 },
    });
    const [a, b, c] = await Promise.all([makeRun(root), makeRun(root), makeRun(root)]);
    const finished: string[] = [];
    const runA = sandbox
      .run(nodeLaunch(a, 'flight-plan', 'nap.mjs', { args: ['1200'] }))
      .then((r) => (finished.push('a'), r));
    // B's own run is short, but it waits ~1.2 s for A's slot: longer than its wall time.
    const runB = sandbox
      .run(nodeLaunch(b, 'flight-plan', 'nap.mjs', { args: ['10'], limits: { wallTimeMs: 900 } }))
      .then((r) => (finished.push('b'), r));
    const runC = sandbox
      .run(nodeLaunch(c, 'take-off', 'nap.mjs', { args: ['10'] }))
      .then((r) => (finished.push('c'), r));
    const [ra, rb, rc] = await Promise.all([runA, runB, runC]);
    for (const r of [ra, rb, rc]) expect([r.exitCode, r.timedOut]).toEqual([0, false]);
    expect(finished).toEqual(['a', 'b', 'c']);
    // The per-run folders belong to the launch's own identity.
    const owners = await Promise.all(
      [a.temp, b.temp, c.temp].map(async (d) => (await stat(d)).uid),
    );
    expect(owners[0]).toBeGreaterThanOrEqual(200_000);
    expect(owners[1]).toBeGreaterThanOrEqual(200_000);
    expect(owners[0]).not.toBe(owners[1]);
    expect(owners[2]).toBe(NOBODY);
  }, 60_000);
});
