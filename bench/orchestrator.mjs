/**
 * Orchestrator benchmarks (issue 3), against the BUILT packages:
 *   4a  overhead of one governed workflow (flight-plan, validation, token, preflight, verify,
 *       take-off, V4/V5, WAL, audit) with a no-op engine, versus launching the same no-op engine
 *       twice (flight-plan + take-off) in bubblewrap directly — interleaved, medians; target ≤ 1.5×
 *   4b  workflows per second sustained over 1,000 full workflows (propose → approve → take-off)
 *   4c  recovery time when the authority restarts on those 1,000 workflows
 *   4d  throughput with 8 concurrent proposers against 1 proposer, same home, same run,
 *       alternating rounds (issue 10, U4: concurrent engine launches are bounded and each
 *       flight-plan has its own process budget; no workflow may fail)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BubblewrapSandbox, ClearanceHome, configPath, openAuthority } from '@clearance/authority';

const NOOP = fileURLToPath(new URL('./fixtures/noop-engine.mjs', import.meta.url));
const OVERHEAD_REPS = 25;
const SUSTAINED = Number(process.env.BENCH_WORKFLOWS ?? 1000);
const CONCURRENCY = 4;
const OVERHEAD_TARGET = 1.5;
const PROPOSERS = 8;
const ROUND_WORKFLOWS = Number(process.env.BENCH_ROUND_WORKFLOWS ?? 32);
const ROUNDS = 3;

const users = {
  agent: { name: 'agent-1', roles: ['agent'] },
  approver: { name: 'alice', roles: ['approver'] },
  operator: { name: 'olga', roles: ['operator'] },
};

async function home(tmp, label, rules) {
  const root = join(tmp, label);
  await mkdir(root, { recursive: true, mode: 0o711 });
  await chmod(tmp, 0o711);
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { mode: 0o755 });
  await writeFile(join(workspace, 'README'), 'bench\n');
  await chown(workspace, 65534, 65534);
  const homeDir = join(root, 'home');
  const init = await ClearanceHome.init(homeDir);
  await init.home.close();
  const sha256 = createHash('sha256')
    .update(await readFile(NOOP))
    .digest('hex');
  const config = {
    version: 1,
    engines: [
      { id: 'noop', version: '1.0.0', executable: NOOP, sha256, interpreter: '/usr/bin/node' },
    ],
    workspaces: [{ name: 'demo', path: workspace, exclude: [] }],
    policy: { sources: [{ name: 'rules', kind: 'rules', config: rules }] },
  };
  await writeFile(configPath(homeDir), JSON.stringify(config), { mode: 0o644 });
  return { homeDir, workspace };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function directLaunch(sandbox, dir, workspace, mode, i) {
  const run = join(dir, `${mode}-${i}`);
  await mkdir(run, { mode: 0o711 });
  const artifacts = join(run, 'artifacts');
  const temp = join(run, 'tmp');
  await mkdir(artifacts);
  await mkdir(temp);
  let output;
  if (mode === 'take-off') {
    output = join(run, 'output');
    await mkdir(output);
  }
  const input = {
    protocol_version: '0.1.0',
    mode,
    meta: { workflow_id: 'wf-bench', step_id: 'main' },
    config: {},
  };
  const result = await sandbox.run({
    mode,
    executable: NOOP,
    interpreter: '/usr/bin/node',
    args: [],
    mounts: { workspace, artifacts, temp, ...(output === undefined ? {} : { output }) },
    stdin: Buffer.from(JSON.stringify(input)),
    limits: {
      wallTimeMs: 60_000,
      memoryBytes: 512 * 1024 * 1024,
      stdoutBytes: 1 << 20,
      stderrBytes: 1 << 18,
      fileSizeBytes: 1 << 26,
      processes: 64,
    },
  });
  if (result.exitCode !== 0) throw new Error(`direct launch failed: ${result.stderr}`);
}

async function oneWorkflow(o) {
  const wf = await o.propose(
    { engine: 'noop', workspace: 'demo', config: {}, context: {}, stripped: [] },
    users.agent,
  );
  let state = wf.state;
  if (state === 'AWAITING_APPROVAL') {
    const out = await o.approve({
      approvalId: wf.pending_approvals[0].approval_id,
      approved: true,
      user: users.approver,
    });
    state = out.state;
  }
  if (state !== 'READY_FOR_TAKEOFF') throw new Error(`workflow stopped in ${state}`);
  const done = await o.takeoff(wf.workflow_id, users.operator);
  if (done.state !== 'COMPLETED') throw new Error(`workflow ended ${done.state}: ${done.failure}`);
}

export async function benchOrchestrator(tmp, { row, log, fmt, fmtInt, passFail }) {
  // Earlier sections leave hundreds of MiB of dirty pages; their writeback would slow every fsync
  // of this section. Start from a quiet disk.
  execFileSync('sync');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  // 4a: overhead ratio, interleaved.
  const a = await home(tmp, 'overhead', { default: 'allow' });
  const runtime = await openAuthority({ homeDir: a.homeDir });
  const sandbox = await BubblewrapSandbox.create();
  const directDir = join(tmp, 'direct');
  await mkdir(directDir, { mode: 0o711 });
  const wfMs = [];
  const directMs = [];
  for (let i = -2; i < OVERHEAD_REPS; i++) {
    let t = performance.now();
    await oneWorkflow(runtime.orchestrator);
    const w = performance.now() - t;
    t = performance.now();
    await directLaunch(sandbox, directDir, a.workspace, 'flight-plan', i + 2);
    await directLaunch(sandbox, directDir, a.workspace, 'take-off', i + 2);
    const d = performance.now() - t;
    if (i >= 0) {
      wfMs.push(w);
      directMs.push(d);
    }
  }
  await runtime.close();
  const ratio = median(wfMs) / median(directMs);
  log(`4a workflow ${fmt(median(wfMs))} ms vs two direct launches ${fmt(median(directMs))} ms`);
  row(
    '4a',
    `Governed workflow with a no-op engine (allow policy; flight-plan + take-off) vs the same engine launched twice in bubblewrap directly (median of ${OVERHEAD_REPS}, interleaved)`,
    `${fmt(ratio)}× (${fmt(median(wfMs), 1)} ms vs ${fmt(median(directMs), 1)} ms)`,
    `≤ ${OVERHEAD_TARGET}×`,
    passFail(ratio <= OVERHEAD_TARGET),
  );

  // 4b: sustained throughput over SUSTAINED full workflows (with a human approval each).
  const b = await home(tmp, 'sustained', { default: 'require_approval', default_role: 'approver' });
  const rt = await openAuthority({ homeDir: b.homeDir });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SUSTAINED) {
        next += 1;
        await oneWorkflow(rt.orchestrator);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await rt.close();
  log(`4b ${SUSTAINED} workflows in ${fmt(seconds, 1)} s`);
  row(
    '4b',
    `Sustained: ${fmtInt(SUSTAINED)} full workflows (propose → preflight require_approval → approve → take-off → COMPLETED), ${CONCURRENCY} at a time`,
    `${fmt(SUSTAINED / seconds)} workflows/s (${fmt(seconds, 1)} s)`,
    '(info)',
    'INFO',
  );

  // 4c: restart on those workflows (replay every WAL, reconcile the audit log, crash rules).
  const t1 = performance.now();
  const again = await openAuthority({ homeDir: b.homeDir });
  const recoveryMs = performance.now() - t1;
  const count = again.recovery.length;
  await again.close();
  row(
    '4c',
    `Restart and recovery of ${fmtInt(count)} workflows (open home, verify audit log, replay every WAL, reconcile audit events, apply crash rules)`,
    `${fmt(recoveryMs / 1000, 2)} s (${fmt(recoveryMs / count, 2)} ms per workflow)`,
    '(info)',
    'INFO',
  );
  await rm(join(tmp, 'sustained'), { recursive: true, force: true });

  // 4d: 1 proposer vs 8 concurrent proposers, alternating rounds of ROUND_WORKFLOWS full
  // workflows (allow policy: propose → flight-plan → preflight → take-off), medians.
  const d = await home(tmp, 'proposers', { default: 'allow' });
  const rd = await openAuthority({ homeDir: d.homeDir });
  const perSecond = { 1: [], [PROPOSERS]: [] };
  let failures = 0;
  const round = async (proposers) => {
    let left = ROUND_WORKFLOWS;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: proposers }, async () => {
        while (left > 0) {
          left -= 1;
          await oneWorkflow(rd.orchestrator).catch(() => {
            failures += 1;
          });
        }
      }),
    );
    return ROUND_WORKFLOWS / ((performance.now() - t) / 1000);
  };
  await round(PROPOSERS); // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    perSecond[1].push(await round(1));
    perSecond[PROPOSERS].push(await round(PROPOSERS));
  }
  await rd.close();
  const one = median(perSecond[1]);
  const many = median(perSecond[PROPOSERS]);
  log(
    `4d 1 proposer ${fmt(one)} wf/s, ${PROPOSERS} proposers ${fmt(many)} wf/s, ${failures} failed`,
  );
  row(
    '4d',
    `Throughput with ${PROPOSERS} concurrent proposers vs 1 (full workflows, allow policy, ${ROUND_WORKFLOWS} per round, ${ROUNDS} alternating rounds, medians); every workflow must complete`,
    `${fmt(many / one)}× (${fmt(many)} vs ${fmt(one)} workflows/s; ${failures} failed)`,
    '0 failed',
    passFail(failures === 0),
  );
  await rm(join(tmp, 'proposers'), { recursive: true, force: true });
  return {
    overhead: { workflow_ms: wfMs, direct_ms: directMs, ratio },
    sustained: { workflows: SUSTAINED, seconds, per_second: SUSTAINED / seconds },
    recovery: { workflows: count, ms: recoveryMs },
    proposers: {
      proposers: PROPOSERS,
      workflows_per_round: ROUND_WORKFLOWS,
      per_second_1: perSecond[1],
      per_second_many: perSecond[PROPOSERS],
      ratio: many / one,
      failures,
    },
  };
}
