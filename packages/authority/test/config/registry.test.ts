/**
 * EngineRegistry: lookups, and materialize (SEC-4: a wrong engine digest is refused before
 * launch; the bytes checked are the bytes that run).
 */
import { createHash } from 'node:crypto';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EngineRegistry,
  MAX_EXECUTABLE_BYTES,
  parseConfig,
  type ClearanceConfig,
} from '../../src/config/index.js';
import { baseConfig, makePublisher, rejected, setAt, thrown, type Obj } from './helpers.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const SCRIPT = Buffer.from('#!/usr/bin/env node\nprocess.stdout.write("{}");\n');

let dir: string;
let runDir: string;
let exe: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-registry-'));
  runDir = join(dir, 'run');
  await mkdir(runDir);
  exe = join(dir, 'engine.mjs');
  await writeFile(exe, SCRIPT, { mode: 0o644 });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A config whose engine `patch` pins `pin` for the file at `path`. */
function configFor(path: string, pin: string, extra: (c: Obj) => Obj = (c) => c): ClearanceConfig {
  const raw = baseConfig();
  setAt(raw, ['engines', 0, 'executable'], path);
  setAt(raw, ['engines', 0, 'sha256'], pin);
  return parseConfig(JSON.stringify(extra(raw)));
}

describe('lookups', () => {
  it('finds engines and workspaces, refuses unknown ones', () => {
    const raw = baseConfig();
    setAt(raw, ['engines', 1], {
      id: 'cnc',
      version: '2',
      executable: '/x/cnc',
      sha256: sha(SCRIPT),
    });
    const registry = new EngineRegistry(parseConfig(JSON.stringify(raw)));
    expect(registry.list().map((e) => e.id)).toEqual(['patch', 'cnc']);
    expect(registry.get('cnc').version).toBe('2');
    expect(registry.workspace('demo').path).toBe('/srv/demo');
    expect(thrown(() => registry.get('nope')).code).toBe('ENGINE_UNKNOWN');
    expect(thrown(() => registry.get('__proto__')).code).toBe('ENGINE_UNKNOWN');
    expect(thrown(() => registry.workspace('nope')).code).toBe('WORKSPACE_UNKNOWN');
  });
});

describe('materialize', () => {
  it('writes a byte-identical, mode 0555 copy into the run directory', async () => {
    const registry = new EngineRegistry(configFor(exe, sha(SCRIPT)));
    const result = await registry.materialize('patch', runDir);
    expect(result).toEqual({ path: join(runDir, 'engine.mjs'), sha256: sha(SCRIPT) });
    expect((await readFile(result.path)).equals(SCRIPT)).toBe(true);
    expect((await stat(result.path)).mode & 0o7777).toBe(0o555);
  });

  it('refuses an executable changed by one byte after the pin (ENGINE_DIGEST_MISMATCH)', async () => {
    const registry = new EngineRegistry(configFor(exe, sha(SCRIPT)));
    const tampered = Buffer.from(SCRIPT);
    const at = tampered.length - 2;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
    await writeFile(exe, tampered);
    const err = await rejected(registry.materialize('patch', runDir));
    expect(err).toEqual({
      code: 'ENGINE_DIGEST_MISMATCH',
      detail: { engine: 'patch', expected: sha(SCRIPT), actual: sha(tampered) },
    });
    expect(await readdir(runDir)).toEqual([]);
  });

  it('refuses a symlinked executable, even to the right bytes', async () => {
    const link = join(dir, 'link.mjs');
    await symlink(exe, link);
    const registry = new EngineRegistry(configFor(link, sha(SCRIPT)));
    expect((await rejected(registry.materialize('patch', runDir))).code).toBe('REGISTRY_INVALID');
    expect(await readdir(runDir)).toEqual([]);
  });

  it('refuses a missing file, a directory and a file above the size cap', async () => {
    const missing = new EngineRegistry(configFor(join(dir, 'missing.mjs'), sha(SCRIPT)));
    expect((await rejected(missing.materialize('patch', runDir))).code).toBe('REGISTRY_INVALID');
    const folder = new EngineRegistry(configFor(runDir, sha(SCRIPT)));
    expect((await rejected(folder.materialize('patch', runDir))).code).toBe('REGISTRY_INVALID');
    const big = join(dir, 'big.bin');
    await writeFile(big, '');
    await truncate(big, MAX_EXECUTABLE_BYTES + 1); // sparse: no 64 MiB actually written
    const huge = new EngineRegistry(configFor(big, sha(SCRIPT)));
    expect((await rejected(huge.materialize('patch', runDir))).code).toBe('REGISTRY_INVALID');
    expect(await readdir(runDir)).toEqual([]);
  });

  it('refuses a device even when the pin matches what it reads (not a regular file)', async () => {
    const registry = new EngineRegistry(configFor('/dev/null', sha(Buffer.alloc(0))));
    expect((await rejected(registry.materialize('patch', runDir))).code).toBe('REGISTRY_INVALID');
    expect(await readdir(runDir)).toEqual([]);
  });

  it('never writes through an existing file or symlink in the run directory', async () => {
    const registry = new EngineRegistry(configFor(exe, sha(SCRIPT)));
    const victim = join(dir, 'victim');
    await writeFile(victim, 'keep');
    await symlink(victim, join(runDir, 'engine.mjs'));
    expect((await rejected(registry.materialize('patch', runDir))).code).toBe('SANDBOX_FAILED');
    expect(await readFile(victim, 'utf8')).toBe('keep');
  });

  it('refuses an unknown engine and a relative run directory', async () => {
    const registry = new EngineRegistry(configFor(exe, sha(SCRIPT)));
    expect((await rejected(registry.materialize('other', runDir))).code).toBe('ENGINE_UNKNOWN');
    expect((await rejected(registry.materialize('patch', 'run'))).code).toBe('INTERNAL');
  });
});

