/**
 * The audit routes: paging through the log, signed checkpoints, and inclusion proofs that an
 * outsider verifies with nothing but @clearance/protocol (AUD: RFC 6962 proofs).
 */
import { join } from 'node:path';
import { loadPublicKey } from '@clearance/authority';
import {
  assertCheckpointSigned,
  canonicalize,
  hashLeaf,
  trustedKeysFrom,
  verifyInclusion,
  type AuditCheckpoint,
} from '@clearance/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, startApi, type Api } from './helpers.js';

let api: Api;
beforeAll(async () => {
  api = await startApi({ 'a.txt': 'one\n' });
});
afterAll(async () => {
  await api.close();
});

interface Page {
  from: number;
  size: number;
  next?: number;
  events: { event_id: string; event_type: string }[];
}
interface Proof {
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  root_hash: string;
  proof: string[];
  checkpoint?: AuditCheckpoint;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

async function page(query: string): Promise<Page> {
  const res = await call(api.app, 'GET', `/api/audit/events${query}`, {
    token: api.tokens.auditor,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

async function proof(index: number, query = ''): Promise<Proof> {
  const res = await call(api.app, 'GET', `/api/audit/proof/${index}${query}`, {
    token: api.tokens.agent,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Proof>();
}

describe('audit events', () => {
  it('pages through the whole log without gaps or repeats', async () => {
    const all = await page('?limit=500');
    expect(all.size).toBe(api.runtime.home.audit.size);
    expect(all.events).toHaveLength(all.size);
    expect(all.next).toBeUndefined();
    const seen: string[] = [];
    let from: number | undefined = 0;
    while (from !== undefined) {
      const p = await page(`?from=${from}&limit=2`);
      expect(p.from).toBe(from);
      expect(p.events.length).toBeLessThanOrEqual(2);
      seen.push(...p.events.map((e) => e.event_id));
      from = p.next;
    }
    expect(seen).toEqual(all.events.map((e) => e.event_id));
    expect(all.events[0]?.event_type).toBe('audit_log_created');
    expect((await page(`?from=${all.size + 5}`)).events).toEqual([]);
  });

  it('limit 0 and a limit over 500 are refused', async () => {
    for (const limit of ['0', '501']) {
      expectProblem(
        await call(api.app, 'GET', `/api/audit/events?limit=${limit}`, {
          token: api.tokens.auditor,
        }),
        'VALIDATION_FAILED',
      );
    }
  });
});

describe('checkpoints and inclusion proofs', () => {
  it('a proof against a signed checkpoint verifies with the protocol package alone', async () => {
    const res = await call(api.app, 'GET', '/api/audit/checkpoints', { token: api.tokens.auditor });
    expect(res.statusCode).toBe(200);
    const { checkpoints } = res.json<{ checkpoints: AuditCheckpoint[] }>();
    const cp = checkpoints[checkpoints.length - 1];
    if (cp === undefined) throw new Error('init writes a checkpoint on close');
    const keys = trustedKeysFrom([await loadPublicKey(join(api.homeDir, 'keys'))]);
    assertCheckpointSigned(cp, keys);

    const events = (await page('?limit=500')).events;
    for (let i = 0; i < cp.tree_size; i++) {
      const p = await proof(i, `?tree_size=${cp.tree_size}`);
      expect(p.checkpoint).toEqual(cp);
      expect(p.root_hash).toBe(cp.root_hash);
      // The leaf is the stored (canonical) line of the event the events route returned.
      expect(p.leaf_hash).toBe(
        hashLeaf(Buffer.from(canonicalize(events[i]), 'utf8')).toString('hex'),
      );
      verifyInclusion(i, p.tree_size, hex(p.leaf_hash), p.proof.map(hex), hex(cp.root_hash));
    }
  });

  it('the default proof is against the current root; a wrong root or leaf fails', async () => {
    const size = api.runtime.home.audit.size;
    const p = await proof(size - 1);
    expect(p.tree_size).toBe(size);
    verifyInclusion(
      p.leaf_index,
      p.tree_size,
      hex(p.leaf_hash),
      p.proof.map(hex),
      hex(p.root_hash),
    );
    const other = await proof(0);
    expect(() =>
      verifyInclusion(
        p.leaf_index,
        p.tree_size,
        hex(other.leaf_hash),
        p.proof.map(hex),
        hex(p.root_hash),
      ),
    ).toThrow(expect.objectContaining({ code: 'MERKLE_PROOF_INVALID' }));
    expectProblem(
      await call(api.app, 'GET', `/api/audit/proof/0?tree_size=${size + 1}`, {
        token: api.tokens.agent,
      }),
      'AUDIT_INDEX_OUT_OF_RANGE',
    );
  });
});
