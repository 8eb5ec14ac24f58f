/**
 * Scenario harness: a real Clearance home, the real orchestrator, the real bubblewrap sandbox and
 * real engines (the bundled patch engine, and the scriptable test engine of fixtures/engines).
 * Nothing is mocked; the clock is the system clock unless a test injects one.
 */
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RulesPolicySource, type PolicySource } from '@clearance/governance';
import {
  assertAuditEvent,
  assertWalEntry,
  keyRefFor,
  parseJsonStrict,
  verifyAuditLog,
  type JsonObject,
} from '@clearance/protocol';
import {
  BubblewrapSandbox,
  ClearanceHome,
  loadPublicKey,
  Orchestrator,
  parseConfig,
  RunArtifactStore,
  type Clock,
  type EngineSandbox,
  type FaultHook,
  type IdSource,
  type Principal,
} from '../../src/index.js';
import type { Domain } from '../../src/domain/domain.js';
import type { DomainRegistry } from '../../src/domain/registry.js';
import { builtinDomains } from '../../src/engines/builtin.js';
import { EngineRegistry } from '../../src/config/registry.js';
import { trail } from '../../src/workflow/reducer.js';
import { findSecrets, secretNeedles } from '../../src/orchestrator/secret-scan.js';
import { parseWal } from '../../src/workflow/wal.js';
import { WalMacKey } from '../../src/workflow/wal-key.js';
import { walEvent } from '../../src/orchestrator/wal-events.js';
import { engineBundle } from '../../../../test/support/engine-bundles.js';

export const SANDBOX_UID = 65534;

/** The patch engine bundle (built once by global setup). */
export function patchEngine(): Promise<{ file: string; sha256: string }> {
  return Promise.resolve(engineBundle('patch'));
}

/** The cnc engine bundle (built once by global setup). */
export function cncEngine(): Promise<{ file: string; sha256: string }> {
  return Promise.resolve(engineBundle('cnc'));
}

/** sha256 of a file. */
export async function fileSha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export interface EngineSpec {
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  readonly limits?: JsonObject;
  readonly secrets?: readonly { name: string; env: string }[];
}

export interface HarnessOptions {
  readonly engines?: readonly EngineSpec[];
  readonly rules?: JsonObject;
  readonly approvalsTtlMs?: number;
  /** Further `approvals` settings (e.g. `require_signature`). */
  readonly approvals?: JsonObject;
  readonly clock?: Clock;
  readonly faults?: FaultHook;
  readonly policySources?: readonly PolicySource[];
  readonly ids?: IdSource;
  /** Wrap the real sandbox (e.g. to simulate a sandbox escape for defence-in-depth checks). */
  readonly sandboxWrap?: (s: EngineSandbox) => EngineSandbox;
  /** Domains registered beside the built-in ones (I11-1: a third engine through the seam). */
  readonly domains?: readonly Domain[];
}

/** A running authority over a fresh home and workspace. */
export interface Harness {
  readonly root: string;
  readonly homeDir: string;
  readonly workspace: string;
  readonly home: ClearanceHome;
  readonly orchestrator: Orchestrator;
  /** The registered domains (built-in and `options.domains`), attached to the orchestrator. */
  readonly domains: DomainRegistry;
  /** The run artifacts the orchestrator records (the runtime's `runs`). */
  readonly runs: RunArtifactStore;
  readonly users: { agent: Principal; approver: Principal; operator: Principal; rm: Principal };
  readonly configText: string;
  close(): Promise<void>;
  reopen(): Promise<Harness>;
}

export const DEFAULT_RULES: JsonObject = {
  default: 'require_approval',
  default_role: 'approver',
  rules: [
    {
      id: 'no-env-files',
      match: { engine: ['patch'], path: ['**/.env', '.env'] },
      decision: 'deny',
      reason: 'secrets files are never changed by agents',
    },
  ],
};