describe('publisher signatures', () => {
  const withPublisher =
    (publisher: Obj) =>
    (c: Obj): Obj =>
      setAt(c, ['engines', 0, 'publisher'], publisher);

  it('accepts a good signature at load and at materialize', async () => {
    const pub = makePublisher();
    const signature = pub.sign({ id: 'patch', version: '1.0.0', sha256: sha(SCRIPT) });
    const config = configFor(exe, sha(SCRIPT), withPublisher({ key: pub.key, signature }));
    const keyRef = `ed25519:${sha(Buffer.from(pub.key, 'base64url'))}`;
    expect(config.engines[0]?.publisher).toEqual({ key: pub.key, signature, keyRef });
    const result = await new EngineRegistry(config).materialize('patch', runDir);
    expect((await readFile(result.path)).equals(SCRIPT)).toBe(true);
  });

  it('refuses a config whose signature is by another key or over other fields', () => {
    const pub = makePublisher();
    const other = makePublisher();
    const good = { id: 'patch', version: '1.0.0', sha256: sha(SCRIPT) };
    const cases: Obj[] = [
      { key: other.key, signature: pub.sign(good) },
      { key: pub.key, signature: pub.sign({ ...good, version: '1.0.1' }) },
      { key: pub.key, signature: pub.sign({ ...good, id: 'cnc' }) },
      { key: pub.key, signature: pub.sign({ ...good, sha256: sha(Buffer.from('other')) }) },
      { key: pub.key, signature: 'A'.repeat(86) },
    ];
    for (const publisher of cases) {
      const err = thrown(() => configFor(exe, sha(SCRIPT), withPublisher(publisher)));
      expect(err.code).toBe('ENGINE_SIGNATURE_INVALID');
      expect(err.detail).toMatchObject({ engine: 'patch' });
    }
  });

  it('refuses a repinned entry whose signature covered the old bytes', () => {
    const pub = makePublisher();
    const signature = pub.sign({ id: 'patch', version: '1.0.0', sha256: sha(SCRIPT) });
    const repinned = sha(Buffer.from('evil'));
    const err = thrown(() => configFor(exe, repinned, withPublisher({ key: pub.key, signature })));
    expect(err.code).toBe('ENGINE_SIGNATURE_INVALID');
  });

  it('re-verifies the signature before every launch', async () => {
    const pub = makePublisher();
    const good = configFor(exe, sha(SCRIPT));
    const entry = good.engines[0];
    if (entry === undefined) throw new Error('no engine');
    // A config object built in memory (not by parseConfig) with a signature over other bytes.
    const forged: ClearanceConfig = {
      ...good,
      engines: [
        {
          ...entry,
          publisher: {
            key: pub.key,
            signature: pub.sign({ id: 'patch', version: '9', sha256: sha(SCRIPT) }),
            keyRef: 'ed25519:x',
          },
        },
      ],
    };
    const err = await rejected(new EngineRegistry(forged).materialize('patch', runDir));
    expect(err.code).toBe('ENGINE_SIGNATURE_INVALID');
    expect(await readdir(runDir)).toEqual([]);
  });

  it('accepts an entry without a publisher (signatures are optional)', () => {
    expect(configFor(exe, sha(SCRIPT)).engines[0]?.publisher).toBeUndefined();
  });
});
