import { chmod, lstat, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalBytes } from '@clearance/protocol';
import { FileContentStore } from '../../src/cas/file-store.js';
import {
  ARTIFACT_SET_DOMAIN,
  collectArtifacts,
  loadArtifactSet,
  rehashDirectory,
  rehashStored,
  restoreArtifacts,
  storeArtifacts,
  UNLISTED_ARTIFACT_HASH,
  type ArtifactSet,
  type CollectedArtifact,
} from '../../src/plan/index.js';
import {
  baseMeta,
  errorOf,
  receiptWith,
  removeTemps,
  sha,
  tempDir,
  writeArtifacts,
} from './helpers.js';

let cas: FileContentStore;
let collected: CollectedArtifact[];
let restoreDir: string;

beforeEach(async () => {
  const home = await tempDir('clearance-store-');
  cas = await FileContentStore.open(join(home, 'cas'));
  const dir = join(home, 'artifacts');
  await mkdir(dir);
  const entries = await writeArtifacts(dir, [
    { name: 'plan', role: 'state', body: 'the plan body' },
    {
      name: 'evidence',
      role: 'evidence',
      meta: baseMeta({ target: 'src/a.ts', metadata: { k: 1 } }),
    },
  ]);
  collected = await collectArtifacts(dir, receiptWith(entries));
  restoreDir = join(home, 'restored');
});
afterEach(removeTemps);

/** Flip one byte of a stored blob in place (the CAS file is 0444). */
async function corrupt(address: string): Promise<void> {
  const path = cas.pathOf(address);
  const bytes = await readFile(path);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  await chmod(path, 0o644);
  await writeFile(path, bytes);
}

describe('storeArtifacts / loadArtifactSet', () => {
  // Also proves ART-13.
  it('stores the exact bytes under their SHA-256 and the set as canonical JSON', async () => {
    const { set, address } = await storeArtifacts(cas, collected);
    expect(set.domain).toBe(ARTIFACT_SET_DOMAIN);
    expect(set.artifacts.map((a) => a.name)).toEqual(['evidence', 'plan']);
    const [evidence, plan] = set.artifacts;
    expect(evidence).toMatchObject({
      role: 'evidence',
      target: 'src/a.ts',
      body: null,
      mime: 'text/plain',
    });
    expect(plan?.body).toEqual({ address: sha('the plan body'), size: 13 });
    for (const a of set.artifacts) {
      const c = collected.find((x) => x.name === a.name);
      expect(a.meta).toEqual({ address: sha(c?.metaBytes ?? ''), size: c?.metaBytes.length });
      expect(a.hash).toBe(c?.hash);
      expect(a.descriptor).toEqual(c?.descriptor);
    }
    expect(address).toBe(sha(canonicalBytes(set)));
    expect(await loadArtifactSet(cas, address)).toEqual(set);
  });

  it('is independent of the order artifacts are handed in', async () => {
    const a = await storeArtifacts(cas, collected);
    const b = await storeArtifacts(cas, [...collected].reverse());
    expect(b.address).toBe(a.address);
  });

  it('refuses a collected artifact whose bytes no longer match its hash', async () => {
    const [first, ...rest] = collected;
    if (first === undefined) throw new Error('fixture');
    const tampered = {
      ...first,
      metaBytes: Buffer.from(JSON.stringify(baseMeta({ metadata: { x: 1 } }))),
    };
    const err = await errorOf(storeArtifacts(cas, [tampered, ...rest]));
    expect(err?.code).toBe('ARTIFACT_INTEGRITY');
    expect(err?.detail?.reason).toBe('collected-hash');
  });

  it('refuses duplicate names', async () => {
    const err = await errorOf(storeArtifacts(cas, [...collected, ...collected]));
    expect(err?.code).toBe('ARTIFACT_INVALID');
  });

  it('a corrupted set blob surfaces as CAS_CORRUPT', async () => {
    const { address } = await storeArtifacts(cas, collected);
    await corrupt(address);
    expect((await errorOf(loadArtifactSet(cas, address)))?.code).toBe('CAS_CORRUPT');
  });

  const badSets: [string, (set: ArtifactSet) => unknown][] = [
    ['an unknown top-level key', (s) => ({ ...s, extra: 1 })],
    [
      'an unknown artifact key',
      (s) => ({ ...s, artifacts: s.artifacts.map((a) => ({ ...a, x: 1 })) }),
    ],
    [
      'an unknown descriptor key',
      (s) => ({
        ...s,
        artifacts: s.artifacts.map((a) => ({ ...a, descriptor: { ...a.descriptor, x: 1 } })),
      }),
    ],
    ['a wrong domain', (s) => ({ ...s, domain: 'clearance.other.v1' })],
    ['unsorted artifacts', (s) => ({ ...s, artifacts: [...s.artifacts].reverse() })],
    ['a duplicated artifact', (s) => ({ ...s, artifacts: [s.artifacts[0], s.artifacts[0]] })],
    ['a bad role', (s) => ({ ...s, artifacts: s.artifacts.map((a) => ({ ...a, role: 'x' })) })],
    [
      'a descriptor naming another artifact',
      (s) => ({
        ...s,
        artifacts: s.artifacts.map((a) => ({ ...a, descriptor: { ...a.descriptor, name: 'zzz' } })),
      }),
    ],
    [
      'a missing body key',
      (s) => ({ ...s, artifacts: s.artifacts.map(({ body: _b, ...a }) => a) }),
    ],
    [
      'an uppercase hash',
      (s) => ({ ...s, artifacts: s.artifacts.map((a) => ({ ...a, hash: a.hash.toUpperCase() })) }),
    ],
    [
      'a negative size',
      (s) => ({
        ...s,
        artifacts: s.artifacts.map((a) => ({ ...a, meta: { ...a.meta, size: -1 } })),
      }),
    ],
  ];
  it.each(badSets)('loading a set with %s fails with ARTIFACT_INVALID', async (_label, mutate) => {
    const { set } = await storeArtifacts(cas, collected);
    const ref = await cas.put(canonicalBytes(mutate(set)));
    expect((await errorOf(loadArtifactSet(cas, ref.address)))?.code).toBe('ARTIFACT_INVALID');
  });

  it('loading non-canonical bytes or a blob that is not a set fails with ARTIFACT_INVALID', async () => {
    const { set } = await storeArtifacts(cas, collected);
    const pretty = await cas.put(Buffer.from(JSON.stringify(set, null, 2)));
    expect((await errorOf(loadArtifactSet(cas, pretty.address)))?.code).toBe('ARTIFACT_INVALID');
    const body = set.artifacts[1]?.body?.address ?? '';
    expect((await errorOf(loadArtifactSet(cas, body)))?.code).toBe('ARTIFACT_INVALID');
  });
});

