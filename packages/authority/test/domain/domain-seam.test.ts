/**
 * I11-1: a third engine registered through the domain seam (DESIGN "Extension seams") runs a
 * whole workflow through the real orchestrator, the real sandbox and the real stores: its
 * built-in policy source, proposal check, output check, write-ahead release, version stamps,
 * recovery step and read views are all called, and no orchestrator file names it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  canonicalize,
  ClearanceError,
  DECISION_SEVERITY,
  hasCode,
  parseJsonStrict,
  type Decision,
  type JsonObject,
} from '@clearance/protocol';
import type {
  EvaluationContext,
  PolicyInput,
  PolicyResult,
  PolicySource,
} from '@clearance/governance';
import type {
  DomainHost,
  OutputCheck,
  RecoveredWorkflow,
  TakeoffOutputs,
  WorkflowReads,
} from '../../src/domain/domain.js';
import { defineDomain } from '../../src/domain/registry.js';
import type { RunArtifact } from '../../src/index.js';
import {
  assertHomeConsistent,
  cleanup,
  handWorkspace,
  makeRoot,
  startHarness,
  testEngine,
  type Harness,
} from '../scenarios/harness.js';

const LEDGER = 'ledger';
const ENTRY_TYPE = 'clearance.ledger-entry';
const INTENT_TYPE = 'clearance.ledger-intent';
const ENTRY_DOMAIN = 'test.ledger-entry.v1';
const KEEPER = { name: 'lee', roles: ['ledger-keeper'] };

/** The ledger's built-in source: its plans need a keeper; ledger artifacts elsewhere are denied. */
class LedgerSource implements PolicySource {
  readonly name = 'ledger-rules';
  readonly kind = 'custom';
  readonly digest = 'a'.repeat(64);

  evaluate(input: PolicyInput, ctx: EvaluationContext): Promise<readonly PolicyResult[]> {
    const own = input.engine.id === LEDGER;
    const decision: Decision = own ? 'require_approval' : 'deny';
    const reason = own ? 'every ledger entry needs a keeper' : 'ledger artifacts from elsewhere';
    return Promise.resolve([
      {
        evaluation: {
          source: 'custom',
          policy_id: `${this.name}/${own ? 'keeper' : 'foreign'}`,
          decision,
          severity: DECISION_SEVERITY[decision],
          reason,
          evaluated_at: ctx.now(),
        },
        ...(own ? { requires: { role: 'ledger-keeper', reason } } : { violations: [reason] }),
      },
    ]);
  }
}

/** What the ledger domain saw, for the assertions. */
interface Seen {
  readonly recovered: RecoveredWorkflow[][];
  readonly checkedOutputDirs: (string | undefined)[];
}

async function putRecord(host: DomainHost, value: JsonObject): Promise<string> {
  return (await host.cas.put(Buffer.from(canonicalize(value), 'utf8'))).address;
}

/** The plan artifact's body, read from the store (never from the engine's folder). */
async function planBody(outputs: TakeoffOutputs): Promise<string | undefined> {
  const plan = outputs.artifacts.artifacts.find((a) => a.name === 'plan');
  if (plan?.body === null || plan?.body === undefined) return undefined;
  return (await outputs.host.cas.get(plan.body.address)).toString('utf8');
}

