/**
 * I11-6 / ART-8: validation checks that metadata is complete enough for governance, that no
 * prohibited field is present, that no undeclared external state is referenced and that names are
 * unique. Each clause through the real authority and the scriptable test engine, plus the schema
 * level of the first two on the validator that reads every artifact.json.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@clearance/protocol';
import { parseArtifactJson } from '../../src/plan/artifact-file.js';
import { assertHomeConsistent, testEngine, type Harness } from '../scenarios/harness.js';
import { closeScenario, startScenario } from './scenario.js';

let h: Harness | undefined;
async function propose(behaviour: JsonObject, rules: JsonObject = { default: 'allow' }) {
  h = await startScenario({ 'a.txt': 'alpha\n' }, { engines: [await testEngine()], rules });
  return h.orchestrator.propose(
    { engine: 'test', workspace: 'demo', config: { behaviour }, context: {}, stripped: [] },
    h.users.agent,
  );
}

const bytes = (o: object): Buffer => Buffer.from(JSON.stringify(o), 'utf8');
const META = { artifact_type: 'test', action: 'noop', mime: 'text/plain' };

// The governance metadata policy: a `test` artifact passes only with metadata.kind = summary;
// every other artifact is left to the default, deny.
const REQUIRE_KIND: JsonObject = {
  default: 'deny',
  rules: [
    {
      id: 'test-artifacts-name-their-kind',
      match: { artifact_type: ['test'], metadata: { kind: ['summary'] } },
      decision: 'allow',
      reason: 'a test artifact names its kind',
    },
  ],
};

describe('I11-6: artifact validation (ART-8)', () => {
  it('ART-8: metadata incomplete for the schema (no mime, no artifact_type) is refused as ARTIFACT_INVALID', () => {
    expect(parseArtifactJson(bytes(META), 'x', 'ARTIFACT_INVALID')).toMatchObject(META);
    for (const missing of ['mime', 'artifact_type', 'action'] as const) {
      const partial = Object.fromEntries(Object.entries(META).filter(([k]) => k !== missing));
      expect(() => parseArtifactJson(bytes(partial), 'x', 'ARTIFACT_INVALID'), missing).toThrow(
        expect.objectContaining({ code: 'ARTIFACT_INVALID' }),
      );
    }
  });

  it('ART-8: metadata incomplete for the governance policy (a required key per artifact_type) denies the workflow', async () => {
    const complete = await propose(
      { artifacts: [{ name: 'plan', role: 'evidence', body: 'p\n', meta: { kind: 'summary' } }] },
      REQUIRE_KIND,
    );
    expect(complete.failure ?? complete.state).toBe('READY_FOR_TAKEOFF');
    await closeScenario();
    const incomplete = await propose(
      {
        artifacts: [
          { name: 'plan', role: 'evidence', body: 'p\n', meta: { kind: 'summary' } },
          { name: 'notes', role: 'evidence', body: 'n\n' },
        ],
      },
      REQUIRE_KIND,
    );
    expect(incomplete.state).toBe('FAILED');
    expect(incomplete.last_decision).toBe('deny');
    // Denied by the default, for the artifact without the key, not by any other check.
    expect(incomplete.failure).toMatch(/^preflight denied: .*default/);
    await assertHomeConsistent(h?.homeDir ?? '');
  });

  it('ART-8: a prohibited field in artifact.json (role, or any field the schema does not name) is refused', async () => {
    for (const field of ['role', 'owner_token', 'external_ref']) {
      expect(
        () => parseArtifactJson(bytes({ ...META, [field]: 'x' }), 'x', 'ARTIFACT_INVALID'),
        field,
      ).toThrow(expect.objectContaining({ code: 'ARTIFACT_INVALID' }));
    }
    const wf = await propose({ extra_role_field: true });
    expect(wf.state).toBe('FAILED');
    expect(wf.failure).toContain('ARTIFACT_INVALID: artifact plan: ');
    expect(wf.plan_token_hash).toBe('');
  });

  it.each([
    ['a body that is a symlink to host state', { body_symlink: true }, 'plan'],
    [
      'a body_file outside the artifact',
      { artifacts: [{ name: 'x', role: 'evidence', body: 'b', body_file: '../../etc/passwd' }] },
      'x',
    ],
    ['a directory the receipt does not declare', { extra_dir: true }, 'unlisted'],
    ['a file beside the artifact directories', { stray_root_file: true }, 'stray.txt'],
  ])(
    'ART-8: undeclared external state is refused: %s',
    async (_what, behaviour: JsonObject, blamed) => {
      const wf = await propose(behaviour);
      expect(wf.state).toBe('FAILED');
      expect(wf.failure).toContain(`ARTIFACT_INVALID: artifact ${blamed}: `);
      expect(wf.plan_token_hash).toBe('');
      await assertHomeConsistent(h?.homeDir ?? '');
    },
  );

  it('ART-8: artifact names are unique: a name listed twice in the receipt fails the flight-plan', async () => {
    const wf = await propose({ duplicate_name: true });
    expect(wf.state).toBe('FAILED');
    expect(wf.failure).toMatch(/^flight-plan failed: RECEIPT_INVALID: /);
    expect(wf.plan_token_hash).toBe('');
  });
});
