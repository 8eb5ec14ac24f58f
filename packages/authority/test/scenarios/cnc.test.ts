/**
 * RMOS through the real authority (issue 4): a CNC job is a workflow of the built-in cnc engine,
 * run in the real sandbox; feasibility is the authority's own; only an approved job produces
 * G-code, which is reproduced, validated, stored and released to the spool folder. Every refused
 * take-off and every override attempt leaves a run artifact.
 */
import { readdir, readFile, chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasCode, type JsonObject } from '@clearance/protocol';
import { machineProfile, validateGcode } from '@clearance/cnc';
import type { EngineSandbox, WorkflowDetails } from '../../src/index.js';
import { assertHomeConsistent, cleanup } from './harness.js';
import { greenJob, redJob, startCncHarness, yellowJob, type CncHarness } from './cnc-harness.js';

let h: CncHarness | undefined;
afterEach(async () => {
  if (h !== undefined) {
    await h.close().catch(() => undefined);
    if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
    h = undefined;
  }
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (hasCode(err)) return err.code;
    throw err;
  }
  return 'resolved';
}

function propose(c: CncHarness, job: JsonObject, who = c.users.agent): Promise<WorkflowDetails> {
  return c.runtime.orchestrator.propose(
    { engine: 'cnc', workspace: 'demo', config: { job }, context: {}, stripped: [] },
    who,
  );
}

async function approve(c: CncHarness, id: string, approved = true) {
  return c.runtime.orchestrator.approveWorkflow(id, {
    approved,
    reason: approved ? 'fixture checked' : 'no',
    user: c.users.approver,
  });
}

/** The policy ids that evaluated a workflow's plan (recorded in its WAL). */
function policiesOf(wf: WorkflowDetails): string[] {
  return wf.record.policy_evaluations.map((p) => p.policy_name);
}

function runsOf(c: CncHarness, id: string) {
  return c.runtime.runs.list({ workflowId: id });
}

