/**
 * I11-6 / ENG-10: every EngineInput the authority sends carries meta (workflow, step, mode), the
 * workflow's config, only the explicitly mapped and allowed secrets, and the context, and
 * validates as `EngineInput`. The real sandbox is wrapped only to record the stdin of each launch.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonStrict, validate, type JsonObject } from '@clearance/protocol';
import type { EngineSandbox, SandboxLaunch } from '../../src/sandbox/index.js';
import { assertHomeConsistent, modifyDiff, testEngine } from '../scenarios/harness.js';
import { startScenario } from './scenario.js';

const ALLOWED = 'eng10-allowed-4b1d7c9e2a';
const OTHER = 'eng10-not-allowed-8f3e6a1c5d';

/** The real sandbox, recording every launch. */
function recording(launches: SandboxLaunch[]): (s: EngineSandbox) => EngineSandbox {
  return (s) => ({
    kind: s.kind,
    run: (launch) => {
      launches.push(launch);
      return s.run(launch);
    },
  });
}

/** Meta names the workflow and its one step; config and context are the proposal's, unchanged. */
function expectRequest(input: JsonObject, workflowId: string, config: object, context: object) {
  expect(input['meta']).toEqual({ workflow_id: workflowId, step_id: 'main' });
  expect(input['config']).toEqual(config);
  expect(input['context']).toEqual(context);
}

/** Each launch's stdin, schema-checked as EngineInput and matched to its launch mode. */
function inputsOf(launches: readonly SandboxLaunch[]): JsonObject[] {
  return launches.map((launch) => {
    const text = Buffer.from(launch.stdin).toString('utf8');
    const input = parseJsonStrict(text) as JsonObject;
    expect(validate('EngineInput', input)).toEqual({ ok: true });
    expect(input['mode']).toBe(launch.mode);
    return input;
  });
}

describe('I11-6: what the authority sends to an engine', () => {
  it('ENG-10: flight-plan and take-off inputs are schema-valid with meta, config, context and only the allowed mapped secret', async () => {
    process.env['CLEARANCE_ENG10_A'] = ALLOWED;
    process.env['CLEARANCE_ENG10_B'] = OTHER;
    try {
      const engine = {
        ...(await testEngine()),
        secrets: [
          { name: 'token', env: 'CLEARANCE_ENG10_A' },
          { name: 'other', env: 'CLEARANCE_ENG10_B' },
        ],
      };
      const launches: SandboxLaunch[] = [];
      const h = await startScenario(
        { 'a.txt': 'alpha\n' },
        {
          engines: [engine],
          rules: { default: 'allow' },
          sandboxWrap: recording(launches),
        },
      );
      const config = { behaviour: {}, note: 'eng-10 config' };
      const context = { ticket: 'ENG-10', reason: 'input shape' };
      const wf = await h.orchestrator.propose(
        {
          engine: 'test',
          workspace: 'demo',
          config,
          context,
          allowedSecrets: ['token'],
          stripped: [],
        },
        h.users.agent,
      );
      expect(wf.failure ?? wf.state).toBe('READY_FOR_TAKEOFF');
      expect((await h.orchestrator.takeoff(wf.workflow_id, h.users.operator)).state).toBe(
        'COMPLETED',
      );
      const inputs = inputsOf(launches);
      expect(inputs.map((i) => i['mode'])).toEqual(['flight-plan', 'take-off']);
      for (const input of inputs) {
        expectRequest(input, wf.workflow_id, config, context);
        // SEC-2: the allowed mapping only; the other mapped secret never reaches the engine.
        expect(input['allowed_secrets']).toEqual(['token']);
        expect(input['secrets']).toEqual({ token: ALLOWED });
        expect(JSON.stringify(input)).not.toContain(OTHER);
      }
      // Take-off is bound to the approved plan: it carries the plan-token it must reproduce.
      expect(inputs[0]?.['expected_plan_token']).toBeUndefined();
      expect(typeof inputs[1]?.['expected_plan_token']).toBe('string');
      await assertHomeConsistent(h.homeDir, [ALLOWED, OTHER]);
    } finally {
      delete process.env['CLEARANCE_ENG10_A'];
      delete process.env['CLEARANCE_ENG10_B'];
    }
  });

  it('ENG-10: the built-in patch engine gets schema-valid inputs without secrets when none is allowed', async () => {
    const launches: SandboxLaunch[] = [];
    const h = await startScenario(
      { 'a.txt': 'one\n' },
      { rules: { default: 'allow' }, sandboxWrap: recording(launches) },
    );
    const config = { patch: modifyDiff('a.txt', 'one', 'two') };
    const wf = await h.orchestrator.propose(
      { engine: 'patch', workspace: 'demo', config, context: {}, stripped: [] },
      h.users.agent,
    );
    expect((await h.orchestrator.takeoff(wf.workflow_id, h.users.operator)).state).toBe(
      'COMPLETED',
    );
    const inputs = inputsOf(launches);
    expect(inputs.map((i) => i['mode'])).toEqual(['flight-plan', 'take-off']);
    for (const input of inputs) {
      expectRequest(input, wf.workflow_id, config, {});
      expect(input['allowed_secrets']).toEqual([]);
      expect(input).not.toHaveProperty('secrets');
    }
  });
});
