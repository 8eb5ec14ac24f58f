/**
 * Item 14 (issue 10): failures say why. When an engine refuses with a stable code in its receipt
 * (the built-in engines write `diagnostics {code, reason, issues}` and `error: "CODE: …"`), that
 * code — not only "ENGINE_FAILED: exit 2" — is the workflow's failure text (what the HTTP answer
 * and the CLI show), the run artifact's `code` and `reason`, and the audit event's engine error
 * (ENG-6: exit 2 is a validation failure; AUD-*: the record says why).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { failureReceipt } from '../../src/engines/cnc/receipt.js';
import { gcodeRefusal } from '../../src/engines/cnc/errors.js';
import { runEngine } from '../../src/engines/cnc/engine.js';
import { engineFailureCode, failureOf, stderrFailureCode } from '../../src/orchestrator/launch.js';
import { clientJob, engineEnv, engineInput } from '../engines/cnc/helpers.js';
import { RunArtifactStore } from '../../src/runs/run-artifacts.js';
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

const BASE = {
  protocol_version: '0.1.0',
  engine_id: 'clearance.cnc',
  mode: 'take-off' as const,
  receipt_id: 'r'.repeat(32),
};

describe('item 14: the engine failure code (pure)', () => {
  it('item 14 ENG-6: a cnc refusal receipt yields VALIDATION_FAILED, its reason and issue codes', () => {
    const receipt = failureReceipt(
      { protocol_version: '0.1.0', mode: 'take-off', input: new Uint8Array() },
      gcodeRefusal(['OUT_OF_ENVELOPE']),
    );
    expect(engineFailureCode(receipt)).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'gcode-invalid',
      issues: ['OUT_OF_ENVELOPE'],
    });
  });

  it('item 14 ENG-6: codes outside the closed list and free-text reasons are not taken', () => {
    const bogus = { ...BASE, status: 'failure' as const, error: 'PWNED: x', diagnostics: {} };
    expect(engineFailureCode(bogus)).toBeUndefined();
    const prefixed = {
      ...BASE,
      status: 'failure' as const,
      error: 'PATCH_DOES_NOT_APPLY: hunk 1',
      diagnostics: { reason: 'not a reason!' },
    };
    expect(engineFailureCode(prefixed)).toEqual({ code: 'PATCH_DOES_NOT_APPLY', issues: [] });
    const verdict = {
      ok: false as const,
      code: 'ENGINE_FAILED' as const,
      reason: 'exit 2 (validation failure)',
      reservedExitCode: false,
      receipt: prefixed,
    };
    expect(failureOf(verdict)).toEqual({
      code: 'PATCH_DOES_NOT_APPLY',
      text: 'PATCH_DOES_NOT_APPLY [ENGINE_FAILED: exit 2 (validation failure)]',
    });
    expect(failureOf({ ...verdict, receipt: bogus }).code).toBe('ENGINE_FAILED');
  });
});

describe('item 14: the stderr code line', () => {
  it('item 14 ENG-6: the cnc engine writes its code line; it names the code when no receipt is usable', () => {
    const job = clientJob('grbl-desktop', [{ kind: 'circular_pocket', cx: 1, cy: 1, radius: -2 }]);
    const result = runEngine(
      engineInput('flight-plan', { job }),
      ['--mode', 'flight-plan'],
      engineEnv('flight-plan'),
    );
    expect(result.exitCode).toBe(2);
    const stderr = Buffer.from(result.log.map((l) => `${l}\n`).join(''));
    expect(stderrFailureCode(stderr)).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'job',
      issues: [],
    });
    const lost = {
      ok: false as const,
      code: 'RECEIPT_INVALID' as const,
      reason: 'no receipt',
      reservedExitCode: false,
    };
    expect(failureOf(lost, stderr)).toEqual({
      code: 'VALIDATION_FAILED',
      text: 'VALIDATION_FAILED (job) [RECEIPT_INVALID: no receipt]',
    });
    expect(stderrFailureCode(Buffer.from('cnc: refused: NOT_A_CODE (x): y\n'))).toBeUndefined();
  });
});

describe('item 14: a refused take-off says why everywhere', () => {
  it('item 14 ENG-6: failure text, run artifact code/reason and audit name VALIDATION_FAILED and OUT_OF_ENVELOPE', async () => {
    const base = await makeRoot();
    await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
    h = await startHarness(base, { engines: [await testEngine()], rules: { default: 'allow' } });
    const wf = await h.orchestrator.propose(
      {
        engine: 'test',
        workspace: 'demo',
        config: { behaviour: { takeoff_refuse: true } },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    expect(wf.state).toBe('READY_FOR_TAKEOFF');
    const done = await h.orchestrator.takeoff(wf.workflow_id, h.users.operator);
    expect(done.state).toBe('FAILED');
    // What POST /api/workflows/{id}/takeoff answers (WorkflowDetails.failure), and the CLI prints.
    expect(done.failure).toMatch(
      /^take-off failed: VALIDATION_FAILED \(gcode-invalid: OUT_OF_ENVELOPE\)/,
    );
    expect(done.failure).toContain('ENGINE_FAILED: exit 2');
    expect((await h.orchestrator.get(wf.workflow_id)).failure).toBe(done.failure);
    const runs = await RunArtifactStore.open(h.home.cas, join(h.homeDir, 'runs'));
    const entry = runs.list({ workflowId: wf.workflow_id }).find((e) => e.kind === 'takeoff');
    expect(entry).toBeDefined();
    const run = await runs.get(entry?.run_id ?? '');
    expect(run.code).toBe('VALIDATION_FAILED');
    expect(run.reason).toContain('OUT_OF_ENVELOPE');
  }, 60_000);
});
