/**
 * Restart scenarios of spec/cabincrew.md §6: S-23 (pending approvals survive), S-24 (log
 * tampering), S-25 (out-of-band artifact change while stopped), S-26 (secret hygiene).
 */
import { appendFile, chmod, mkdir, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';
import { FileContentStore } from '../../src/cas/file-store.js';
import { loadArtifactSet } from '../../src/index.js';
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

async function start(
  rules: JsonObject = { default: 'require_approval', default_role: 'approver' },
) {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  h = await startHarness(base, { engines: [await testEngine()], rules });
  return h;
}

function propose(harness: Harness, behaviour: JsonObject = {}, secrets?: string) {
  return harness.orchestrator.propose(
    {
      engine: 'test',
      workspace: 'demo',
      config: { behaviour, ...(secrets === undefined ? {} : { note: secrets }) },
      context: {},
      stripped: [],
    },
    harness.users.agent,
  );
}

async function events(harness: Harness): Promise<JsonObject[]> {
  const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseJsonStrict(l) as JsonObject);
}

function walPath(harness: Harness, id: string): string {
  return join(harness.homeDir, 'workflows', id, 'wal.jsonl');
}

describe('restart (S-23, S-24, S-25)', () => {
  // Also proves APR-6, APR-14 (approval state persisted and still acceptable after a restart).
  it('S-23: a pending approval survives a restart and is still acceptable', async () => {
    let harness = await start();
    const wf = await propose(harness);
    harness = await harness.reopen();
    h = harness;
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.approver,
    });
    expect(out.state).toBe('READY_FOR_TAKEOFF');
    await assertHomeConsistent(harness.homeDir);
  });

  it('S-24a/b: a flipped byte or a deleted line in a WAL halts that workflow (audited), others go on', async () => {
    let harness = await start();
    const bad = await propose(harness);
    const good = await propose(harness);
    await harness.close();
    const lines = (await readFile(walPath(harness, bad.workflow_id), 'utf8')).split('\n');
    lines.splice(3, 1);
    await writeFile(walPath(harness, bad.workflow_id), lines.join('\n'));
    const before = await readFile(walPath(harness, bad.workflow_id));
    harness = await startHarness(
      { root: harness.root, workspace: harness.workspace },
      { engines: [await testEngine()] },
      { homeDir: harness.homeDir, configText: harness.configText },
    );
    h = harness;
    await expect(harness.orchestrator.get(bad.workflow_id)).rejects.toMatchObject({
      code: 'WAL_CORRUPT',
    });
    expect((await harness.orchestrator.get(good.workflow_id)).state).toBe('AWAITING_APPROVAL');
    const halted = (await events(harness)).find(
      (e) =>
        e['event_type'] === 'workflow_failure' &&
        typeof e['message'] === 'string' &&
        e['message'].includes('halted'),
    );
    expect(halted?.['severity']).toBe('critical');
    // The damaged WAL is kept byte for byte for forensics.
    expect((await readFile(walPath(harness, bad.workflow_id))).equals(before)).toBe(true);
    // An approval for the halted workflow is refused.
    const out = await harness.orchestrator.approve({
      approvalId: bad.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.approver,
    });
    // Blocked as unknown: the halted workflow's approvals are not in the index any more.
    expect(out).toMatchObject({ status: 'BLOCKED', code: 'APPROVAL_NOT_FOUND' });
  });

  it('WAL-9 / S-24: an empty WAL (a crash inside workflow creation) halts only that workflow, audited, and its file is not left open', async () => {
    let harness = await start();
    const good = await propose(harness);
    await harness.close();
    const id = `wf-${'e'.repeat(32)}`;
    await mkdir(join(harness.homeDir, 'workflows', id, 'quarantine'), { recursive: true });
    await writeFile(walPath(harness, id), '');
    harness = await harness.reopen();
    h = harness;
    await expect(harness.orchestrator.get(id)).rejects.toMatchObject({ code: 'WAL_CORRUPT' });
    expect((await harness.orchestrator.get(good.workflow_id)).state).toBe('AWAITING_APPROVAL');
    const halted = (await events(harness)).find(
      (e) =>
        e['event_type'] === 'workflow_failure' &&
        typeof e['message'] === 'string' &&
        e['message'].includes('halted'),
    );
    expect(halted?.['severity']).toBe('critical');
    // No descriptor of this process still points at the halted WAL (it was closed, not leaked).
    const fds = await readdir('/proc/self/fd');
    const targets = await Promise.all(
      fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
    );
    expect(targets.filter((t) => t.endsWith(`${id}/wal.jsonl`))).toEqual([]);
  });

  it('S-24c: a torn final WAL line is truncated, audited as incomplete_entry, and the workflow goes on', async () => {
    let harness = await start();
    const wf = await propose(harness);
    await harness.close();
    await appendFile(walPath(harness, wf.workflow_id), '{"sequence":99,"entry_t');
    harness = await harness
      .reopen()
      .catch(async () =>
        startHarness(
          { root: harness.root, workspace: harness.workspace },
          { engines: [await testEngine()] },
          { homeDir: harness.homeDir, configText: harness.configText },
        ),
      );
    h = harness;
    expect((await harness.orchestrator.get(wf.workflow_id)).state).toBe('AWAITING_APPROVAL');
    expect((await events(harness)).some((e) => e['event_type'] === 'incomplete_entry')).toBe(true);
    expect((await readFile(walPath(harness, wf.workflow_id), 'utf8')).endsWith('\n')).toBe(true);
    await assertHomeConsistent(harness.homeDir);
  });

  // Also proves PT-8, WAL-8 (restart refuses changed artifacts).
  it('S-25: a stored artifact changed while stopped → V6 fails on restart (critical); a later approval is refused', async () => {
    let harness = await start();
    const wf = await propose(harness);
    const set = await loadArtifactSet(
      harness.home.cas,
      harness.orchestrator.viewOf(wf.workflow_id).objects['clearance.artifact-set'] ?? '',
    );
    const body = set.artifacts.find((a) => a.name === 'state')?.body?.address ?? '';
    await harness.close();
    const cas = await FileContentStore.open(join(harness.homeDir, 'cas'));
    await chmod(cas.pathOf(body), 0o644);
    await writeFile(cas.pathOf(body), 'resume-token-2\n');
    harness = await startHarness(
      { root: harness.root, workspace: harness.workspace },
      { engines: [await testEngine()] },
      { homeDir: harness.homeDir, configText: harness.configText },
    );
    h = harness;
    const after = await harness.orchestrator.get(wf.workflow_id);
    expect(after.state).toBe('FAILED');
    expect(after.failure).toMatch(/^V6/);
    const failure = (await events(harness))
      .filter((e) => e['event_type'] === 'workflow_failure')
      .pop();
    expect(failure?.['severity']).toBe('critical');
    expect(failure?.['integrity_check']).toMatchObject({ differences: ['state'] });
    const out = await harness.orchestrator.approve({
      approvalId: wf.pending_approvals[0]?.approval_id ?? '',
      approved: true,
      user: harness.users.approver,
    });
    expect(out).toMatchObject({ status: 'BLOCKED', code: 'APPROVAL_NOT_PENDING' });
  });
});

