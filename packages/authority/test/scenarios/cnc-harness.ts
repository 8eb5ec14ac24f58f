/**
 * CNC scenario harness: a real home opened with `openAuthority` (the runtime `clearance serve`
 * uses, RMOS service included), the real bubblewrap sandbox and the bundled cnc engine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '@clearance/protocol';
import {
  ClearanceHome,
  configPath,
  openAuthority,
  type AuthorityRuntime,
  type EngineSandbox,
  type Principal,
} from '../../src/index.js';
import { rosetteJob } from '../../../../test/support/cnc-job.js';
import { BubblewrapSandbox } from '../../src/sandbox/index.js';
import { cncEngine, DEFAULT_RULES, makeRoot, patchEngine } from './harness.js';

/** A running authority over a fresh home, with a spool folder of its own. */
export interface CncHarness {
  readonly root: string;
  readonly homeDir: string;
  readonly spool: string;
  readonly runtime: AuthorityRuntime;
  readonly users: Record<'agent' | 'approver' | 'operator' | 'supervisor' | 'other', Principal>;
  close(): Promise<void>;
}

/** Options: extra `cnc` config keys, a sandbox wrapper for defence-in-depth tests. */
export interface CncHarnessOptions {
  readonly cnc?: JsonObject;
  readonly sandboxWrap?: (s: EngineSandbox) => EngineSandbox;
}

/** A fresh home configured for cnc (patch and cnc engines, a spool folder), not opened. */
export async function prepareCncHome(
  options: CncHarnessOptions = {},
): Promise<{ root: string; homeDir: string; spool: string }> {
  const { root, workspace } = await makeRoot();
  const homeDir = join(root, 'home');
  const spool = join(root, 'spool');
  const init = await ClearanceHome.init(homeDir);
  await init.home.close();
  const [patch, cnc] = await Promise.all([patchEngine(), cncEngine()]);
  const engine = (id: string, b: { file: string; sha256: string }) => ({
    id,
    version: '1.0.0',
    executable: b.file,
    sha256: b.sha256,
    interpreter: '/usr/bin/node',
    limits: { wall_time_ms: 30_000 },
  });
  await mkdir(spool, { mode: 0o750 });
  await writeFile(
    configPath(homeDir),
    JSON.stringify({
      version: 1,
      engines: [engine('patch', patch), engine('cnc', cnc)],
      workspaces: [{ name: 'demo', path: workspace, exclude: [] }],
      policy: { sources: [{ name: 'rules', kind: 'rules', config: DEFAULT_RULES }] },
      cnc: { spool_dir: spool, ...options.cnc },
    }),
    { mode: 0o644 },
  );
  return { root, homeDir, spool };
}

export async function startCncHarness(options: CncHarnessOptions = {}): Promise<CncHarness> {
  const { root, homeDir, spool } = await prepareCncHome(options);
  const sandbox = await BubblewrapSandbox.create();
  const runtime = await openAuthority({
    homeDir,
    sandbox: (options.sandboxWrap ?? ((s: EngineSandbox) => s))(sandbox),
  });
  return {
    root,
    homeDir,
    spool,
    runtime,
    users: {
      agent: { name: 'agent-1', roles: ['agent'] },
      approver: { name: 'alice', roles: ['approver'] },
      operator: { name: 'olga', roles: ['operator'] },
      supervisor: { name: 'sam', roles: ['supervisor'] },
      other: { name: 'otto', roles: ['approver', 'agent'] },
    },
    close: () => runtime.close(),
  };
}

/** A GREEN job: the shared rosette fixture (test/support/cnc-job.ts). */
export function greenJob(): JsonObject {
  return rosetteJob();
}

/** YELLOW (F011): the plunge feed is above the cutting feed. */
export function yellowJob(): JsonObject {
  const job = greenJob();
  return { ...job, cutting: { ...(job['cutting'] as JsonObject), feed_xy: 600, feed_z: 650 } };
}

/** RED (F022, F030): the final depth goes through the 6 mm stock. */
export function redJob(): JsonObject {
  const job = greenJob();
  return { ...job, cutting: { ...(job['cutting'] as JsonObject), final_depth: 8 } };
}
