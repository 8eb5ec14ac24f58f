/**
 * `clearance demo`: the first-run demo is created through the real authority (sandbox, policy,
 * approvals) — a GREEN rosette awaiting approval, a RED pocket denied with its reasons, a released
 * rosette with G-code in the store and the spool, and a patch awaiting approval — plus demo users
 * whose tokens are written to 0600 files. A second run is refused (the users exist).
 */
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuthority } from '@clearance/authority';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';

let root: string | undefined;
afterEach(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('clearance demo', () => {
  it('seeds users and workflows in the five demo states', async () => {
    root = await mkdtemp(join(tmpdir(), 'clearance-demo-'));
    await chmod(root, 0o711);
    const home = join(root, 'home');
    const ws = join(root, 'ws');
    const cncWs = join(root, 'cnc');
    for (const dir of [ws, cncWs]) {
      await mkdir(dir, { mode: 0o755 });
      await chown(dir, 65534, 65534);
    }
    const init = await run(
      'init',
      '--home',
      home,
      '--workspace',
      `demo=${ws}`,
      '--workspace',
      `cnc=${cncWs}`,
    );
    expect(init.code, init.err).toBe(0);
    const r = await run('demo', '--home', home, '--json');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as {
      users: Record<string, { token: string; file: string }>;
      workflows: Record<string, { workflow_id: string; state: string }>;
    };
    expect(Object.keys(result.users).sort()).toEqual([
      'agent',
      'approver',
      'operator',
      'supervisor',
    ]);
    for (const u of Object.values(result.users)) {
      expect((await stat(u.file)).mode & 0o777).toBe(0o600);
      expect((await readFile(u.file, 'utf8')).trim()).toBe(u.token);
    }
    expect(result.workflows).toMatchObject({
      rosette_awaiting_approval: { state: 'AWAITING_APPROVAL' },
      red_pocket_denied: { state: 'FAILED' },
      yellow_rosette_denied: { state: 'FAILED' },
      rosette_released: { state: 'COMPLETED' },
      patch_awaiting_approval: { state: 'AWAITING_APPROVAL' },
    });
    expect(await readdir(join(home, 'spool'))).toHaveLength(1);
    const runtime = await openAuthority({ homeDir: home });
    try {
      const red = await runtime.cnc.job(result.workflows['red_pocket_denied']?.workflow_id ?? '');
      expect(red.feasibility?.risk_level).toBe('RED');
      expect(red.feasibility?.rules_triggered).toContain('F022');
      expect(red.workflow.record.policy_evaluations.map((p) => p.policy_name)).toContain(
        'cnc-feasibility/red',
      );
      // CNC plans live in their own workspace; the patch in the demo one.
      expect(red.workflow.workspace).toBe('cnc');
      const patchId = result.workflows['patch_awaiting_approval']?.workflow_id ?? '';
      expect((await runtime.orchestrator.get(patchId)).workspace).toBe('demo');
    } finally {
      await runtime.close();
    }
    expect((await run('demo', '--home', home)).code).toBe(2);
  });
});
