/**
 * Shared by the requirement tests (I11-6): one running harness per test, closed and removed after
 * it, and the WAL read back as its entries' `data`. Importing this registers the teardown.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';
import {
  cleanup,
  handWorkspace,
  makeRoot,
  modifyDiff,
  startHarness,
  type Harness,
  type HarnessOptions,
} from '../scenarios/harness.js';

let current: Harness | undefined;

/** Close and remove the running harness, if any (also done after every test). */
export async function closeScenario(): Promise<void> {
  const h = current;
  current = undefined;
  if (h === undefined) return;
  await h.close().catch(() => undefined);
  if (process.env['CLEARANCE_KEEP'] !== '1') await cleanup(h.root);
}

afterEach(closeScenario);

/** A fresh root whose workspace holds `files` (owned by the sandbox user), and a harness on it. */
export async function startScenario(
  files: Record<string, string>,
  options: HarnessOptions = {},
): Promise<Harness> {
  const base = await makeRoot();
  await handWorkspace(base.workspace, files);
  current = await startHarness(base, options);
  return current;
}

/** Restart the running harness over the same home (kept for the teardown). */
export async function restartScenario(h: Harness): Promise<Harness> {
  current = await h.reopen();
  return current;
}

/** The `data` of every entry of one workflow's WAL, in order. */
export async function walData(homeDir: string, workflowId: string): Promise<JsonObject[]> {
  const text = await readFile(join(homeDir, 'workflows', workflowId, 'wal.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => ((parseJsonStrict(l) as JsonObject)['data'] ?? {}) as JsonObject);
}

/** Propose, as the agent, a patch workflow that changes one line of `path`. */
export function proposePatch(
  h: Harness,
  change: { path: string; before: string; after: string },
  context: JsonObject = {},
): ReturnType<Harness['orchestrator']['propose']> {
  return h.orchestrator.propose(
    {
      engine: 'patch',
      workspace: 'demo',
      config: { patch: modifyDiff(change.path, change.before, change.after) },
      context,
      stripped: [],
    },
    h.users.agent,
  );
}

/** Every `.ts` file below `dir`, recursively. */
export async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await tsFiles(path)));
    else if (e.name.endsWith('.ts')) out.push(path);
  }
  return out;
}
