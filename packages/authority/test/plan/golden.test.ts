/**
 * Golden pins for every hash the plan layer publishes (DESIGN convention 7). Expected digests are
 * computed here independently, with node:crypto and the `canonicalize` reference implementation of
 * RFC 8785, and also pinned as literals: a change to any encoding breaks every stored token.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterEach, describe, expect, it } from 'vitest';
import { FileContentStore } from '../../src/cas/file-store.js';
import {
  ARTIFACT_DOMAIN,
  ARTIFACT_META_DOMAIN,
  ARTIFACT_SET_DOMAIN,
  artifactHash,
  buildPlanToken,
  collectArtifacts,
  computeToken,
  descriptorOf,
  hashWorkspace,
  INPUT_DOMAIN,
  inputDigest,
  PLAN_TOKEN_DOMAIN,
  PLAN_TOKEN_HASH_DOMAIN,
  planTokenHash,
  storeArtifacts,
  WORKSPACE_DOMAIN,
  type PlanTokenInputs,
} from '../../src/plan/index.js';
import { receiptWith, removeTemps, sha, tempDir, writeArtifacts } from './helpers.js';

/** The reference H: SHA-256(domain ‖ 0x00 ‖ JCS(value)). */
function ref(domain: string, value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('not canonicalisable');
  return createHash('sha256').update(`${domain}\u0000${text}`, 'utf8').digest('hex');
}
const hex = (c: string): string => c.repeat(64);

afterEach(removeTemps);

describe('hash domains are pinned', () => {
  it('has the published domain strings', () => {
    expect({
      ARTIFACT_META_DOMAIN,
      ARTIFACT_DOMAIN,
      WORKSPACE_DOMAIN,
      INPUT_DOMAIN,
      PLAN_TOKEN_DOMAIN,
      PLAN_TOKEN_HASH_DOMAIN,
      ARTIFACT_SET_DOMAIN,
    }).toEqual({
      ARTIFACT_META_DOMAIN: 'cabincrew.artifact-meta.v1',
      ARTIFACT_DOMAIN: 'cabincrew.artifact.v1',
      WORKSPACE_DOMAIN: 'cabincrew.workspace.v1',
      INPUT_DOMAIN: 'cabincrew.input.v1',
      PLAN_TOKEN_DOMAIN: 'cabincrew.plan-token.v1',
      PLAN_TOKEN_HASH_DOMAIN: 'cabincrew.plan-token-hash.v1',
      ARTIFACT_SET_DOMAIN: 'clearance.artifact-set.v1',
    });
  });
});

