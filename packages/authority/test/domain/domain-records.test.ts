/**
 * I11-1 (review R1): a domain records only its own `clearance.<domain>-…` types in a workflow's
 * WAL. The reducer files every `clearance.*` artifact under `view.objects[type]`, which the
 * orchestrator reads back as the workflow's request, plan record, receipt and preflight outcome,
 * and which the cnc spool recovery and the read index read as releases. A domain's release that
 * names one of those types would replace the workflow's request (a later retry re-proposes the
 * domain's record) or pass for another domain's release; it is refused (INTERNAL) before anything
 * is recorded.
 *
 * An engine's artifact never takes such a type either (`clearance.*`, `cabincrew.plan-token`,
 * which inside the validate step halts the WAL): before the intake check such an artifact replaced
 * the workflow's request address (propose threw CAS_NOT_FOUND). Pre-existing before issue 11.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalize, hasCode } from '@clearance/protocol';
import type { OutputCheck } from '../../src/domain/domain.js';
import { defineDomain, DomainRegistry } from '../../src/domain/registry.js';
import { REQUEST_TYPE } from '../../src/orchestrator/records.js';
import {
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
} from '../scenarios/harness.js';

const ROGUE = 'rogue';

/** A domain whose release records one artifact of type `type` (write-ahead when `ahead`). */
function rogueDomain(type: string, ahead: boolean, name = 'entry') {
  return defineDomain({
    name: ROGUE,
    engines: [ROGUE],
    views: () => undefined,
    checkOutputs: (outputs): Promise<OutputCheck> =>
      Promise.resolve({
        ok: true,
        release: async () => {
          const record = { domain: 'test.rogue.v1', id: outputs.view().workflow_id };
          const put = await outputs.host.cas.put(Buffer.from(canonicalize(record), 'utf8'));
          const artifact = { name, hash: put.address, type, message: 'rogue entry' };
          if (ahead) {
            await outputs.recordAhead(artifact);
            return { ok: true, artifacts: [], run: undefined };
          }
          return { ok: true, artifacts: [artifact], run: undefined };
        },
      }),
  });
}

let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    await cleanup(h.root);
    h = undefined;
  }
});

async function takeOff(type: string, ahead: boolean, name?: string) {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  const engine = await testEngine();
  h = await startHarness(base, {
    engines: [{ ...engine, id: ROGUE }],
    rules: { default: 'allow' },
    domains: [rogueDomain(type, ahead, name)],
  });
  const harness = h;
  const wf = await harness.orchestrator.propose(
    { engine: ROGUE, workspace: 'demo', config: { behaviour: {} }, context: {}, stripped: [] },
    harness.users.agent,
  );
  expect(wf.state).toBe('READY_FOR_TAKEOFF');
  const request = harness.orchestrator.viewOf(wf.workflow_id).objects[REQUEST_TYPE];
  expect(request).toEqual(expect.any(String));
  const result = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator).then(
    (details) => ({ ok: true as const, state: details.state }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  const view = harness.orchestrator.viewOf(wf.workflow_id);
  return { result, request, view };
}

describe('I11-1: a domain records only its own record types', () => {
  for (const ahead of [false, true]) {
    const how = ahead ? 'write-ahead' : 'with the completion';
    it(`I11-1 ORCH-11: a domain artifact typed as the workflow request (${how}) is refused; the request stays`, async () => {
      const { result, request, view } = await takeOff(REQUEST_TYPE, ahead);
      expect(result.ok).toBe(false);
      expect(!result.ok && hasCode(result.err, 'INTERNAL')).toBe(true);
      expect(view.objects[REQUEST_TYPE]).toBe(request);
    });

    it(`I11-1 ORCH-11: a domain artifact typed as another domain's release (${how}) is refused`, async () => {
      const { result, view } = await takeOff('clearance.cnc-release-intent', ahead);
      expect(result.ok).toBe(false);
      expect(!result.ok && hasCode(result.err, 'INTERNAL')).toBe(true);
      expect(view.objects['clearance.cnc-release-intent']).toBeUndefined();
    });
  }

  it('I11-1 ORCH-11: a domain artifact named like an approval request (`approval/<id>`) is refused', async () => {
    const { result, view } = await takeOff(
      `clearance.${ROGUE}-entry`,
      false,
      'approval/apr-forged',
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && hasCode(result.err, 'INTERNAL')).toBe(true);
    expect(view.artifacts.some((a) => a.artifact_id === 'main/approval/apr-forged')).toBe(false);
  });

  it('I11-1 ORCH-11: the domain own `clearance.<domain>-` type is recorded', async () => {
    const { result, view } = await takeOff(`clearance.${ROGUE}-entry`, false);
    expect(result).toEqual({ ok: true, state: 'COMPLETED' });
    expect(view.objects[`clearance.${ROGUE}-entry`]).toEqual(expect.any(String));
  });
});

describe("I11-1: domain names cannot cover another domain's record types", () => {
  it('I11-1 ORCH-11: a domain named `cnc-release` (prefix of cnc intents) is refused', () => {
    const rogue = defineDomain({ name: 'cnc-release', engines: ['x'], views: () => undefined });
    let caught: unknown;
    try {
      new DomainRegistry([rogue]);
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'INTERNAL')).toBe(true);
  });
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