/** A test-only domain: its own source, proposal check, output check, release, stamps, recovery. */
function ledgerDomain(seen: Seen) {
  return defineDomain({
    name: LEDGER,
    engines: [LEDGER],
    checkProposal: (config) => {
      if (Object.hasOwn(config, 'forbidden')) {
        throw new ClearanceError('VALIDATION_FAILED', 'a ledger request has no `forbidden`');
      }
    },
    claims: (input) => input.artifacts.some((a) => a.artifact_type.startsWith('ledger.')),
    policySources: [new LedgerSource()],
    refusedTakeoffKind: 'ledger',
    stamps: (engine) => ({ ledger_engine: `${engine.id}@${engine.version}`, ledger_book: 'L-7' }),
    checkOutputs: async (outputs): Promise<OutputCheck> => {
      seen.checkedOutputDirs.push(outputs.outputDir);
      const body = await planBody(outputs);
      const versions = outputs.host.versions({ ledger_book: 'L-7' });
      const base = {
        kind: 'ledger',
        workflow_id: outputs.view().workflow_id,
        actor: outputs.actor,
        request: { workflow_id: outputs.view().workflow_id, action: 'takeoff' },
      };
      if (outputs.outputDir === undefined || body !== 'the plan\n') {
        const reason = 'the stored plan is not a ledger entry';
        return {
          ok: false,
          code: 'VALIDATION_FAILED',
          reason,
          run: { ...base, status: 'ERROR', code: 'VALIDATION_FAILED', reason, versions },
        };
      }
      return {
        ok: true,
        release: async () => {
          const id = outputs.view().workflow_id;
          const intent = await putRecord(outputs.host, { domain: `${ENTRY_DOMAIN}.intent`, id });
          await outputs.recordAhead({
            name: 'ledger-intent',
            hash: intent,
            type: INTENT_TYPE,
            message: `ledger intent for ${id}`,
          });
          outputs.published();
          const entry = await putRecord(outputs.host, { domain: ENTRY_DOMAIN, id, body });
          return {
            ok: true,
            artifacts: [
              { name: 'ledger-entry', hash: entry, type: ENTRY_TYPE, message: `entry ${entry}` },
            ],
            run: {
              ...base,
              status: 'OK',
              reason: 'ledger entry released',
              details: { entry },
              versions,
            },
          };
        },
      };
    },
    recover: (port) => {
      seen.recovered.push([...port.workflows]);
      return Promise.resolve(
        port.workflows
          .filter((w) => w.log.some((e) => e.entry_type === 'artifact_created'))
          .filter((w) =>
            w.log.some(
              (e) => e.entry_type === 'artifact_created' && e.data.artifact_type === ENTRY_TYPE,
            ),
          )
          .map((w) => ({ workflow_id: w.id, from: LEDGER, action: 'ledger entry present' })),
      );
    },
    views: (reads: WorkflowReads, host: DomainHost) => ({
      /** The released entry of a ledger workflow, read back from the store. */
      entry: async (workflowId: string): Promise<JsonObject | null> => {
        const address = reads.viewOf(workflowId).objects[ENTRY_TYPE];
        if (address === undefined) return null;
        return parseJsonStrict((await host.cas.get(address)).toString('utf8')) as JsonObject;
      },
      /** The run artifacts of a workflow, oldest first. */
      runs: (workflowId: string): Promise<RunArtifact[]> =>
        Promise.all(host.runs.list({ workflowId }).map((e) => host.runs.get(e.run_id))),
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

async function start(
  seen: Seen,
): Promise<{ harness: Harness; ledger: ReturnType<typeof ledgerDomain> }> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, { 'a.txt': 'alpha\n' });
  const engine = await testEngine();
  const ledger = ledgerDomain(seen);
  h = await startHarness(base, {
    engines: [engine, { ...engine, id: LEDGER }],
    rules: { default: 'allow' },
    domains: [ledger],
  });
  return { harness: h, ledger };
}

function propose(harness: Harness, engine: string, config: JsonObject) {
  return harness.orchestrator.propose(
    { engine, workspace: 'demo', config, context: {}, stripped: [] },
    harness.users.agent,
  );
}

describe('I11-1: a third engine through the domain seam', () => {
  it('I11-1 ORCH-11: built-in source, output check, write-ahead release, stamps, recovery and views run end to end', async () => {
    const seen: Seen = { recovered: [], checkedOutputDirs: [] };
    const { harness, ledger } = await start(seen);
    // Recovery ran on open, once, before anything was proposed.
    expect(seen.recovered).toEqual([[]]);

    // The proposal check refuses before anything is recorded.
    await expect(propose(harness, LEDGER, { forbidden: true })).rejects.toSatisfy((e) =>
      hasCode(e, 'VALIDATION_FAILED'),
    );
    expect(await harness.orchestrator.list()).toEqual([]);

    // The configured rules allow everything; the domain's built-in source still demands a keeper.
    const wf = await propose(harness, LEDGER, { behaviour: {} });
    expect(wf.state).toBe('AWAITING_APPROVAL');
    expect(wf.pending_approvals.map((p) => p.required_role)).toEqual(['ledger-keeper']);

    // A take-off refused before the engine ran is stamped by the domain (kind and versions).
    await expect(
      harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator),
    ).rejects.toSatisfy((e) => hasCode(e, 'TRANSITION_ILLEGAL'));
    const out = await harness.orchestrator.approveWorkflow(wf.workflow_id, {
      approved: true,
      reason: 'entry checked',
      user: KEEPER,
    });
    expect(out.state).toBe('READY_FOR_TAKEOFF');
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('COMPLETED');

    // The output check saw the engine's output folder; the release recorded intent then entry.
    expect(seen.checkedOutputDirs).toHaveLength(1);
    expect(seen.checkedOutputDirs[0]).toEqual(expect.any(String));
    const view = harness.orchestrator.viewOf(wf.workflow_id);
    const types = view.artifacts.map((a) => a.artifact_type);
    expect(types.indexOf(INTENT_TYPE)).toBeGreaterThan(-1);
    expect(types.indexOf(ENTRY_TYPE)).toBeGreaterThan(types.indexOf(INTENT_TYPE));
    expect(view.artifacts.find((a) => a.artifact_type === ENTRY_TYPE)?.artifact_id).toBe(
      'main/ledger-entry',
    );

    // The domain's read views (attached to the open orchestrator) show the released entry.
    const views = harness.domains.views(ledger, harness.orchestrator);
    const entry = await views.entry(wf.workflow_id);
    expect(entry).toMatchObject({ domain: ENTRY_DOMAIN, id: wf.workflow_id, body: 'the plan\n' });
    // Run artifacts: the BLOCKED refusal and the OK release carry the domain's kind and stamps.
    const runs = await views.runs(wf.workflow_id);
    const refused = runs.find((r) => r.status === 'BLOCKED');
    expect(refused).toMatchObject({ kind: 'ledger', code: 'TRANSITION_ILLEGAL' });
    expect(refused?.versions).toMatchObject({
      ledger_engine: `${LEDGER}@1.0.0`,
      ledger_book: 'L-7',
      config_fingerprint: expect.any(String),
    });
    const released = runs.find((r) => r.kind === 'ledger' && r.status === 'OK');
    expect(released?.details).toEqual({ entry: view.objects[ENTRY_TYPE] });
    expect(released?.versions).toMatchObject({ ledger_book: 'L-7', clearance: '0.1.0' });
    expect(runs.find((r) => r.kind === 'takeoff')?.status).toBe('OK');
    await harness.close();
    const reopened = await startHarness(
      { root: harness.root, workspace: harness.workspace },
      { engines: [], domains: [ledgerDomain(seen)] },
      { homeDir: harness.homeDir, configText: harness.configText },
    );
    h = reopened;
    // Recovery handed the domain the replayed WAL, with the released entry in it.
    const last = seen.recovered[seen.recovered.length - 1] ?? [];
    expect(last.map((w) => [w.id, w.state])).toEqual([[wf.workflow_id, 'COMPLETED']]);
    await assertHomeConsistent(reopened.homeDir);
  });
});

describe('I11-1: a plan of another engine claimed by the domain', () => {
  it('I11-1 PRE-1: ledger artifacts from an engine without a domain get the ledger source (deny)', async () => {
    const seen: Seen = { recovered: [], checkedOutputDirs: [] };
    const { harness } = await start(seen);
    // Without ledger artifacts the default domain adds nothing: the configured rules allow.
    const plain = await propose(harness, 'test', { behaviour: {} });
    expect(plain.state).toBe('READY_FOR_TAKEOFF');
    const smuggled = await propose(harness, 'test', {
      behaviour: {
        artifacts: [{ name: 'entry', role: 'evidence', body: 'x\n', type: 'ledger.x' }],
      },
    });
    expect(smuggled.state).toBe('FAILED');
    expect(smuggled.last_decision).toBe('deny');
    expect(smuggled.failure).toContain('ledger artifacts from elsewhere');
  });
});

describe('I11-1: the domain output check refuses before anything is released', () => {
  it('I11-1 ORCH-11: a refused check fails the take-off with the domain ERROR run and no release', async () => {
    const seen: Seen = { recovered: [], checkedOutputDirs: [] };
    const { harness, ledger } = await start(seen);
    const wf = await propose(harness, LEDGER, {
      behaviour: { artifacts: [{ name: 'plan', role: 'evidence', body: 'tampered\n' }] },
    });
    await harness.orchestrator.approveWorkflow(wf.workflow_id, {
      approved: true,
      reason: 'looks fine',
      user: KEEPER,
    });
    const done = await harness.orchestrator.takeoff(wf.workflow_id, harness.users.operator);
    expect(done.state).toBe('FAILED');
    expect(done.failure).toContain('VALIDATION_FAILED');
    const view = harness.orchestrator.viewOf(wf.workflow_id);
    expect(view.objects[INTENT_TYPE]).toBeUndefined();
    expect(view.objects[ENTRY_TYPE]).toBeUndefined();
    const runs = await harness.domains.views(ledger, harness.orchestrator).runs(wf.workflow_id);
    expect(runs.find((r) => r.kind === 'ledger')).toMatchObject({
      status: 'ERROR',
      code: 'VALIDATION_FAILED',
    });
    await assertHomeConsistent(harness.homeDir);
  });
});
