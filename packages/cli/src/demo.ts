/**
 * `clearance demo`: seed a fresh home with demo users and workflows in interesting states, through
 * the real authority (sandbox, policy, approvals: nothing is faked):
 *
 * - users `operator`, `approver`, `agent` and `supervisor` (tokens printed once and written to
 *   `secrets/<name>.token`, 0600);
 * - a GREEN rosette awaiting approval, a RED pocket denied with its reasons, a YELLOW rosette
 *   denied until a supervisor overrides it, a released rosette (approved by the approver, taken
 *   off by the operator: G-code in the store and the spool) and a patch awaiting approval.
 *
 * Run it while the server is stopped (it needs the home lock), once, right after `init`.
 */
import { chown, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  configPath,
  loadConfig,
  openAuthority,
  resolveHomeDir,
  type Principal,
} from '@clearance/authority';
import { ClearanceError, isErrorCode, type JsonObject } from '@clearance/protocol';
import type { HomeFlag } from './commands.js';
import { EXIT, json, type Io } from './output.js';
import { assertWorkspacesReachable, homeProblem } from './workspace-access.js';

const DEMO_USERS = [
  ['operator', ['operator']],
  ['approver', ['approver']],
  ['agent', ['agent']],
  ['supervisor', ['supervisor']],
] as const;

/** The demo's rosette: a 3 mm channel around a 100 mm soundhole, GREEN on a desktop router. */
export function demoRosette(outer = 51.5): JsonObject {
  return {
    units: 'mm',
    machine: 'grbl-desktop',
    tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
    material: { id: 'spruce', hardness: 'soft', thickness: 3, resinous: true },
    cutting: {
      stepover: 0.4,
      stepdown: 0.5,
      final_depth: 1.5,
      feed_xy: 800,
      feed_z: 200,
      rpm: 12000,
      safe_z: 5,
      climb: true,
      coolant: false,
    },
    operations: [
      {
        kind: 'rosette',
        cx: 200,
        cy: 200,
        rings: [{ inner_radius: outer - 3, outer_radius: outer }],
      },
    ],
    stock: { x: 100, y: 100, width: 200, length: 200 },
  };
}