describe('golden digests', () => {
  it('meta_hash = H(artifact-meta, parsed artifact.json)', () => {
    const meta = {
      artifact_type: 'file',
      action: 'create',
      mime: 'text/plain',
      target: 'src/a.ts',
      metadata: { lines: 3 },
    };
    const d = descriptorOf('x', 'log', meta, 10, null);
    expect(d.meta_hash).toBe(ref('cabincrew.artifact-meta.v1', meta));
    expect(d.meta_hash).toBe('0afb9692661bd37c3d957258df7bf40066aa25ce21c2fadc95cd8ed3129dbb16');
    expect(descriptorOf('x', 'log', meta, 10, Buffer.from('body'))).toMatchObject({
      body_hash: sha('body'),
      size: 14,
    });
  });

  it('artifact hash = H(artifact, {name, role, meta_hash, body_hash, size})', () => {
    const d = {
      name: 'plan',
      role: 'evidence',
      meta_hash: hex('a'),
      body_hash: hex('b'),
      size: 42,
    } as const;
    expect(artifactHash(d)).toBe(ref('cabincrew.artifact.v1', d));
    expect(artifactHash(d)).toBe(
      '2de8ca6cbd254a02ec13d8a934aa8e0b382fa918f76f569aa4297dce004f9bdd',
    );
    // Extra properties on the descriptor object are not hashed.
    expect(artifactHash({ ...d, extra: 1 } as typeof d)).toBe(artifactHash(d));
    expect(artifactHash({ ...d, body_hash: null })).toBe(
      ref('cabincrew.artifact.v1', { ...d, body_hash: null }),
    );
  });

  it('a collected artifact hashes as the reference says', async () => {
    const dir = await tempDir();
    const meta =
      '{"artifact_type":"file","action":"create","mime":"text/plain","body_file":"body.data"}';
    const entries = await writeArtifacts(dir, [{ name: 'a', role: 'state', meta, body: 'xyz' }]);
    const [a] = await collectArtifacts(dir, receiptWith(entries));
    const metaHash = ref('cabincrew.artifact-meta.v1', JSON.parse(meta));
    const expected = ref('cabincrew.artifact.v1', {
      name: 'a',
      role: 'state',
      meta_hash: metaHash,
      body_hash: sha('xyz'),
      size: Buffer.byteLength(meta) + 3,
    });
    expect(a?.hash).toBe(expected);
  });

  it('workspace_hash = H(workspace, {exclude, entries})', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'bin'));
    await chmod(join(root, 'bin'), 0o755);
    await writeFile(join(root, 'bin', 'run.sh'), '#!/bin/sh\n');
    await chmod(join(root, 'bin', 'run.sh'), 0o755);
    await writeFile(join(root, 'notes.txt'), 'hello\n');
    await chmod(join(root, 'notes.txt'), 0o644);
    await symlink('bin/run.sh', join(root, 'link'));
    await mkdir(join(root, '.git'));
    await writeFile(join(root, '.git', 'index'), 'ignored');
    const entries = [
      { path: 'bin', type: 'dir', mode_exec: true, size: 0 },
      { path: 'bin/run.sh', type: 'file', mode_exec: true, size: 10, sha256: sha('#!/bin/sh\n') },
      { path: 'link', type: 'symlink', mode_exec: false, size: 10, link_target: 'bin/run.sh' },
      { path: 'notes.txt', type: 'file', mode_exec: false, size: 6, sha256: sha('hello\n') },
    ];
    const snap = await hashWorkspace(root, { exclude: ['.git/'] });
    expect(snap.entries).toEqual(entries);
    expect(snap.hash).toBe(ref('cabincrew.workspace.v1', { exclude: ['.git/'], entries }));
    expect(snap.hash).toBe('085b4e119d7a6b2433764248f07e38dbe028d463918f66150ae6e96fe48fccab');
  });

  it('input_digest = H(input, {config, context, allowed_secrets, expected_mode})', () => {
    const digest = inputDigest({ config: { x: 1 }, context: {}, allowed_secrets: ['K'] });
    expect(digest).toBe(
      ref('cabincrew.input.v1', {
        config: { x: 1 },
        context: {},
        allowed_secrets: ['K'],
        expected_mode: 'flight-plan',
      }),
    );
    expect(digest).toBe('bd6fe2011d4ddba6a913e37101a32c1fc506ac80a518bc78ef42d710f79e2de9');
  });

  const inputs: PlanTokenInputs = {
    workflow_id: 'wf-golden',
    step_id: 'plan',
    engine_id: 'golden-engine',
    protocol_version: '0.1.0',
    model: 'none',
    workspace_hash: hex('1'),
    input_digest: hex('2'),
    policy_digest: hex('3'),
    governance_hash: hex('4'),
    artifacts: [
      { name: 'a', hash: hex('5'), size: 3 },
      { name: 'B', hash: hex('6'), size: 7 },
    ],
  };

  it('token = H(plan-token, composite) with artifacts in byte order ("B" before "a")', () => {
    const composite = {
      version: '1',
      workflow_id: 'wf-golden',
      step_id: 'plan',
      engine_id: 'golden-engine',
      protocol_version: '0.1.0',
      model: 'none',
      workspace_hash: hex('1'),
      input_digest: hex('2'),
      policy_digest: hex('3'),
      governance_hash: hex('4'),
      artifacts: [
        { name: 'B', hash: hex('6'), size: 7 },
        { name: 'a', hash: hex('5'), size: 3 },
      ],
    };
    expect(computeToken(inputs)).toBe(ref('cabincrew.plan-token.v1', composite));
    expect(computeToken(inputs)).toBe(
      'd329c832aa6652570e8565e10151039b4885be27c8f0c7d339714460eb41591c',
    );
  });

  it('plan_token_hash = H(plan-token-hash, stored PlanToken incl. created_at and token)', () => {
    const token = buildPlanToken(inputs, '2025-12-10T12:00:00.000Z');
    expect(token).toEqual({
      token: 'd329c832aa6652570e8565e10151039b4885be27c8f0c7d339714460eb41591c',
      version: '1',
      artifacts: [
        { name: 'B', hash: hex('6'), size: 7 },
        { name: 'a', hash: hex('5'), size: 3 },
      ],
      model: 'none',
      engine_id: 'golden-engine',
      protocol_version: '0.1.0',
      workspace_hash: hex('1'),
      created_at: '2025-12-10T12:00:00.000Z',
      policy_digest: hex('3'),
      governance_hash: hex('4'),
    });
    expect(planTokenHash(token)).toBe(ref('cabincrew.plan-token-hash.v1', token));
    expect(planTokenHash(token)).toBe(
      '5a1d6c1144147c5718f385dccccaf984f2808cd30b2097e58f024d10476837ed',
    );
  });

  it('the artifact set is stored as the canonical JSON of the record', async () => {
    const home = await tempDir();
    const cas = await FileContentStore.open(join(home, 'cas'));
    const dir = join(home, 'art');
    await mkdir(dir);
    const entries = await writeArtifacts(dir, [{ name: 'a', body: 'b' }]);
    const { set, address } = await storeArtifacts(
      cas,
      await collectArtifacts(dir, receiptWith(entries)),
    );
    expect(set.domain).toBe('clearance.artifact-set.v1');
    expect(address).toBe(sha(canonicalize(set) ?? ''));
  });
});
