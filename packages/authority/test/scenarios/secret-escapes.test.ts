/**
 * Issue 10 B5 (SEC-3, S-26): an engine secret must not reach the store through the fields the
 * authority parses out of artifact.json. JSON `\u` escapes hide the value from a byte scan of the
 * raw file, but parsing decodes them, and the stored artifact set (canonical JSON) would carry the
 * plain value.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertHomeConsistent,
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
} from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
    h = undefined;
  }
});

const SECRET = 'sk-canary-7f3a9b2c4d5e6f70';

describe('B5: secrets in parsed artifact fields (SEC-3, S-26)', () => {
  it('B5 (SEC-3, S-26): a secret written \\u-escaped into artifact.json target is denied before anything is stored', async () => {
    process.env['CLEARANCE_TEST_SECRET'] = SECRET;
    try {
      const base = await makeRoot();
      await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
      const engine = {
        ...(await testEngine()),
        secrets: [{ name: 'canary', env: 'CLEARANCE_TEST_SECRET' }],
      };
      h = await startHarness(base, { engines: [engine], rules: { default: 'allow' } });
      const wf = await h.orchestrator.propose(
        {
          engine: 'test',
          workspace: 'demo',
          config: { behaviour: { secret_in_target_escaped: true } },
          context: {},
          allowedSecrets: ['canary'],
          stripped: [],
        },
        h.users.agent,
      );
      expect(wf.state).toBe('FAILED');
      expect(wf.failure).toMatch(/^secrets\/known-value: deny /);
      // Every byte under the home (cas/ included) is free of the value in every form.
      await assertHomeConsistent(h.homeDir, [SECRET]);
    } finally {
      delete process.env['CLEARANCE_TEST_SECRET'];
    }
  });

  it('B5 (SEC-3, S-26): a digits-only secret handed back as a JSON number in the receipt is never stored', async () => {
    const digits = '739148620551';
    process.env['CLEARANCE_TEST_SECRET'] = digits;
    try {
      const base = await makeRoot();
      await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
      const engine = {
        ...(await testEngine()),
        secrets: [{ name: 'canary', env: 'CLEARANCE_TEST_SECRET' }],
      };
      h = await startHarness(base, { engines: [engine], rules: { default: 'allow' } });
      const wf = await h.orchestrator.propose(
        {
          engine: 'test',
          workspace: 'demo',
          config: { behaviour: { secret_as_number: true } },
          context: {},
          allowedSecrets: ['canary'],
          stripped: [],
        },
        h.users.agent,
      );
      expect(wf.state).toBe('FAILED');
      await assertHomeConsistent(h.homeDir, [digits]);
    } finally {
      delete process.env['CLEARANCE_TEST_SECRET'];
    }
  });
});
