import { execFileSync } from 'node:child_process';
import { link, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineArtifact } from '@clearance/protocol';
import { artifactHash, collectArtifacts, type ArtifactLimits } from '../../src/plan/index.js';
import {
  baseMeta,
  errorOf,
  receiptWith,
  removeTemps,
  sha,
  tempDir,
  writeArtifacts,
} from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('clearance-art-');
});
afterEach(removeTemps);

async function expectFailure(
  entries: readonly EngineArtifact[],
  code: string,
  reason: string,
  limits?: ArtifactLimits,
): Promise<void> {
  const err = await errorOf(collectArtifacts(dir, receiptWith(entries), limits));
  expect(err?.code).toBe(code);
  expect(err?.detail?.reason).toBe(reason);
}

describe('collectArtifacts: valid directories', () => {
  it('collects artifacts sorted by name, with the exact bytes and descriptors', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'plan', role: 'state', body: 'BODY' },
      { name: 'notes', role: 'log', meta: baseMeta({ body: { inline: true } }) },
    ]);
    const got = await collectArtifacts(dir, receiptWith(entries));
    expect(got.map((a) => a.name)).toEqual(['notes', 'plan']);
    const [notes, plan] = got;
    expect(plan?.body?.toString()).toBe('BODY');
    expect(plan?.descriptor).toMatchObject({ name: 'plan', role: 'state', body_hash: sha('BODY') });
    expect(plan?.descriptor.size).toBe((plan?.metaBytes.length ?? 0) + 4);
    expect(notes?.body).toBeNull();
    expect(notes?.descriptor.body_hash).toBeNull();
    for (const a of got) expect(a.hash).toBe(artifactHash(a.descriptor));
  });

  it('accepts an empty directory with a receipt listing nothing (or no artifacts field)', async () => {
    expect(await collectArtifacts(dir, receiptWith([]))).toEqual([]);
    const { artifacts: _omit, ...bare } = receiptWith([]);
    expect(await collectArtifacts(dir, bare)).toEqual([]);
  });

  it('PT-4: creation order on disk does not change any hash', async () => {
    const specs = [{ name: 'b', body: 'two' }, { name: 'a', body: 'one' }, { name: 'c' }];
    const first = await collectArtifacts(dir, receiptWith(await writeArtifacts(dir, specs)));
    const other = await tempDir('clearance-art-rev-');
    const reversed = await writeArtifacts(other, [...specs].reverse());
    const second = await collectArtifacts(other, receiptWith([...reversed].reverse()));
    expect(second.map((a) => [a.name, a.hash])).toEqual(first.map((a) => [a.name, a.hash]));
  });

  it('S-7: whitespace and key order of artifact.json do not change the hash; a value does', async () => {
    const meta = baseMeta({ metadata: { risk: 'low', lines: 3 } });
    const [one] = await collectArtifacts(
      dir,
      receiptWith(await writeArtifacts(dir, [{ name: 'x', meta }])),
    );
    const reordered = `{\n  "metadata": {"lines": 3, "risk": "low"},\n  "mime": "text/plain", "action": "create", "artifact_type": "file"\n}\n`;
    await rm(join(dir, 'x'), { recursive: true });
    const [two] = await collectArtifacts(
      dir,
      receiptWith(await writeArtifacts(dir, [{ name: 'x', meta: reordered }])),
    );
    expect(two?.metaBytes.equals(one?.metaBytes ?? Buffer.alloc(0))).toBe(false);
    expect(two?.descriptor.meta_hash).toBe(one?.descriptor.meta_hash);
    // Decision: meta_hash is of the parsed value (JCS), but `size` counts the raw bytes (§4.2.2
    // step 5), so a whitespace change that alters the length still changes the artifact hash;
    // a same-length reordering does not (next test).
    expect(two?.descriptor.size).not.toBe(one?.descriptor.size);
    await rm(join(dir, 'x'), { recursive: true });
    const changed = baseMeta({ metadata: { risk: 'high', lines: 3 } });
    const [three] = await collectArtifacts(
      dir,
      receiptWith(await writeArtifacts(dir, [{ name: 'x', meta: changed }])),
    );
    expect(three?.descriptor.meta_hash).not.toBe(one?.descriptor.meta_hash);
    expect(three?.hash).not.toBe(one?.hash);
  });

  it('S-7: a same-size key reorder leaves the artifact hash unchanged', async () => {
    const a = '{"artifact_type":"file","action":"create","mime":"text/plain"}';
    const b = '{"mime":"text/plain","action":"create","artifact_type":"file"}';
    const [one] = await collectArtifacts(
      dir,
      receiptWith(await writeArtifacts(dir, [{ name: 'x', meta: a }])),
    );
    await rm(join(dir, 'x'), { recursive: true });
    const [two] = await collectArtifacts(
      dir,
      receiptWith(await writeArtifacts(dir, [{ name: 'x', meta: b }])),
    );
    expect(two?.hash).toBe(one?.hash);
  });

  it('G-3: the role is bound: the same bytes under another role hash differently', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'x', body: 'same' }]);
    const entry = entries[0] as EngineArtifact;
    const [asEvidence] = await collectArtifacts(dir, receiptWith([{ ...entry, role: 'evidence' }]));
    const [asState] = await collectArtifacts(dir, receiptWith([{ ...entry, role: 'state' }]));
    expect(asState?.hash).not.toBe(asEvidence?.hash);
  });
});

