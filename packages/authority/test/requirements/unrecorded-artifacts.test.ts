/**
 * I11-6 / ART-15 ("unsigned artifacts are rejected", read as: an artifact without an
 * orchestrator-recorded hash is never used). Take-off restores exactly the artifacts whose hashes
 * the plan recorded; a blob slipped into the store, or a folder planted where the take-off folder
 * will be, never reaches the engine; an artifact slipped into the restored copy while the engine
 * runs fails V5 (critical), and the take-off neither completes nor records it.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineSandbox } from '../../src/sandbox/index.js';
import {
  assertHomeConsistent,
  testEngine,
  type Harness,
  type HarnessOptions,
} from '../scenarios/harness.js';
import { auditEvents } from '../scenarios/audit-events.js';
import { startScenario } from './scenario.js';

const SMUGGLED_META = JSON.stringify({ artifact_type: 'test', action: 'noop', mime: 'text/plain' });

async function planned(options: HarnessOptions = {}) {
  const harness = await startScenario(
    { 'a.txt': 'alpha\n' },
    { engines: [await testEngine()], rules: { default: 'allow' }, ...options },
  );
  const wf = await harness.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: { behaviour: {} }, context: {}, stripped: [] },
    harness.users.agent,
  );
  expect(wf.failure ?? wf.state).toBe('READY_FOR_TAKEOFF');
  return { harness, wf };
}

/** The artifact names the test engine saw in its restored folder at take-off. */
async function seenByEngine(harness: Harness): Promise<unknown> {
  const marker = await readFile(join(harness.workspace, 'takeoff-marker'), 'utf8');
  return (JSON.parse(marker) as { artifacts: unknown }).artifacts;
}

describe('I11-6: artifacts without a recorded hash (ART-15)', () => {
  it('ART-15: a blob slipped into the store and a folder planted in work/ are never restored for take-off', async () => {
    const { harness, wf } = await planned();
    // Unrecorded content in the store: a valid-looking artifact the plan never named.
    await harness.home.cas.put(Buffer.from(SMUGGLED_META, 'utf8'));
    // A planted take-off folder, holding an artifact, where the launch folder will be made.
    const planted = join(harness.homeDir, 'work', wf.workflow_id, 'takeoff', 'artifacts', 'extra');
    await mkdir(planted, { recursive: true });
    await writeFile(join(planted, 'artifact.json'), SMUGGLED_META);
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('COMPLETED');
    // The engine saw exactly the recorded artifacts of the plan.
    expect(await seenByEngine(harness)).toEqual(['plan', 'state']);
    await assertHomeConsistent(harness.homeDir);
  });

  it('ART-15: an artifact slipped into the restored copy during take-off fails V5; the take-off is not completed', async () => {
    const slip: (s: EngineSandbox) => EngineSandbox = (s) => ({
      kind: s.kind,
      run: async (launch) => {
        if (launch.mode === 'take-off') {
          const dir = join(launch.mounts.artifacts, 'smuggled');
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, 'artifact.json'), SMUGGLED_META);
        }
        return s.run(launch);
      },
    });
    const { harness, wf } = await planned({ sandboxWrap: slip });
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('FAILED');
    expect(done.failure).toMatch(
      /^V5 \(after take-off\): plan-token mismatch: artifacts .*smuggled/,
    );
    const trail = await auditEvents(harness.homeDir, wf.workflow_id);
    expect(trail.find((e) => e['event_type'] === 'workflow_failure')?.['severity']).toBe(
      'critical',
    );
    expect(trail.some((e) => e['event_type'] === 'workflow_complete')).toBe(false);
    // Nothing of the smuggled artifact was recorded: the WAL names only the planned artifacts.
    const wal = await readFile(
      join(harness.homeDir, 'workflows', wf.workflow_id, 'wal.jsonl'),
      'utf8',
    );
    expect(wal).not.toContain('smuggled/');
    await assertHomeConsistent(harness.homeDir);
  });
});
