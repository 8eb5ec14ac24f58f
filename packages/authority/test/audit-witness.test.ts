/**
 * Issue 10 U1 (AUD-5): the pure consistency check and the folder witness's own rules.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestSigner, hashLeaf, keyRefFor, sealCheckpoint } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { checkAgainstCheckpoint, treeOfLeaves } from '../src/audit/consistency.js';
import { DirWitness } from '../src/audit/witness.js';
import { thrown } from './config/helpers.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = digestSigner(privateKey, publicKey);
const keys = new Map([[keyRefFor(publicKey), publicKey]]);
const leaves = Array.from({ length: 9 }, (_, i) => hashLeaf(Buffer.from(`event ${i}`)));
const LOG_ID = 'c'.repeat(64);

function checkpointOf(size: number, from = leaves): ReturnType<typeof sealCheckpoint> {
  return sealCheckpoint(
    {
      log_id: LOG_ID,
      tree_size: size,
      root_hash: treeOfLeaves(from, LOG_ID).rootAt(size),
      timestamp: '2026-12-08T00:00:00.000Z',
    },
    signer,
  );
}

describe('U1: consistency with a trusted checkpoint (AUD-5)', () => {
  it('U1: proves every prefix; refuses a smaller log, another log, another prefix, another key (AUD-5)', () => {
    const tree = treeOfLeaves(leaves, LOG_ID);
    for (let size = 1; size <= leaves.length; size++) {
      const r = checkAgainstCheckpoint(checkpointOf(size).checkpoint, tree, keys);
      expect(r.treeSize).toBe(leaves.length);
    }
    const cp = checkpointOf(6).checkpoint;
    expect(
      thrown(() => checkAgainstCheckpoint(cp, treeOfLeaves(leaves.slice(0, 5), LOG_ID), keys)),
    ).toMatchObject({ code: 'AUDIT_TRUNCATED' });
    expect(
      thrown(() => checkAgainstCheckpoint(cp, treeOfLeaves(leaves, 'd'.repeat(64)), keys)),
    ).toMatchObject({ code: 'AUDIT_INCONSISTENT' });
    const forked = [...leaves.slice(0, 3), hashLeaf(Buffer.from('forged')), ...leaves.slice(4)];
    expect(
      thrown(() => checkAgainstCheckpoint(cp, treeOfLeaves(forked, LOG_ID), keys)),
    ).toMatchObject({ code: 'AUDIT_INCONSISTENT' });
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(
      thrown(() => checkAgainstCheckpoint(cp, tree, new Map([[keyRefFor(other), other]]))),
    ).toMatchObject({ code: 'AUDIT_CHECKPOINT_INVALID' });
    expect(
      thrown(() =>
        checkAgainstCheckpoint(cp, treeOfLeaves(leaves.slice(0, 5), LOG_ID), keys, {
          smaller: 'AUDIT_ROLLBACK',
          diverged: 'AUDIT_ROLLBACK',
        }),
      ),
    ).toMatchObject({ code: 'AUDIT_ROLLBACK' });
  });

  it('U1: a witness folder keeps one file per checkpoint and refuses one older than its latest (AUD-5)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'clearance-dirwitness-'));
    try {
      const witness = new DirWitness(join(root, 'w'));
      expect(await witness.latest()).toBeUndefined();
      for (const size of [2, 5]) {
        const { checkpoint, line } = checkpointOf(size);
        await witness.publish(checkpoint, line);
        expect(await witness.latest()).toBe(line);
      }
      const old = checkpointOf(3);
      await expect(witness.publish(old.checkpoint, old.line)).rejects.toMatchObject({
        code: 'AUDIT_ROLLBACK',
      });
      expect((await readdir(join(root, 'w'))).sort()).toEqual([
        'checkpoint-0000000000000002.json',
        'checkpoint-0000000000000005.json',
        'latest.json',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