describe('collectArtifacts: S-15 escapes from the artifacts dir', () => {
  it('(a) a stray file at the root fails', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'ok' }]);
    await writeFile(join(dir, 'stray.txt'), 'x');
    await expectFailure(entries, 'ARTIFACT_INVALID', 'not-a-directory');
  });

  it('(a) a symlinked artifact directory fails', async () => {
    const outside = await tempDir('clearance-art-out-');
    const entries = await writeArtifacts(outside, [{ name: 'ok' }]);
    await symlink(join(outside, 'ok'), join(dir, 'ok'));
    await expectFailure(entries, 'ARTIFACT_INVALID', 'not-a-directory');
  });

  it('(b) body_file "../../etc/passwd" fails before anything is opened', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'x', meta: baseMeta({ body_file: '../../etc/passwd' }) },
    ]);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'body-file');
  });

  it.each(['body.dat', 'sub/body.data', '/etc/passwd', 'artifact.json'])(
    'a body_file other than body.data (%j) fails',
    async (bodyFile) => {
      const entries = await writeArtifacts(dir, [
        { name: 'x', meta: baseMeta({ body_file: bodyFile }) },
      ]);
      await expectFailure(entries, 'ARTIFACT_INVALID', 'body-file');
    },
  );

  it('(c) a body.data symlink to /etc/passwd fails', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'x', meta: baseMeta({ body_file: 'body.data' }) },
    ]);
    await symlink('/etc/passwd', join(dir, 'x', 'body.data'));
    await expectFailure(entries, 'ARTIFACT_INVALID', 'not-regular-file');
  });

  it('(c) an artifact.json symlink fails', async () => {
    const outside = await tempDir('clearance-art-out-');
    await writeFile(join(outside, 'a.json'), JSON.stringify(baseMeta()));
    await mkdir(join(dir, 'x'));
    await symlink(join(outside, 'a.json'), join(dir, 'x', 'artifact.json'));
    await expectFailure(
      [{ name: 'x', role: 'log', path: '', hash: sha('') }],
      'ARTIFACT_INVALID',
      'not-regular-file',
    );
  });

  it('a hard-linked body.data (an alias of a file elsewhere) fails', async () => {
    const outside = await tempDir('clearance-art-out-');
    await writeFile(join(outside, 'secret'), 'secret');
    const entries = await writeArtifacts(dir, [
      { name: 'x', meta: baseMeta({ body_file: 'body.data' }) },
    ]);
    await link(join(outside, 'secret'), join(dir, 'x', 'body.data'));
    await expectFailure(entries, 'ARTIFACT_INVALID', 'hard-link');
  });

  it('a FIFO body.data fails without blocking', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'x', meta: baseMeta({ body_file: 'body.data' }) },
    ]);
    execFileSync('mkfifo', [join(dir, 'x', 'body.data')]);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'not-regular-file');
  });

  it('(d) an artifact named ".." in the receipt fails', async () => {
    await expectFailure(
      [{ name: '..', role: 'log', path: '../artifact.json', hash: sha('') }],
      'ARTIFACT_INVALID',
      'bad-name',
    );
  });

  it.each(['.hidden', '-dash', 'a b', 'é', 'x'.repeat(129), 'a/b', ''])(
    'the name %j is refused in the receipt',
    async (name) => {
      await expectFailure(
        [{ name, role: 'log', path: '', hash: sha('') }],
        'ARTIFACT_INVALID',
        'bad-name',
      );
    },
  );

  it('an engine-chosen bad name is escaped and cut in the error detail', async () => {
    const name = `evil\n${'x'.repeat(500)}`;
    const err = await errorOf(
      collectArtifacts(dir, receiptWith([{ name, role: 'log', path: '', hash: sha('') }])),
    );
    expect(err?.detail?.name).toBe(`${JSON.stringify(name.slice(0, 64))}...`);
    expect(String((err as { message?: string } | undefined)?.message)).not.toContain('\n');
  });

  it('a directory with a name outside the allowlist fails', async () => {
    await mkdir(join(dir, '.hidden'));
    await expectFailure([], 'ARTIFACT_INVALID', 'bad-name');
  });
});

