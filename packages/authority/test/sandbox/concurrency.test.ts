/**
 * U4 (issue 10): concurrent launches through the real orchestrator and real bubblewrap. Every
 * flight-plan runs as a host uid of its own, so RLIMIT_NPROC is per launch (SEC-1: limits per
 * engine run; ORCH-2: one run never affects another), and launches beyond the configured bound
 * wait in a FIFO queue whose wait does not count against the engine's wall time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  cleanup,
  fileSha256,
  handWorkspace,
  makeRoot,
  modifyDiff,
  startHarness,
  type Harness,
} from '../scenarios/harness.js';

const ALLOW = { default: 'allow' };
let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    await cleanup(h.root);
    h = undefined;
  }
});

const FILES = 12;

async function start(): Promise<Harness> {
  const base = await makeRoot();
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`f${i}.txt`] = `line ${i}\n`;
  await handWorkspace(base.workspace, files);
  const fork = fileURLToPath(new URL('./fixtures/fork-engine.mjs', import.meta.url));
  h = await startHarness(base, {
    rules: ALLOW,
    engines: [
      { id: 'fork', file: fork, sha256: await fileSha256(fork), limits: { processes: 64 } },
    ],
  });
  return h;
}

function proposePatch(harness: Harness, i: number) {
  return harness.orchestrator.propose(
    {
      engine: 'patch',
      workspace: 'demo',
      config: { patch: modifyDiff(`f${i}.txt`, `line ${i}`, `line ${i} changed`) },
      context: {},
      stripped: [],
    },
    harness.users.agent,
  );
}

describe('U4: one workload does not starve another', () => {
  it('U4 SEC-1 ORCH-2: twelve concurrent proposals through real bwrap all succeed', async () => {
    const harness = await start();
    const views = await Promise.all(
      Array.from({ length: FILES }, (_, i) => proposePatch(harness, i)),
    );
    expect(views.map((v) => v.state)).toEqual(Array(FILES).fill('READY_FOR_TAKEOFF'));
  }, 120_000);

  it('U4 SEC-1 ORCH-2: a fork-bombing launch fails alone; concurrent workflows succeed', async () => {
    const harness = await start();
    const bomb = harness.orchestrator.propose(
      { engine: 'fork', workspace: 'demo', config: {}, context: {}, stripped: [] },
      harness.users.agent,
    );
    // Let the bomb fill its process table before the others start.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const others = await Promise.all(Array.from({ length: 6 }, (_, i) => proposePatch(harness, i)));
    expect(others.map((v) => v.state)).toEqual(Array(6).fill('READY_FOR_TAKEOFF'));
    expect((await bomb).state).toBe('FAILED');
  }, 120_000);
});