describe('S-26 secret hygiene', () => {
  it('the authority environment is invisible to engines; engine output is redacted in audit', async () => {
    const canary = 'clr_' + 'Q'.repeat(43);
    // The agent's own proposal carries a second token-shaped value: its request record keeps it
    // (the agent wrote it), but the audit log and the WAL never show it.
    const sent = 'clr_' + 'S'.repeat(43);
    process.env['CLEARANCE_TEST_CANARY'] = canary;
    try {
      const harness = await start({ default: 'allow' });
      // The engine dumps its env and stdin to stderr and then fails, so stderr reaches the audit.
      const wf = await propose(harness, { env_dump: true, exit_code: 1 }, `password=${sent}`);
      expect(wf.state).toBe('FAILED');
      const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
      expect(text).toContain('engine stderr');
      expect(text).not.toContain('CLEARANCE_TEST_CANARY');
      expect(text).not.toContain(sent);
      // B5/U5: stderr is recorded as a hash plus a scrubbed excerpt.
      expect(text).toMatch(/engine stderr [^"]*sha256 [0-9a-f]{64}, \d+ bytes; excerpt: /);
      // The env canary is in no byte under the home, in no encoding (B5, S-26).
      await assertHomeConsistent(harness.homeDir, [canary]);
    } finally {
      delete process.env['CLEARANCE_TEST_CANARY'];
    }
  });
});

// Also proves ENG-17 (a mapped secret never leaks into artifacts or audit).
describe('S-26 with mapped engine secrets (SEC-2, SEC-3, ART-10)', () => {
  const SECRET = 'sk-canary-7f3a9b2c4d5e6f70';
  async function startWithSecret(): Promise<Harness> {
    const base = await makeRoot();
    await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
    const engine = {
      ...(await testEngine()),
      secrets: [{ name: 'canary', env: 'CLEARANCE_TEST_SECRET' }],
    };
    h = await startHarness(base, { engines: [engine], rules: { default: 'allow' } });
    return h;
  }
  const proposeWith = (harness: Harness, behaviour: JsonObject, allowed: string[]) =>
    harness.orchestrator.propose(
      {
        engine: 'test',
        workspace: 'demo',
        config: { behaviour },
        context: {},
        allowedSecrets: allowed,
        stripped: [],
      },
      harness.users.agent,
    );

  it('a secret written into an artifact body is denied at preflight; the value is nowhere in audit or WAL', async () => {
    process.env['CLEARANCE_TEST_SECRET'] = SECRET;
    try {
      const harness = await startWithSecret();
      const wf = await proposeWith(harness, { secret_in_body: true }, ['canary']);
      expect(wf.state).toBe('FAILED');
      // B5: denied by the known-secret scan before anything was stored (not at preflight, which
      // would need the leaking blob in the store): the failure names the policy, secret and form.
      expect(wf.failure).toMatch(/^secrets\/known-value: deny .*canary as plain/);
      const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
      expect(text).toContain('secrets/known-value');
      // Every byte under the home (cas/, runs/, workflows/, audit/, work/...) is canary-free.
      await assertHomeConsistent(harness.homeDir, [SECRET]);
      // The stored request names the secret, never its value.
      const request = await harness.orchestrator.requestOf(wf.workflow_id);
      expect(request.allowed_secrets).toEqual(['canary']);
      expect(JSON.stringify(request)).not.toContain(SECRET);
    } finally {
      delete process.env['CLEARANCE_TEST_SECRET'];
    }
  });

  it('the engine gets the value on stdin only; its stderr echo is scrubbed before the audit', async () => {
    process.env['CLEARANCE_TEST_SECRET'] = SECRET;
    try {
      const harness = await startWithSecret();
      const wf = await proposeWith(harness, { env_dump: true, exit_code: 1 }, ['canary']);
      expect(wf.state).toBe('FAILED');
      const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
      expect(text).toContain('[REDACTED:engine-secret]');
      await assertHomeConsistent(harness.homeDir, [SECRET]);
      // A clean run with the same secret passes preflight (the scan only denies real leaks).
      const ok = await proposeWith(harness, {}, ['canary']);
      expect(ok.state).toBe('READY_FOR_TAKEOFF');
    } finally {
      delete process.env['CLEARANCE_TEST_SECRET'];
    }
  });

  it.each([
    ['base64', 'base64'],
    ['base64url-offset1', 'base64'], // no '+' or '/' in this value: both alphabets agree
    ['hex-upper', 'hex'],
    ['url', 'plain'],
    ['upper-split', 'plain'],
    ['reversed', 'reversed'],
  ])(
    'B5 (SEC-3, S-26): a secret written into a body as %s is denied before anything is stored',
    async (form, encoding) => {
      process.env['CLEARANCE_TEST_SECRET'] = SECRET;
      try {
        const harness = await startWithSecret();
        const wf = await proposeWith(harness, { secret_in_body_as: form }, ['canary']);
        expect(wf.state).toBe('FAILED');
        expect(wf.failure).toMatch(
          new RegExp(`^secrets/known-value: deny .*plan/body\\.data .*canary as ${encoding}`),
        );
        // Nothing of the artifact set reached the store, and no form of the value is anywhere.
        expect(Object.keys(wf)).not.toContain('plan_token');
        await assertHomeConsistent(harness.homeDir, [SECRET]);
      } finally {
        delete process.env['CLEARANCE_TEST_SECRET'];
      }
    },
  );

  it('B5/U5 (SEC-3, S-26): an artifact whose folder is named after the secret (hex) is refused and leaves no trace of the value', async () => {
    process.env['CLEARANCE_TEST_SECRET'] = SECRET;
    try {
      const harness = await startWithSecret();
      const wf = await proposeWith(harness, { secret_name_as: 'hex-upper' }, ['canary']);
      expect(wf.state).toBe('FAILED');
      // The receipt's copy of the name is scrubbed, so the folder no longer matches it.
      expect(wf.failure).toMatch(/^artifact validation failed: ARTIFACT_INVALID/);
      await assertHomeConsistent(harness.homeDir, [SECRET]);
    } finally {
      delete process.env['CLEARANCE_TEST_SECRET'];
    }
  });

  it.each(['base64', 'base64url-offset1', 'hex-upper', 'url', 'upper-split', 'reversed'])(
    'U5 (SEC-3, AUD-7): engine stderr echoing the secret as %s is scrubbed before the audit',
    async (form) => {
      process.env['CLEARANCE_TEST_SECRET'] = SECRET;
      try {
        const harness = await startWithSecret();
        const wf = await proposeWith(harness, { stderr_secret_as: form, exit_code: 1 }, ['canary']);
        expect(wf.state).toBe('FAILED');
        const text = await readFile(join(harness.homeDir, 'audit', 'events.jsonl'), 'utf8');
        // A base64 form at an offset keeps its neighbour's boundary character ("eH" for "x").
        expect(text).toMatch(/leak: (eH)?\[REDACTED:engine-secret\]/);
        await assertHomeConsistent(harness.homeDir, [SECRET]);
      } finally {
        delete process.env['CLEARANCE_TEST_SECRET'];
      }
    },
  );

  it('an unmapped secret name is refused; a mapped one missing from the environment fails the run', async () => {
    delete process.env['CLEARANCE_TEST_SECRET'];
    const harness = await startWithSecret();
    await expect(proposeWith(harness, {}, ['other'])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const wf = await proposeWith(harness, {}, ['canary']);
    expect(wf.state).toBe('FAILED');
    expect(wf.failure).toMatch(/^CONFIG_INVALID: .*canary/);
  });
});
