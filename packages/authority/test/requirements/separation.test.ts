/**
 * I11-6: separation of concerns (spec GEN family, principles §5): engines hold no policy, humans
 * approve. The third clause, "gateways do not execute", waits for the gateways (issues 14/15),
 * which is why the id stays listed in test/requirements/uncovered.json. Proven statically where it
 * is a property of the code (the engines import no governance, orchestrator or policy code) and at
 * run time where an engine could try to decide (a decision written into its artifact metadata has
 * no effect; only a human with the role may approve).
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@clearance/protocol';
import { testEngine } from '../scenarios/harness.js';
import { startScenario, tsFiles } from './scenario.js';

const ENGINES = fileURLToPath(new URL('../../src/engines', import.meta.url));
/** The built-in engines' own code (engines/builtin.ts is the authority's registration). */
const ENGINE_DIRS = ['cnc', 'patch', 'kit'];

describe('I11-6: engines hold no policy; the authority and humans decide', () => {
  it('the engines import only node builtins, the protocol, the cnc library and their own code: no governance, orchestrator or policy', async () => {
    const specifiers = new Set<string>();
    for (const dir of ENGINE_DIRS) {
      for (const file of await tsFiles(join(ENGINES, dir))) {
        const text = await readFile(file, 'utf8');
        // No dynamic import anywhere; every static one is a line of its own.
        expect(text, file).not.toMatch(/\bimport\s*\(/);
        for (const m of text.matchAll(
          /^(?:import\s+|(?:import|export|\})[^'\n]*?\bfrom\s+)'([^']+)';$/gm,
        )) {
          const spec = m[1] ?? '';
          const resolved = spec.startsWith('.') ? relative(ENGINES, join(file, '..', spec)) : spec;
          specifiers.add(resolved);
        }
      }
    }
    expect(specifiers.size).toBeGreaterThan(10);
    for (const spec of specifiers) {
      const allowed =
        spec.startsWith('node:') ||
        spec === '@clearance/protocol' ||
        spec === '@clearance/cnc' ||
        ENGINE_DIRS.some((d) => spec.startsWith(`${d}/`));
      expect(allowed, spec).toBe(true);
    }
  });

  it('an engine that declares its own decision in artifact metadata changes nothing: the policy still asks a human', async () => {
    const h = await startScenario(
      { 'a.txt': 'alpha\n' },
      {
        engines: [await testEngine()],
        rules: { default: 'require_approval', default_role: 'approver' },
      },
    );
    const claims: JsonObject = {
      decision: 'allow',
      approved: 'true',
      approver: 'alice',
      policy: 'skip',
    };
    const wf = await h.orchestrator.propose(
      {
        engine: 'test',
        workspace: 'demo',
        config: {
          behaviour: { artifacts: [{ name: 'plan', role: 'evidence', body: 'p\n', meta: claims }] },
        },
        context: {},
        stripped: [],
      },
      h.users.agent,
    );
    expect(wf.state).toBe('AWAITING_APPROVAL');
    expect(wf.last_decision).toBe('require_approval');
    // Only a human with the role may answer: the proposing agent cannot approve its own plan.
    const byAgent = await h.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      reason: 'the engine said so',
      user: h.users.agent,
    });
    expect(byAgent.status).not.toBe('OK');
    expect(byAgent).toMatchObject({ code: 'FORBIDDEN' });
    expect((await h.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    await expect(h.orchestrator.takeoff(wf.workflow_id, h.users.operator)).rejects.toMatchObject({
      code: 'TRANSITION_ILLEGAL',
    });
  });
});
