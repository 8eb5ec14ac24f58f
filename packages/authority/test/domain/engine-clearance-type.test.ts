/**
 * I11-1 (review R1): an engine's artifact never takes an authority record type. The reducer files
 * every `clearance.*` artifact under `view.objects`, which the orchestrator reads back as the
 * workflow's own records (request, plan record, receipt, preflight outcome) and the cnc spool
 * recovery reads as releases on open; `cabincrew.plan-token` inside the validate step halts the
 * WAL. Before the check such an artifact replaced the workflow's request address (propose threw
 * CAS_NOT_FOUND reading it back). Pre-existing before issue 11; found by review R1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_TYPE } from '../../src/orchestrator/records.js';
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

describe('I11-1: engine artifacts cannot take the authority record types', () => {
  for (const type of [REQUEST_TYPE, 'clearance.cnc-release-intent', 'cabincrew.plan-token']) {
    it(`I11-1 ART-8: an engine artifact typed ${type} is refused at validation (ARTIFACT_INVALID)`, async () => {
      const base = await makeRoot();
      await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
      const engine = await testEngine();
      h = await startHarness(base, { engines: [engine], rules: { default: 'allow' } });
      const harness = h;
      const wf = await harness.orchestrator.propose(
        {
          engine: 'test',
          workspace: 'demo',
          config: {
            behaviour: { artifacts: [{ name: 'x', role: 'evidence', body: 'x\n', type }] },
          },
          context: {},
          stripped: [],
        },
        harness.users.agent,
      );
      expect(wf.state).toBe('FAILED');
      expect(wf.failure).toContain('ARTIFACT_INVALID');
      const view = harness.orchestrator.viewOf(wf.workflow_id);
      expect(view.artifacts.some((a) => a.artifact_id === 'main/x')).toBe(false);
      // The workflow's request still reads back (it was never replaced).
      expect((await harness.orchestrator.get(wf.workflow_id)).workflow_id).toBe(wf.workflow_id);
    });
  }
});
