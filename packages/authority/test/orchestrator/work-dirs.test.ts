/**
 * Item 13 (issue 10): `work/` launch folders are removed after use, as the README says — after a
 * flight-plan, after a take-off, after a failure — and leftovers of a crash are removed when the
 * authority opens (ORCH-2: nothing of one run leaks into another).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '@clearance/protocol';
import {
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
} from '../scenarios/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    await cleanup(h.root);
    h = undefined;
  }
});

async function start(): Promise<Harness> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  h = await startHarness(base, { engines: [await testEngine()], rules: { default: 'allow' } });
  return h;
}

function workEntries(harness: Harness): Promise<string[]> {
  return readdir(join(harness.homeDir, 'work'));
}

/** Take-off removes its folder in the background: wait (bounded) until it is gone. */
async function settled(harness: Harness): Promise<string[]> {
  for (let i = 0; i < 100 && (await workEntries(harness)).length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return workEntries(harness);
}

describe('item 13: work/ folders are removed as the README says', () => {
  it('item 13 ORCH-2: after a flight-plan, a take-off and a failed flight-plan', async () => {
    const harness = await start();
    const propose = (behaviour: JsonObject) =>
      harness.orchestrator.propose(
        { engine: 'test', workspace: 'demo', config: { behaviour }, context: {}, stripped: [] },
        harness.users.agent,
      );
    const wf = await propose({});
    expect(wf.state).toBe('READY_FOR_TAKEOFF');
    expect(await workEntries(harness)).toEqual([]);
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('COMPLETED');
    expect(await settled(harness)).toEqual([]);
    const failed = await propose({ exit_code: 1 });
    expect(failed.state).toBe('FAILED');
    expect(await workEntries(harness)).toEqual([]);
  }, 60_000);

  it('item 13 ORCH-2: a take-off that fails leaves no folder', async () => {
    const harness = await start();
    const wf = await harness.orchestrator.propose(
      {
        engine: 'test',
        workspace: 'demo',
        config: { behaviour: {} },
        context: {},
        stripped: [],
      },
      harness.users.agent,
    );
    // Change the workspace: take-off is refused at V4 and the workflow fails.
    await writeFile(join(harness.workspace, 'a.txt'), 'changed\n');
    const failed = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(failed.state).toBe('FAILED');
    expect(await workEntries(harness)).toEqual([]);
  }, 60_000);

  it('item 13 ORCH-2: stale launch folders of a crash are removed on open', async () => {
    const harness = await start();
    const stale = join(harness.homeDir, 'work', 'wf-stale', 'plan-0', 'tmp');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'leftover'), 'x');
    h = await harness.reopen();
    expect(await workEntries(h)).toEqual([]);
  }, 60_000);
});