/** Create a root folder the sandbox user can traverse, with a workspace it can read and write. */
export async function makeRoot(): Promise<{ root: string; workspace: string }> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-scn-'));
  await chmod(root, 0o711);
  const workspace = join(root, 'workspace');
  await mkdir(workspace, { mode: 0o755 });
  return { root, workspace };
}

/** Give the workspace tree to the sandbox user (take-off writes as uid 65534). */
export async function handWorkspace(
  workspace: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const full = join(workspace, path);
    await mkdir(join(full, '..'), { recursive: true, mode: 0o755 });
    await writeFile(full, text, { mode: 0o644 });
    await chown(full, SANDBOX_UID, SANDBOX_UID);
    for (
      let dir = join(full, '..');
      dir.startsWith(workspace) && dir !== workspace;
      dir = join(dir, '..')
    ) {
      await chown(dir, SANDBOX_UID, SANDBOX_UID);
    }
  }
  await chown(workspace, SANDBOX_UID, SANDBOX_UID);
}

export async function startHarness(
  base: { root: string; workspace: string },
  options: HarnessOptions = {},
  existing?: { homeDir: string; configText: string },
): Promise<Harness> {
  const homeDir = existing?.homeDir ?? join(base.root, 'home');
  let home: ClearanceHome;
  let configText: string;
  if (existing === undefined) {
    const init = await ClearanceHome.init(homeDir, homeOptions(options));
    home = init.home;
    const patch = await patchEngine();
    const engines = [
      { id: 'patch', file: patch.file, sha256: patch.sha256 },
      ...(options.engines ?? []),
    ].map((e) => ({
      id: e.id,
      version: '1.0.0',
      executable: e.file,
      sha256: e.sha256,
      interpreter: '/usr/bin/node',
      limits: { wall_time_ms: 20_000, ...('limits' in e ? e.limits : {}) },
      ...('secrets' in e && e.secrets !== undefined ? { secrets: e.secrets } : {}),
    }));
    configText = JSON.stringify({
      version: 1,
      engines,
      workspaces: [{ name: 'demo', path: base.workspace, exclude: [] }],
      policy: {
        timeout_ms: 5000,
        aggregation: 'most_restrictive',
        sources: [{ name: 'rules', kind: 'rules', config: options.rules ?? DEFAULT_RULES }],
      },
      approvals: {
        ...(options.approvalsTtlMs === undefined ? {} : { ttl_ms: options.approvalsTtlMs }),
        ...options.approvals,
      },
    });
  } else {
    home = await ClearanceHome.open(homeDir, homeOptions(options));
    configText = existing.configText;
  }
  const config = parseConfig(configText);
  const sources =
    options.policySources ??
    config.policy.sources.map((s) => RulesPolicySource.fromConfig(s.name, s.config));
  const runs = await RunArtifactStore.open(home.cas, join(homeDir, 'runs'));
  const domains = builtinDomains({ config, homeDir }, options.domains).registry;
  const { orchestrator } = await Orchestrator.open({
    home,
    config,
    registry: new EngineRegistry(config),
    sandbox: (options.sandboxWrap ?? ((x: EngineSandbox) => x))(await BubblewrapSandbox.create()),
    policySources: sources,
    runs,
    domains,
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
  const users = {
    agent: { name: 'agent-1', roles: ['agent'] },
    approver: { name: 'alice', roles: ['approver'] },
    operator: { name: 'olga', roles: ['operator'] },
    rm: { name: 'rita', roles: ['release-manager'] },
  };
  const harness: Harness = {
    root: base.root,
    homeDir,
    workspace: base.workspace,
    home,
    orchestrator,
    domains,
    runs,
    users,
    configText,
    close: async () => {
      await orchestrator.close();
      await runs.close();
      await home.close();
    },
    reopen: async () => {
      await orchestrator.close();
      await runs.close();
      await home.close();
      return startHarness(base, options, { homeDir, configText });
    },
  };
  return harness;
}

function homeOptions(o: HarnessOptions): { clock?: Clock; ids?: IdSource } {
  return {
    ...(o.clock === undefined ? {} : { clock: o.clock }),
    ...(o.ids === undefined ? {} : { ids: o.ids }),
  };
}

/** The scriptable test engine (fixtures/test-engine.mjs), readable by the sandbox user. */
export async function testEngine(): Promise<EngineSpec> {
  const file = fileURLToPath(new URL('./fixtures/test-engine.mjs', import.meta.url));
  return { id: 'test', file, sha256: await fileSha256(file) };
}

/** A clock tests can move. */
export function manualClock(
  start = Date.parse('2026-03-01T10:00:00.000Z'),
): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => (t += 1),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Remove a scenario root. */
export async function cleanup(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/**
 * The closing assertions of every scenario (§6 preamble): every audit event and WAL entry
 * validates, the audit chain verifies, and no canary appears anywhere.
 */
export async function assertHomeConsistent(
  homeDir: string,
  canaries: readonly string[] = [],
): Promise<void> {
  const log = await readFile(join(homeDir, 'audit', 'events.jsonl'));
  const checkpoints = await readFile(join(homeDir, 'audit', 'checkpoints.jsonl'));
  const publicKey = await loadPublicKey(join(homeDir, 'keys'));
  const result = verifyAuditLog({
    log,
    checkpoints,
    trustedKeys: new Map([[keyRefFor(publicKey), publicKey]]),
  });
  if (!result.ok) throw new Error(`audit log does not verify: ${JSON.stringify(result.break)}`);
  for (const line of log
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)) {
    assertAuditEvent(parseJsonStrict(line));
    for (const c of canaries) if (line.includes(c)) throw new Error(`canary in audit: ${c}`);
  }
  const { readdir } = await import('node:fs/promises');
  const ids = new Map<string, number>();
  for (const line of log
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)) {
    const id = (JSON.parse(line) as { event_id: string }).event_id;
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  for (const id of await readdir(join(homeDir, 'workflows'))) {
    const walBytes = await readFile(join(homeDir, 'workflows', id, 'wal.jsonl'));
    for (const line of walBytes
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)) {
      assertWalEntry(parseJsonStrict(line));
      for (const c of canaries) if (line.includes(c)) throw new Error(`canary in WAL: ${c}`);
    }
    // AUD-10 and S-23: exactly one audit event per WAL entry, found by its deterministic id.
    const parsed = parseWal(walBytes, id, await WalMacKey.load(join(homeDir, 'keys')));
    if (parsed.corruption !== undefined) continue;
    for (const item of trail(parsed.entries)) {
      const ev = walEvent(item.entry, item.state, item.stepType);
      const n = ev.event_id === undefined ? 0 : (ids.get(ev.event_id) ?? 0);
      if (n !== 1) {
        throw new Error(`WAL ${id} entry ${item.entry.sequence} has ${n} audit events (want 1)`);
      }
    }
  }
  await assertNoCanaryUnder(homeDir, canaries);
}

/**
 * B5, U5 (SEC-3, S-26): no canary in any byte of any file under `root` (cas/, runs/, workflows/,
 * audit/, work/, spool/, everything), in any encoding the secret scanner knows: plain, percent-
 * encoded, re-cased, whitespace-split, JSON-escaped, reversed, hex, base64 and base64url at every
 * alignment.
 */
export async function assertNoCanaryUnder(
  root: string,
  canaries: readonly string[],
): Promise<void> {
  if (canaries.length === 0) return;
  const needles = secretNeedles(Object.fromEntries(canaries.map((c, i) => [`canary-${i}`, c])));
  const { lstat, readdir } = await import('node:fs/promises');
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const st = await lstat(path);
      if (st.isDirectory()) await walk(path);
      else if (st.isFile()) {
        const found = findSecrets(await readFile(path), needles);
        if (found.length > 0) {
          throw new Error(
            `canary under the home: ${path} (${found.map((f) => `${f.secret} as ${f.encoding}`).join(', ')})`,
          );
        }
      }
    }
  };
  await walk(root);
}

/** A unified diff that changes one line of `path`. */
export function modifyDiff(path: string, before: string, after: string): string {
  return `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-${before}\n+${after}\n`;
}
