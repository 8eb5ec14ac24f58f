/** Shared fixtures for the plan-layer tests: temp folders, artifact directories, receipts. */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineArtifact, EngineOutput } from '@clearance/protocol';

export const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

const temps: string[] = [];

/** A fresh temp folder, removed by {@link removeTemps}. */
export async function tempDir(prefix = 'clearance-plan-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Make a tree writable again (restored copies are 0555) so that it can be removed. */
async function unlock(path: string): Promise<void> {
  const st = await lstat(path).catch(() => null);
  if (st === null || !st.isDirectory()) return;
  await chmod(path, 0o755);
  for (const name of await readdir(path)) await unlock(join(path, name));
}

/** Remove every folder made by {@link tempDir}. */
export async function removeTemps(): Promise<void> {
  for (const dir of temps.splice(0)) {
    await unlock(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/** An error's code and detail, or undefined when nothing was thrown. */
export async function errorOf(
  p: Promise<unknown> | (() => unknown),
): Promise<{ code?: string; detail?: Record<string, unknown> } | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err as { code?: string; detail?: Record<string, unknown> };
  }
  return undefined;
}

/** One artifact to write: `meta` is an object (serialised) or raw artifact.json text. */
export interface FixtureArtifact {
  readonly name: string;
  readonly role?: string;
  readonly meta?: Record<string, unknown> | string;
  readonly body?: string | Buffer;
}

export const baseMeta = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  artifact_type: 'file',
  action: 'create',
  mime: 'text/plain',
  ...extra,
});

/** Write artifact folders into `dir` and return the matching receipt entries (correct hashes). */
export async function writeArtifacts(
  dir: string,
  list: readonly FixtureArtifact[],
): Promise<EngineArtifact[]> {
  const entries: EngineArtifact[] = [];
  for (const a of list) {
    const folder = join(dir, a.name);
    await mkdir(folder, { recursive: true });
    const metaObj = a.meta ?? baseMeta(a.body === undefined ? {} : { body_file: 'body.data' });
    const metaText = typeof metaObj === 'string' ? metaObj : JSON.stringify(metaObj);
    await writeFile(join(folder, 'artifact.json'), metaText);
    if (a.body !== undefined) await writeFile(join(folder, 'body.data'), a.body);
    const bodyBytes = a.body === undefined ? undefined : Buffer.from(a.body);
    entries.push({
      name: a.name,
      role: a.role ?? 'evidence',
      path: `${a.name}/artifact.json`,
      hash: sha(bodyBytes ?? Buffer.from(metaText)),
      size: Buffer.byteLength(metaText) + (bodyBytes?.length ?? 0),
    });
  }
  return entries;
}

/** A success receipt in flight-plan mode listing `artifacts`. */
export function receiptWith(
  artifacts: readonly EngineArtifact[],
  extra: Partial<EngineOutput> = {},
): EngineOutput {
  return {
    protocol_version: '0.1.0',
    engine_id: 'test-engine',
    mode: 'flight-plan',
    receipt_id: 'r-1',
    status: 'success',
    artifacts,
    ...extra,
  };
}