describe('rehashStored', () => {
  it('recomputes the collected hashes from the CAS bytes', async () => {
    const { set } = await storeArtifacts(cas, collected);
    const expected = collected
      .map((c) => ({ name: c.name, hash: c.hash, size: c.descriptor.size }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(await rehashStored(cas, set)).toEqual(expected);
  });

  it('ignores the recorded descriptor and hash: a role edit changes the hash (G-3)', async () => {
    const { set } = await storeArtifacts(cas, collected);
    const edited: ArtifactSet = {
      ...set,
      artifacts: set.artifacts.map((a) => (a.name === 'plan' ? { ...a, role: 'evidence' } : a)),
    };
    const before = await rehashStored(cas, set);
    const after = await rehashStored(cas, edited);
    expect(after.find((a) => a.name === 'plan')?.hash).not.toBe(
      before.find((a) => a.name === 'plan')?.hash,
    );
    expect(after.find((a) => a.name === 'evidence')).toEqual(
      before.find((a) => a.name === 'evidence'),
    );
  });

  it.each(['meta', 'body'] as const)(
    'a corrupted %s blob surfaces as CAS_CORRUPT',
    async (which) => {
      const { set } = await storeArtifacts(cas, collected);
      const plan = set.artifacts.find((a) => a.name === 'plan');
      await corrupt((which === 'meta' ? plan?.meta.address : plan?.body?.address) ?? '');
      expect((await errorOf(rehashStored(cas, set)))?.code).toBe('CAS_CORRUPT');
    },
  );

  it('a set whose body pointer was dropped fails with ARTIFACT_INTEGRITY', async () => {
    const { set } = await storeArtifacts(cas, collected);
    const edited: ArtifactSet = {
      ...set,
      artifacts: set.artifacts.map((a) => ({ ...a, body: null })),
    };
    const err = await errorOf(rehashStored(cas, edited));
    expect(err?.code).toBe('ARTIFACT_INTEGRITY');
    expect(err?.detail).toEqual({ name: 'plan', reason: 'body-mismatch' });
  });
});

describe('restoreArtifacts / rehashDirectory', () => {
  it('restores a read-only copy whose re-hash equals the stored re-hash', async () => {
    const { set } = await storeArtifacts(cas, collected);
    await restoreArtifacts(cas, set, restoreDir);
    expect((await stat(restoreDir)).mode & 0o777).toBe(0o555);
    expect((await stat(join(restoreDir, 'plan'))).mode & 0o777).toBe(0o555);
    expect((await stat(join(restoreDir, 'plan', 'artifact.json'))).mode & 0o777).toBe(0o444);
    expect((await stat(join(restoreDir, 'plan', 'body.data'))).mode & 0o777).toBe(0o444);
    expect(await readFile(join(restoreDir, 'plan', 'body.data'), 'utf8')).toBe('the plan body');
    await expect(lstat(join(restoreDir, 'evidence', 'body.data'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await rehashDirectory(restoreDir, set)).toEqual(await rehashStored(cas, set));
  });

  it('restores into an existing empty directory, refuses a non-empty one or a file', async () => {
    const { set } = await storeArtifacts(cas, collected);
    await mkdir(restoreDir);
    await restoreArtifacts(cas, set, restoreDir);
    expect((await errorOf(restoreArtifacts(cas, set, restoreDir)))?.code).toBe('CONFLICT');
    const file = `${restoreDir}-file`;
    await writeFile(file, 'x');
    expect((await errorOf(restoreArtifacts(cas, set, file)))?.code).toBe('CONFLICT');
  });

  it('a corrupted blob stops the restore with CAS_CORRUPT', async () => {
    const { set } = await storeArtifacts(cas, collected);
    await corrupt(set.artifacts[1]?.body?.address ?? '');
    expect((await errorOf(restoreArtifacts(cas, set, restoreDir)))?.code).toBe('CAS_CORRUPT');
  });

  async function restored(): Promise<ArtifactSet> {
    const { set } = await storeArtifacts(cas, collected);
    await restoreArtifacts(cas, set, restoreDir);
    await chmod(restoreDir, 0o755);
    for (const name of ['plan', 'evidence']) await chmod(join(restoreDir, name), 0o755);
    return set;
  }

  it('a changed byte in the restored body changes that artifact hash only', async () => {
    const set = await restored();
    const before = await rehashDirectory(restoreDir, set);
    const body = join(restoreDir, 'plan', 'body.data');
    await chmod(body, 0o644);
    await writeFile(body, 'the plan bodY');
    const after = await rehashDirectory(restoreDir, set);
    expect(after.find((a) => a.name === 'plan')?.hash).not.toBe(
      before.find((a) => a.name === 'plan')?.hash,
    );
    expect(after.find((a) => a.name === 'evidence')).toEqual(
      before.find((a) => a.name === 'evidence'),
    );
  });

  it('a missing artifact is left out and an extra folder is reported as unlisted', async () => {
    const set = await restored();
    await rm(join(restoreDir, 'evidence'), { recursive: true });
    await mkdir(join(restoreDir, 'intruder'));
    const got = await rehashDirectory(restoreDir, set);
    expect(got.map((a) => a.name)).toEqual(['intruder', 'plan']);
    expect(got[0]).toEqual({ name: 'intruder', hash: UNLISTED_ARTIFACT_HASH, size: 0 });
  });

  const anomalies: [string, (dir: string) => Promise<void>, string][] = [
    ['a stray file at the root', (d) => writeFile(join(d, 'stray'), 'x'), 'unexpected-entry'],
    ['an entry with a bad name', (d) => mkdir(join(d, '.x')), 'unexpected-entry'],
    [
      'a body.data replaced by a symlink',
      async (d) => {
        await rm(join(d, 'plan', 'body.data'));
        await symlink('/etc/passwd', join(d, 'plan', 'body.data'));
      },
      'not-regular-file',
    ],
    [
      'a body.data grown past its recorded size',
      async (d) => {
        await chmod(join(d, 'plan', 'body.data'), 0o644);
        await writeFile(join(d, 'plan', 'body.data'), 'the plan body, longer');
      },
      'too-large',
    ],
    [
      'an extra file in an artifact',
      (d) => writeFile(join(d, 'plan', 'x'), 'x'),
      'unexpected-file',
    ],
  ];
  it.each(anomalies)('%s fails with ARTIFACT_INTEGRITY', async (_label, tamper, reason) => {
    const set = await restored();
    await tamper(restoreDir);
    const err = await errorOf(rehashDirectory(restoreDir, set));
    expect(err?.code).toBe('ARTIFACT_INTEGRITY');
    expect(err?.detail?.reason).toBe(reason);
  });
});