describe('collectArtifacts: S-16 receipt and directory mismatch', () => {
  it('(a) a directory absent from the receipt fails', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'a' }, { name: 'b' }]);
    await expectFailure(entries.slice(0, 1), 'ARTIFACT_INVALID', 'undeclared');
  });

  it('(b) a receipt entry with no directory fails', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'a' }]);
    await expectFailure(
      [...entries, { name: 'ghost', role: 'log', path: '', hash: sha('') }],
      'ARTIFACT_INVALID',
      'missing',
    );
  });

  it('(c) a duplicate receipt name fails', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'a' }]);
    await expectFailure([...entries, ...entries], 'ARTIFACT_INVALID', 'duplicate-name');
  });

  it('(d) artifact.json with an extra role field fails schema validation (G-1)', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'a', meta: baseMeta({ role: 'evidence' }) },
    ]);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'schema');
  });

  it.each(['foo', 'Evidence', ''])('ART-5: role %j fails', async (role) => {
    const entries = await writeArtifacts(dir, [{ name: 'a', role }]);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'bad-role');
  });
});

describe('collectArtifacts: artifact folder contents (§4.2.2 steps 2, 3)', () => {
  const cases: [string, () => Promise<EngineArtifact[]>, string][] = [
    [
      'missing mime',
      () => writeArtifacts(dir, [{ name: 'a', meta: { artifact_type: 'f', action: 'c' } }]),
      'schema',
    ],
    [
      'a duplicate key',
      () =>
        writeArtifacts(dir, [
          { name: 'a', meta: '{"artifact_type":"f","action":"c","mime":"m","mime":"n"}' },
        ]),
      'json',
    ],
    ['invalid JSON', () => writeArtifacts(dir, [{ name: 'a', meta: '{"artifact_type":' }]), 'json'],
    [
      'both body and body_file (G-45)',
      () =>
        writeArtifacts(dir, [
          { name: 'a', meta: baseMeta({ body: null, body_file: 'body.data' }), body: 'b' },
        ]),
      'body-and-body-file',
    ],
    [
      'body_file set but body.data missing (ART-4)',
      () => writeArtifacts(dir, [{ name: 'a', meta: baseMeta({ body_file: 'body.data' }) }]),
      'body-mismatch',
    ],
    [
      'body.data present but not declared',
      () => writeArtifacts(dir, [{ name: 'a', meta: baseMeta(), body: 'b' }]),
      'body-mismatch',
    ],
    [
      'an extra file',
      async () => {
        const e = await writeArtifacts(dir, [{ name: 'a' }]);
        await writeFile(join(dir, 'a', 'extra.txt'), 'x');
        return e;
      },
      'unexpected-file',
    ],
    [
      'a subdirectory',
      async () => {
        const e = await writeArtifacts(dir, [{ name: 'a' }]);
        await mkdir(join(dir, 'a', 'sub'));
        return e;
      },
      'unexpected-file',
    ],
    [
      'a directory named body.data',
      async () => {
        const e = await writeArtifacts(dir, [
          { name: 'a', meta: baseMeta({ body_file: 'body.data' }) },
        ]);
        await mkdir(join(dir, 'a', 'body.data'));
        return e;
      },
      'not-regular-file',
    ],
    [
      'no artifact.json',
      async () => (
        await mkdir(join(dir, 'a')),
        [{ name: 'a', role: 'log', path: '', hash: sha('') }]
      ),
      'missing-artifact-json',
    ],
  ];
  it.each(cases)('%s fails with ARTIFACT_INVALID', async (_label, setup, reason) => {
    await expectFailure(await setup(), 'ARTIFACT_INVALID', reason);
  });
});

