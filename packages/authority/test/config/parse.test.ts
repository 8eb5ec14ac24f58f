/** parseConfig: defaults, normalisation, immutability and the config fingerprint. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  configJson,
  defaultConfig,
  LIMIT_SPECS,
  parseConfig,
  publicationDigest,
} from '../../src/config/index.js';
import { baseConfig, deleteAt, PIN, setAt, thrown, type Obj } from './helpers.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A deep copy with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}

describe('parseConfig', () => {
  it('parses engine secret mappings strictly (SEC-2): names, variables, no duplicates', () => {
    const withSecrets = (secrets: unknown) => {
      const raw = baseConfig();
      const engines = raw['engines'];
      if (!Array.isArray(engines) || typeof engines[0] !== 'object' || engines[0] === null) {
        throw new Error('fixture');
      }
      Object.assign(engines[0], { secrets });
      return JSON.stringify(raw);
    };
    expect(
      parseConfig(withSecrets([{ name: 'api_key', env: 'PATCH_API_KEY' }])).engines[0]?.secrets,
    ).toEqual([{ name: 'api_key', env: 'PATCH_API_KEY' }]);
    for (const bad of [
      [{ name: 'a', env: 'lower' }],
      [{ name: '1bad', env: 'X' }],
      [{ name: 'a', env: 'X', value: 'inline secrets are refused' }],
      [
        { name: 'a', env: 'X' },
        { name: 'a', env: 'Y' },
      ],
    ]) {
      expect(() => parseConfig(withSecrets(bad))).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
    }
  });

  it('fills every default and keeps what was written', () => {
    const raw = baseConfig();
    deleteAt(raw, ['approvals']);
    deleteAt(raw, ['server']);
    deleteAt(raw, ['workspaces']);
    const c = parseConfig(JSON.stringify(raw));
    const engine = c.engines[0];
    expect(engine).toEqual({
      id: 'patch',
      version: '1.0.0',
      executable: '/opt/engines/patch.mjs',
      sha256: PIN,
      args: [],
      model: 'none',
      limits: {
        wallTimeMs: 60_000,
        memoryBytes: 512 * 2 ** 20,
        stdoutBytes: 2 ** 20,
        stderrBytes: 256 * 2 ** 10,
        fileSizeBytes: 64 * 2 ** 20,
        processes: 64,
        artifactsBytes: 64 * 2 ** 20,
        artifactsCount: 1000,
      },
      secrets: [],
    });
    expect(engine && 'interpreter' in engine).toBe(false);
    expect(engine && 'publisher' in engine).toBe(false);
    expect(c.workspaces).toEqual([]);
    expect(c.approvals).toEqual({});
    expect(c.server).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(c.policy).toEqual({
      timeoutMs: 5000,
      aggregation: 'most_restrictive',
      sources: [{ name: 'rules', kind: 'rules', config: { rules: [] } }],
    });
  });

  it('accepts the limits at their bounds', () => {
    const at = (bound: 'min' | 'max'): Obj =>
      Object.fromEntries(Object.entries(LIMIT_SPECS).map(([k, s]) => [k, s[bound]]));
    for (const bound of ['min', 'max'] as const) {
      const c = parseConfig(
        JSON.stringify(setAt(baseConfig(), ['engines', 0, 'limits'], at(bound))),
      );
      expect(c.engines[0]?.limits.processes).toBe(LIMIT_SPECS.processes[bound]);
      expect(c.engines[0]?.limits.memoryBytes).toBe(LIMIT_SPECS.memory_bytes[bound]);
    }
  });

  it('accepts an empty policy source list (preflight then denies everything, PRE-14)', () => {
    const c = parseConfig(JSON.stringify(setAt(baseConfig(), ['policy', 'sources'], [])));
    expect(c.policy.sources).toEqual([]);
  });

  it('keeps a policy source config verbatim, as an opaque object', () => {
    const config = { rules: [{ when: { path: 'x' }, decision: 'deny', weight: 0.5 }], x: null };
    const c = parseConfig(
      JSON.stringify(setAt(baseConfig(), ['policy', 'sources', 0, 'config'], config)),
    );
    expect(c.policy.sources[0]?.config).toEqual(config);
  });

  it('accepts optional engine fields, IPv6 hosts and port 0', () => {
    const raw = baseConfig();
    setAt(raw, ['engines', 0, 'interpreter'], '/usr/local/bin/node');
    setAt(raw, ['engines', 0, 'args'], ['--experimental-x', '']);
    setAt(raw, ['engines', 0, 'model'], 'gpt-4o@2024-08-06');
    setAt(raw, ['server'], { host: '::1', port: 0 });
    const c = parseConfig(JSON.stringify(raw));
    expect(c.engines[0]).toMatchObject({
      interpreter: '/usr/local/bin/node',
      args: ['--experimental-x', ''],
      model: 'gpt-4o@2024-08-06',
    });
    expect(c.server).toEqual({ host: '::1', port: 0 });
  });

  it('returns a deeply frozen object', () => {
    const c = parseConfig(JSON.stringify(baseConfig()));
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.engines)).toBe(true);
    expect(Object.isFrozen(c.engines[0]?.limits)).toBe(true);
    expect(Object.isFrozen(c.policy.sources[0]?.config)).toBe(true);
    expect(() => {
      (c.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('config fingerprint', () => {
  const digest = (raw: unknown, space?: number): string =>
    parseConfig(JSON.stringify(raw, null, space)).digest;

  it('is stable across key order, whitespace and bytes vs text', () => {
    const base = digest(baseConfig());
    expect(digest(reversed(baseConfig()), 4)).toBe(base);
    const bytes = new TextEncoder().encode(`\n\t ${JSON.stringify(baseConfig(), null, 1)} \n`);
    expect(parseConfig(bytes).digest).toBe(base);
  });

  it('is equal for spelled-out defaults and aggregation aliases', () => {
    const spelled = baseConfig();
    setAt(spelled, ['engines', 0, 'model'], 'none');
    setAt(spelled, ['engines', 0, 'args'], []);
    setAt(
      spelled,
      ['engines', 0, 'limits'],
      Object.fromEntries(Object.entries(LIMIT_SPECS).map(([k, s]) => [k, s.default])),
    );
    setAt(spelled, ['policy', 'timeout_ms'], 5000);
    setAt(spelled, ['policy', 'aggregation'], 'unanimous');
    expect(digest(spelled)).toBe(digest(baseConfig()));
  });

  it('changes when anything that matters changes', () => {
    const base = digest(baseConfig());
    const changes: [readonly (string | number)[], unknown][] = [
      [['engines', 0, 'sha256'], `${PIN.slice(0, -1)}c`],
      [['engines', 0, 'limits'], { processes: 65 }],
      [['engines', 0, 'model'], 'other'],
      [['workspaces', 0, 'exclude'], []],
      [['policy', 'sources'], []],
      [['policy', 'sources', 0, 'config'], { rules: [1] }],
      [['approvals'], {}],
      [['server', 'port'], 8788],
    ];
    for (const [path, value] of changes) {
      expect(digest(setAt(baseConfig(), path, value)), JSON.stringify(path)).not.toBe(base);
    }
  });

  it('is pinned: H("clearance.config.v1", normalised form), computed independently', () => {
    const raw = {
      version: 1,
      engines: [{ id: 'e', version: '1', executable: '/x', sha256: PIN }],
      policy: { sources: [] },
    };
    const canonical =
      '{"approvals":{},"engines":[{"args":[],"executable":"/x","id":"e","limits":' +
      '{"artifacts_bytes":67108864,"artifacts_count":1000,"file_size_bytes":67108864,' +
      '"memory_bytes":536870912,"processes":64,"stderr_bytes":262144,"stdout_bytes":1048576,' +
      `"wall_time_ms":60000},"model":"none","sha256":"${PIN}","version":"1"}],` +
      '"policy":{"aggregation":"most_restrictive","sources":[],"timeout_ms":5000},' +
      '"server":{"host":"127.0.0.1","port":8787},"version":1,"workspaces":[]}';
    const c = parseConfig(JSON.stringify(raw));
    expect(c.digest).toBe(sha256(`clearance.config.v1\u0000${canonical}`));
    // The normalised form parses back to the same fingerprint.
    expect(parseConfig(JSON.stringify(configJson(c))).digest).toBe(c.digest);
  });
});

describe('publicationDigest', () => {
  it('is pinned: H("clearance.engine-publication.v1", {id, sha256, version})', () => {
    const expected = sha256(
      `clearance.engine-publication.v1\u0000{"id":"patch","sha256":"${PIN}","version":"1.0.0"}`,
    );
    expect(publicationDigest({ id: 'patch', version: '1.0.0', sha256: PIN })).toBe(expected);
  });

  it('ignores every other field of the entry it is given', () => {
    const entry = { id: 'patch', version: '1.0.0', sha256: PIN, executable: '/x', model: 'm' };
    expect(publicationDigest(entry)).toBe(
      publicationDigest({ id: 'patch', version: '1.0.0', sha256: PIN }),
    );
  });
});

describe('defaultConfig', () => {
  it('writes a loadable config: patch engine pinned, .git/index excluded, no policy sources', () => {
    const written = defaultConfig({
      patchExecutable: '/opt/clearance/engines/patch.mjs',
      patchSha256: PIN,
      workspaces: [{ name: 'demo', path: '/srv/demo' }],
    });
    const c = parseConfig(JSON.stringify(written));
    expect(c.engines.map((e) => [e.id, e.sha256, e.interpreter])).toEqual([
      ['patch', PIN, '/usr/bin/node'],
    ]);
    expect(c.workspaces).toEqual([{ name: 'demo', path: '/srv/demo', exclude: ['.git/index'] }]);
    expect(c.policy.sources).toEqual([]);
    expect(c.approvals.ttlMs).toBe(86_400_000);
    expect(written).toEqual(configJson(c));
  });

  it('refuses options that would produce an invalid config', () => {
    expect(thrown(() => defaultConfig({ patchExecutable: 'patch.mjs', patchSha256: PIN }))).toEqual(
      { code: 'CONFIG_INVALID', detail: { pointer: '/engines/0/executable' } },
    );
    expect(
      thrown(() =>
        defaultConfig({ patchExecutable: '/p.mjs', patchSha256: PIN, interpreter: '/bin/node' }),
      ).code,
    ).toBe('CONFIG_INVALID');
  });
});