/** A YELLOW rosette (F011: the plunge feed is above the cutting feed): denied until overridden. */
export function demoYellowRosette(): JsonObject {
  const job = demoRosette(60);
  const cutting = job['cutting'];
  return {
    ...job,
    cutting: { ...(isObject(cutting) ? cutting : {}), feed_xy: 600, feed_z: 650 },
  };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A RED pocket: 8 mm deep in 6 mm stock (F022), far deeper than the tool is wide. */
export function demoRedPocket(): JsonObject {
  return {
    units: 'mm',
    machine: 'grbl-desktop',
    tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
    material: { id: 'maple', hardness: 'medium', thickness: 6, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 0.5,
      final_depth: 8,
      feed_xy: 800,
      feed_z: 200,
      rpm: 12000,
      safe_z: 5,
      climb: true,
      coolant: false,
    },
    operations: [{ kind: 'rect_pocket', x: 150, y: 150, width: 60, length: 40 }],
    stock: { x: 100, y: 100, width: 200, length: 200 },
  };
}

const NOTE_FILE = 'NOTES.txt';
const NOTE_BEFORE = 'Bracing: X pattern, 6 mm spruce.';
const NOTE_AFTER = 'Bracing: X pattern, 6.5 mm spruce (stiffer top).';

function demoPatch(): string {
  return `diff --git a/${NOTE_FILE} b/${NOTE_FILE}\n--- a/${NOTE_FILE}\n+++ b/${NOTE_FILE}\n@@ -1 +1 @@\n-${NOTE_BEFORE}\n+${NOTE_AFTER}\n`;
}

/** What `clearance demo` created. */
export interface DemoResult {
  readonly users: Readonly<Record<string, { token: string; file: string }>>;
  readonly workflows: Readonly<Record<string, { workflow_id: string; state: string }>>;
}

/** Seed the home (see the module comment). */
export async function seedDemo(homeDir: string): Promise<DemoResult> {
  // Item 14: the demo launches engines at once; a workspace or home the sandbox users cannot
  // reach would otherwise surface as a failed flight-plan and a misleading approval refusal.
  await assertWorkspacesReachable((await loadConfig(configPath(homeDir))).workspaces);
  const home = await homeProblem(homeDir);
  if (home !== undefined) throw home;
  const runtime = await openAuthority({ homeDir });
  try {
    const users: Record<string, { token: string; file: string }> = {};
    for (const [name, roles] of DEMO_USERS) {
      const { token } = await runtime.home.addUser(name, roles, 'clearance demo');
      const file = join(homeDir, 'secrets', `${name}.token`);
      await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
      users[name] = { token, file };
    }
    const who = (name: string, roles: readonly string[]): Principal => ({ name, roles });
    const agent = who('agent', ['agent']);
    // Patches go to the first workspace; CNC jobs to the `cnc` one when configured.
    const workspace = runtime.config.workspaces[0];
    if (workspace === undefined) {
      throw new ClearanceError('WORKSPACE_UNKNOWN', 'the demo needs a configured workspace');
    }
    const cncWorkspace = runtime.config.workspaces.find((w) => w.name === 'cnc') ?? workspace;
    const o = runtime.orchestrator;
    const cnc = (job: JsonObject) =>
      o.propose(
        { engine: 'cnc', workspace: cncWorkspace.name, config: { job }, context: {}, stripped: [] },
        agent,
      );
    // The workspace file first: every plan binds the workspace hash, so a later change to the
    // workspace would (rightly) invalidate the cnc plans made before it.
    await seedWorkspaceFile(workspace.path);
    const released = failedWhy(await cnc(demoRosette(45)));
    await o.approveWorkflow(released.workflow_id, {
      approved: true,
      reason: 'demo: channel width and depth checked against the purfling',
      user: who('approver', ['approver']),
    });
    const done = failedWhy(await o.takeoff(released.workflow_id, who('operator', ['operator'])));
    const awaiting = await cnc(demoRosette());
    const red = await cnc(demoRedPocket());
    const yellow = await cnc(demoYellowRosette());
    const patch = await o.propose(
      {
        engine: 'patch',
        workspace: workspace.name,
        config: { patch: demoPatch() },
        context: {},
        stripped: [],
      },
      agent,
    );
    return {
      users,
      workflows: {
        rosette_awaiting_approval: { workflow_id: awaiting.workflow_id, state: awaiting.state },
        red_pocket_denied: { workflow_id: red.workflow_id, state: red.state },
        yellow_rosette_denied: { workflow_id: yellow.workflow_id, state: yellow.state },
        rosette_released: { workflow_id: done.workflow_id, state: done.state },
        patch_awaiting_approval: { workflow_id: patch.workflow_id, state: patch.state },
      },
    };
  } finally {
    await runtime.close();
  }
}

/**
 * A demo workflow that failed stops the demo with the workflow's own reason (item 14): its code
 * is the first closed-list code of the failure text (the engine's own code leads it), instead of
 * a later, misleading refusal such as APPROVAL_NOT_PENDING.
 */
export function failedWhy<T extends { workflow_id: string; state: string; failure?: string }>(
  view: T,
): T {
  if (view.state !== 'FAILED') return view;
  const failure = view.failure ?? 'unknown failure';
  const code = failure.match(/[A-Z][A-Z0-9_]{2,}/g)?.find((c) => isErrorCode(c)) ?? 'ENGINE_FAILED';
  throw new ClearanceError(code, `demo workflow ${view.workflow_id} failed: ${failure}`);
}

/** The workspace file the demo patch changes, owned like the workspace (the sandbox writes it). */
async function seedWorkspaceFile(dir: string): Promise<void> {
  const file = join(dir, NOTE_FILE);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === undefined) await writeFile(file, `${NOTE_BEFORE}\n`, { mode: 0o644 });
  else if (existing !== `${NOTE_BEFORE}\n`) return;
  const owner = await stat(dir);
  if (process.getuid?.() === 0) await chown(file, owner.uid, owner.gid);
}

/** `clearance demo`. */
export async function demoCommand(io: Io, opts: HomeFlag): Promise<number> {
  const result = await seedDemo(resolveHomeDir(opts.home));
  if (opts.json === true) {
    io.out(json(result));
    return EXIT.ok;
  }
  io.out(
    [
      'Demo users (tokens shown once; also written to these 0600 files):',
      ...Object.entries(result.users).map(([n, u]) => `  ${n.padEnd(10)} ${u.token}  (${u.file})`),
      'Demo workflows:',
      ...Object.entries(result.workflows).map(
        ([k, w]) => `  ${k.padEnd(26)} ${w.workflow_id}  ${w.state}`,
      ),
    ].join('\n'),
  );
  return EXIT.ok;
}