describe('collectArtifacts: S-18 declared hash and size (ART-6, G-46)', () => {
  it('a declared hash that does not match body.data fails with ARTIFACT_INTEGRITY', async () => {
    const [entry] = await writeArtifacts(dir, [{ name: 'a', body: 'real' }]);
    await expectFailure(
      [{ ...(entry as EngineArtifact), hash: sha('other') }],
      'ARTIFACT_INTEGRITY',
      'declared-hash',
    );
  });

  it('the declared hash is of body.data alone, not of artifact.json + body', async () => {
    const [entry] = await writeArtifacts(dir, [{ name: 'a', body: 'real' }]);
    const concat = sha(JSON.stringify(baseMeta({ body_file: 'body.data' })) + 'real');
    await expectFailure(
      [{ ...(entry as EngineArtifact), hash: concat }],
      'ARTIFACT_INTEGRITY',
      'declared-hash',
    );
  });

  it('without a body the declared hash is Hb(artifact.json bytes)', async () => {
    const [entry] = await writeArtifacts(dir, [{ name: 'a' }]);
    expect(entry?.hash).toBe(sha(JSON.stringify(baseMeta())));
    await expect(
      collectArtifacts(dir, receiptWith([entry as EngineArtifact])),
    ).resolves.toHaveLength(1);
    await expectFailure(
      [{ ...(entry as EngineArtifact), hash: (entry?.hash ?? '').toUpperCase() }],
      'ARTIFACT_INTEGRITY',
      'declared-hash',
    );
  });

  it('a declared size that does not match fails with ARTIFACT_INTEGRITY', async () => {
    const [entry] = await writeArtifacts(dir, [{ name: 'a', body: 'real' }]);
    await expectFailure(
      [{ ...(entry as EngineArtifact), size: 4 }],
      'ARTIFACT_INTEGRITY',
      'declared-size',
    );
  });
});

describe('collectArtifacts: limits (never read past a cap)', () => {
  it('too many artifacts', async () => {
    const entries = await writeArtifacts(dir, [{ name: 'a' }, { name: 'b' }]);
    await expect(
      collectArtifacts(dir, receiptWith(entries), { maxArtifacts: 2 }),
    ).resolves.toHaveLength(2);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'too-many', { maxArtifacts: 1 });
  });

  it('one artifact too large, artifact.json too large, total too large', async () => {
    const entries = await writeArtifacts(dir, [
      { name: 'a', body: 'x'.repeat(100) },
      { name: 'b', body: 'y'.repeat(100) },
    ]);
    const one = entries[0]?.size ?? 0;
    await expect(
      collectArtifacts(dir, receiptWith(entries), {
        maxArtifactBytes: one,
        maxTotalBytes: 2 * one,
      }),
    ).resolves.toHaveLength(2);
    await expectFailure(entries, 'ARTIFACT_INVALID', 'too-large', { maxArtifactBytes: one - 1 });
    await expectFailure(entries, 'ARTIFACT_INVALID', 'too-large', { maxMetaBytes: 10 });
    await expectFailure(entries, 'ARTIFACT_INVALID', 'too-large', { maxTotalBytes: 2 * one - 1 });
  });
});