describe('cnc workflow (issue 4)', () => {
  // Also proves RMOS S2, RMOS S3, RMOS S7 (version stamps on the toolpaths run).
  it('GREEN: approval required, then take-off releases validated G-code with a full run artifact', async () => {
    h = await startCncHarness();
    const wf = await propose(h, greenJob());
    expect(wf.failure ?? wf.state).toBe('AWAITING_APPROVAL');
    const view = await h.runtime.cnc.job(wf.workflow_id);
    expect(view.feasibility?.risk_level).toBe('GREEN');
    expect(view.job?.units).toBe('mm');
    expect(view.release).toBeNull();
    // Take-off before approval: refused, BLOCKED toolpaths run, nothing in the spool.
    expect(await codeOf(h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator))).toBe(
      'TRANSITION_ILLEGAL',
    );
    expect(runsOf(h, wf.workflow_id)).toEqual([
      expect.objectContaining({ kind: 'toolpaths', status: 'BLOCKED' }),
    ]);
    // An agent (or anyone holding the agent role alongside) cannot release.
    expect(await codeOf(h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.agent))).toBe(
      'FORBIDDEN',
    );
    expect(await approve(h, wf.workflow_id)).toMatchObject({ status: 'OK' });
    const done = await h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator);
    expect(done.failure ?? done.state).toBe('COMPLETED');

    const released = await h.runtime.cnc.job(wf.workflow_id);
    const release = released.release;
    expect(release).not.toBeNull();
    if (release === null) return;
    const gcode = (await h.runtime.home.cas.get(release.gcode_sha256)).toString('utf8');
    expect(validateGcode(gcode, machineProfile('grbl-desktop')).ok).toBe(true);
    expect(gcode).toContain(wf.workflow_id);
    expect(gcode).toContain(released.job_hash ?? 'no job hash');
    expect(release.preview_svg.startsWith('<svg')).toBe(true);
    const spooled = await readdir(h.spool);
    expect(spooled).toHaveLength(1);
    expect(await readFile(join(h.spool, spooled[0] ?? ''), 'utf8')).toBe(gcode);

    const toolpaths = runsOf(h, wf.workflow_id).filter(
      (r) => r.kind === 'toolpaths' && r.status === 'OK',
    );
    expect(toolpaths).toHaveLength(1);
    const run = await h.runtime.runs.get(toolpaths[0]?.run_id ?? '');
    expect(run.hashes).toMatchObject({
      gcode_sha256: release.gcode_sha256,
      toolpaths_sha256: release.toolpaths_sha256,
      preview_sha256: release.preview_sha256,
      job_sha256: released.job_hash,
      feasibility_sha256: released.feasibility?.hash,
    });
    expect(run.versions).toMatchObject({
      engine_version: 'cnc@1.0.0',
      toolchain_version: expect.any(String),
      post_processor_version: expect.any(String),
      config_fingerprint: h.runtime.config.digest,
    });
    const approvalRun = runsOf(h, wf.workflow_id).find((r) => r.kind === 'approval');
    expect(run.parents).toContain(approvalRun?.run_id);
    // The run id is derived from the content.
    expect(run.run_id).toMatch(/^run_[0-9a-f]{32}$/);
    await assertHomeConsistent(h.homeDir);
  });

  // Also proves RMOS S2, RMOS S3.
  it('RED: denied by the authority; take-off refused with a BLOCKED run; nothing released', async () => {
    h = await startCncHarness();
    const wf = await propose(h, redJob());
    expect(wf.state).toBe('FAILED');
    expect(policiesOf(wf)).toContain('cnc-feasibility/red');
    const view = await h.runtime.cnc.job(wf.workflow_id);
    expect(view.feasibility?.risk_level).toBe('RED');
    expect(view.feasibility?.explanation.rules.map((r) => r.id)).toContain('F022');
    expect(await codeOf(h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator))).toBe(
      'TRANSITION_ILLEGAL',
    );
    expect(runsOf(h, wf.workflow_id)).toEqual([
      expect.objectContaining({ kind: 'toolpaths', status: 'BLOCKED' }),
    ]);
    expect(await readdir(h.spool)).toEqual([]);
    await assertHomeConsistent(h.homeDir);
  });

  it('a rejected approval fails the job; a later take-off is refused and recorded', async () => {
    h = await startCncHarness();
    const wf = await propose(h, greenJob());
    expect(await approve(h, wf.workflow_id, false)).toMatchObject({ state: 'FAILED' });
    expect(await codeOf(h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator))).toBe(
      'TRANSITION_ILLEGAL',
    );
    expect(runsOf(h, wf.workflow_id).map((r) => `${r.kind}:${r.status}`)).toEqual([
      'approval:OK',
      'toolpaths:BLOCKED',
    ]);
    expect(await readdir(h.spool)).toEqual([]);
  });

  it('a bad job is refused before anything is recorded, with CNC_JOB_INVALID', async () => {
    h = await startCncHarness();
    const job = { ...greenJob(), operations: [] };
    expect(await codeOf(propose(h, job))).toBe('CNC_JOB_INVALID');
    expect(await codeOf(propose(h, { ...greenJob(), risk_level: 'GREEN' }))).toBe(
      'CNC_JOB_INVALID',
    );
    expect(await h.runtime.orchestrator.list()).toEqual([]);
  });

  it('YELLOW: denied without an override; override rules; a new proposal of the overridden job needs approval', async () => {
    h = await startCncHarness();
    const c = h;
    const wf = await propose(c, yellowJob());
    expect(wf.state).toBe('FAILED');
    expect(policiesOf(wf)).toContain('cnc-feasibility/yellow');
    expect(await codeOf(c.runtime.orchestrator.takeoff(wf.workflow_id, c.users.operator))).toBe(
      'TRANSITION_ILLEGAL',
    );
    const override = (
      who = c.users.supervisor,
      reason = 'fixture checked by hand, feeds fine',
      extra = {},
    ) => c.runtime.cnc.override(wf.workflow_id, who, { reason, ...extra });
    expect(await codeOf(override(c.users.agent))).toBe('FORBIDDEN');
    expect(await codeOf(override(c.users.approver))).toBe('FORBIDDEN');
    expect(await codeOf(override(c.users.supervisor, 'too short'))).toBe('VALIDATION_FAILED');
    expect(await codeOf(override(c.users.supervisor, 'long enough reason', { scope: 'RED' }))).toBe(
      'OVERRIDE_RISK_MISMATCH',
    );
    const selfProposed = await propose(c, yellowJob(), {
      name: 'sam',
      roles: ['supervisor', 'operator'],
    });
    expect(
      await codeOf(
        c.runtime.cnc.override(selfProposed.workflow_id, c.users.supervisor, {
          reason: 'my own job is fine',
        }),
      ),
    ).toBe('FORBIDDEN');
    const record = await override();
    expect(record).toMatchObject({ scope: 'YELLOW', original_risk: 'YELLOW', supervisor: 'sam' });
    expect(await codeOf(override())).toBe('OVERRIDE_EXISTS');
    const attempts = runsOf(c, wf.workflow_id).filter((r) => r.kind === 'override');
    expect(attempts.map((r) => r.status)).toEqual([
      'BLOCKED',
      'BLOCKED',
      'BLOCKED',
      'BLOCKED',
      'OK',
      'BLOCKED',
    ]);
    // The original risk never changes.
    expect((await c.runtime.cnc.job(wf.workflow_id)).feasibility?.risk_level).toBe('YELLOW');
    // An explicit operator retry re-plans: the override unlocks the job, approval is still needed.
    const again = await c.runtime.orchestrator.retry(wf.workflow_id, c.users.operator);
    expect(again.failure ?? again.state).toBe('AWAITING_APPROVAL');
    expect(policiesOf(again)).toContain('cnc-feasibility/yellow-override');
    expect(await approve(c, again.workflow_id)).toMatchObject({ status: 'OK' });
    const done = await c.runtime.orchestrator.takeoff(again.workflow_id, c.users.operator);
    expect(done.failure ?? done.state).toBe('COMPLETED');
    const tp = runsOf(c, again.workflow_id).find((r) => r.kind === 'toolpaths');
    expect((await c.runtime.runs.get(tp?.run_id ?? '')).parents).toContain(record.run_id);
    await assertHomeConsistent(c.homeDir);
  });

  it('RED overrides exist only when enabled and acknowledged', async () => {
    h = await startCncHarness();
    const wf = await propose(h, redJob());
    expect(
      await codeOf(
        h.runtime.cnc.override(wf.workflow_id, h.users.supervisor, {
          reason: 'scrap piece, accept the risk',
          scope: 'RED',
          acknowledgeRisk: true,
        }),
      ),
    ).toBe('OVERRIDE_RED_DISABLED');
    await h.close();
    await cleanup(h.root);
    h = await startCncHarness({ cnc: { allow_red_override: true } });
    const c = h;
    const red = await propose(c, redJob());
    const ask = (ack: boolean) =>
      c.runtime.cnc.override(red.workflow_id, c.users.supervisor, {
        reason: 'scrap piece, accept the risk',
        scope: 'RED',
        acknowledgeRisk: ack,
      });
    expect(await codeOf(ask(false))).toBe('OVERRIDE_ACK_REQUIRED');
    await expect(ask(true)).resolves.toMatchObject({ scope: 'RED', acknowledged_risk: true });
    const again = await propose(c, redJob());
    expect(again.failure ?? again.state).toBe('AWAITING_APPROVAL');
  });

  it('a tampered job artifact is caught before take-off: FAILED, BLOCKED run, nothing released', async () => {
    h = await startCncHarness();
    const wf = await propose(h, greenJob());
    await approve(h, wf.workflow_id);
    const view = await h.runtime.cnc.job(wf.workflow_id);
    const artifacts = h.runtime.home.cas;
    // Rewrite the stored job body in place (an attacker with disk access).
    const { planRecords } = await import('../../src/orchestrator/verify.js');
    const { PLAN_RECORD_TYPE, REQUEST_TYPE } = await import('../../src/orchestrator/records.js');
    const v = h.runtime.orchestrator.viewOf(wf.workflow_id);
    const records = await planRecords(
      artifacts,
      v.objects[PLAN_RECORD_TYPE] ?? '',
      v.objects[REQUEST_TYPE] ?? '',
    );
    const body = records.set.artifacts[0]?.body?.address ?? '';
    const blob = join(h.homeDir, 'cas', 'sha256', body.slice(0, 2), body);
    const text = await readFile(blob, 'utf8');
    expect(text).toContain('"final_depth":1.5');
    await chmod(blob, 0o644).catch(() => undefined);
    await writeFile(blob, text.replace('"final_depth":1.5', '"final_depth":5.5'));
    const done = await h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator);
    expect(done.state).toBe('FAILED');
    expect(runsOf(h, wf.workflow_id).map((r) => `${r.kind}:${r.status}`)).toContain(
      'toolpaths:BLOCKED',
    );
    expect(await readdir(h.spool)).toEqual([]);
    expect(view.release).toBeNull();
  });

  it('engine output that differs from the reproduction is never released (ERROR run)', async () => {
    const wrap = (inner: EngineSandbox): EngineSandbox => ({
      kind: inner.kind,
      run: async (spec) => {
        const result = await inner.run(spec);
        const out = spec.mounts.output;
        if (spec.mode === 'take-off' && out !== undefined) {
          for (const name of await readdir(out)) {
            if (name.startsWith('program.')) {
              const path = join(out, name);
              await chmod(path, 0o644).catch(() => undefined);
              const g = await readFile(path, 'utf8');
              await writeFile(path, g.replace(/F800/g, 'F2900'));
            }
          }
        }
        return result;
      },
    });
    h = await startCncHarness({ sandboxWrap: wrap });
    const wf = await propose(h, greenJob());
    await approve(h, wf.workflow_id);
    const done = await h.runtime.orchestrator.takeoff(wf.workflow_id, h.users.operator);
    expect(done.state).toBe('FAILED');
    const tp = runsOf(h, wf.workflow_id).find((r) => r.kind === 'toolpaths');
    expect((await h.runtime.runs.get(tp?.run_id ?? '')).code).toBe('CNC_OUTPUT_INVALID');
    expect(runsOf(h, wf.workflow_id).map((r) => `${r.kind}:${r.status}`)).toContain(
      'toolpaths:ERROR',
    );
    expect(await readdir(h.spool)).toEqual([]);
    await assertHomeConsistent(h.homeDir);
  });
});
