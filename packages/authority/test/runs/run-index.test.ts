/**
 * Item 7 of issue 10: the run index shares the append-only log primitive of the WAL and the audit
 * log, so a half-written last line is quarantined and cut off instead of being completed by the
 * next append (which made the reopen fail with JSON_INVALID).
 */
import { appendFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAuthority } from '../../src/index.js';
import { FileContentStore } from '../../src/cas/file-store.js';
import { RunArtifactStore, type RunArtifactBody } from '../../src/runs/run-artifacts.js';
import { prepareCncHome } from '../scenarios/cnc-harness.js';
import { cleanup } from '../scenarios/harness.js';

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await cleanup(r);
});

function body(reason: string): RunArtifactBody {
  return {
    kind: 'approval',
    status: 'OK',
    workflow_id: null,
    actor: 'alice',
    reason,
    request: { n: reason },
    versions: { clearance: '0.1.0' },
  };
}

async function fresh(): Promise<{ cas: FileContentStore; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'clearance-runs-'));
  const cas = await FileContentStore.open(join(root, 'cas'));
  return { cas, dir: join(root, 'runs') };
}

describe('run index torn tail (item 7)', () => {
  it('item 7 / AUD-8, WAL-9: a torn last line of runs/index.jsonl is quarantined, not completed by the next append; the reopen succeeds', async () => {
    const { cas, dir } = await fresh();
    const first = await RunArtifactStore.open(cas, dir);
    const a = await first.record(body('a'), { createdAt: '2026-01-01T00:00:00.000Z' });
    await first.close();
    // A crash in the middle of the next index line.
    const torn = '{"address":"0123","created_at":"2026-01-01T00:0';
    await appendFile(join(dir, 'index.jsonl'), torn);
    const second = await RunArtifactStore.open(cas, dir);
    expect(second.recovered?.length).toBe(torn.length);
    const b = await second.record(body('b'), { createdAt: '2026-01-01T00:00:01.000Z' });
    await second.close();
    const third = await RunArtifactStore.open(cas, dir);
    expect(third.recovered).toBeUndefined();
    expect(third.list().map((e) => e.run_id)).toEqual([a.artifact.run_id, b.artifact.run_id]);
    expect((await third.get(b.artifact.run_id)).reason).toBe('b');
    await third.close();
    const q = await readdir(join(dir, 'quarantine'));
    expect(q).toHaveLength(1);
    expect(await readFile(join(dir, 'quarantine', q[0] as string), 'utf8')).toBe(torn);
    expect((await readFile(join(dir, 'index.jsonl'), 'utf8')).includes(torn)).toBe(false);
  });

  it('item 7 / AUD-8: concurrent records are group-committed, each durable and listed once', async () => {
    const { cas, dir } = await fresh();
    const store = await RunArtifactStore.open(cas, dir);
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.record(body(`r${i}`), { createdAt: '2026-01-01T00:00:00.000Z' }),
      ),
    );
    await store.close();
    const reopened = await RunArtifactStore.open(cas, dir);
    expect(
      reopened
        .list()
        .map((e) => e.run_id)
        .sort(),
    ).toEqual(made.map((m) => m.artifact.run_id).sort());
    await reopened.close();
  });

  it('item 7 / AUD-8: the authority records a recovered run-index tail in the audit log (the note)', async () => {
    const { root, homeDir } = await prepareCncHome();
    roots.push(root);
    const torn = '{"address":"torn';
    await mkdir(join(homeDir, 'runs'), { mode: 0o700 });
    await appendFile(join(homeDir, 'runs', 'index.jsonl'), torn);
    const runtime = await openAuthority({ homeDir });
    try {
      const events = await runtime.home.audit.read(0, runtime.home.audit.size);
      const note = events.filter((e) => e.event_type === 'incomplete_entry');
      expect(note).toHaveLength(1);
      expect(note[0]?.message).toContain(`runs/index.jsonl recovered: ${torn.length} bytes`);
    } finally {
      await runtime.close();
    }
    expect(await readdir(join(homeDir, 'runs', 'quarantine'))).toHaveLength(1);
  });
});
