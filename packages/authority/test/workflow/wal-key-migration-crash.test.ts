/**
 * Issue 10 B4 (audit of the merged result): the migration of a pre-MAC home writes the key file
 * (with the legacy prefixes it will accept unkeyed) and then audits it. A crash between the two
 * left a migration that accepts legacy lines without any audit event; the next open records it.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '@clearance/protocol';
import { ClearanceHome } from '../../src/home.js';
import { walChecksum } from '../../src/workflow/wal.js';
import { migrateToWalKey, WAL_KEY_FILE } from '../../src/workflow/wal-key.js';

const ID = `wf-${'a'.repeat(32)}`;

async function auditTypes(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'audit', 'events.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { event_type: string }).event_type);
}

describe('WAL key migration (B4)', () => {
  it('B4 (WAL-4, AUD-9): a crash after the key file is written and before the migration is audited is audited on the next open, once', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'clearance-walkey-')), 'home');
    const init = await ClearanceHome.init(dir);
    await init.home.close();
    // A pre-MAC home: no key file, one WAL with an unkeyed line.
    await rm(join(dir, 'keys', WAL_KEY_FILE));
    const body = {
      sequence: 0,
      timestamp: '2026-03-01T10:00:00.000Z',
      workflow_id: ID,
      entry_type: 'workflow_started',
      data: { plan_token_hash: '', initial_state: 'INIT' },
    };
    await mkdir(join(dir, 'workflows', ID), { recursive: true });
    await writeFile(
      join(dir, 'workflows', ID, 'wal.jsonl'),
      `${canonicalize({ ...body, checksum: walChecksum(body) })}\n`,
    );
    // The migration's first half, then the crash.
    const { legacy } = await migrateToWalKey(dir, '2026-03-01T10:00:01.000Z');
    expect([...legacy.keys()]).toEqual([ID]);
    for (let i = 0; i < 2; i++) {
      const home = await ClearanceHome.open(dir);
      await home.close();
    }
    expect((await auditTypes(dir)).filter((t) => t === 'wal_key_created')).toHaveLength(1);
  });
});
