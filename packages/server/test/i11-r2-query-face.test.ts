/**
 * I11-4 (reviewer R2): the authority's query API is read-only. What it hands a front end must not
 * be a handle on the authority's live state: neither the audit log's own checkpoint list (a
 * front end casting away `readonly` would rewrite what every later reader is told) nor, behind
 * the read-access index, the stores themselves (a TypeScript `private` is not enforced at run time).
 */
import type { AuditCheckpoint } from '@clearance/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startApi, type Api } from './helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('I11-4: the query API hands out no live state', () => {
  it('I11-4: the checkpoint list a query returns is not the audit log’s own', async () => {
    api = await startApi({});
    const q = api.runtime.queries;
    const before = JSON.stringify(q.auditCheckpoints());
    expect(q.auditCheckpoints().length).toBeGreaterThan(0);
    const list = q.auditCheckpoints() as AuditCheckpoint[] & { 0: Record<string, unknown> };
    // A copy may be frozen (the write throws) or not; either way the log's own list is untouched.
    try {
      list.push({} as AuditCheckpoint);
      list[0]['root_hash'] = '00'.repeat(32);
    } catch {
      // frozen: nothing written
    }
    expect(JSON.stringify(q.auditCheckpoints())).toBe(before);
  });

  it('I11-4: the read-access index carries no reachable store handle', async () => {
    api = await startApi({});
    const index = api.runtime.queries.readAccess() as unknown as Record<string, unknown>;
    const reachable = Object.values(index).filter(
      (v) => typeof v === 'object' && v !== null && ('home' in v || 'runs' in v || 'cas' in v),
    );
    expect(reachable).toEqual([]);
  });
});
