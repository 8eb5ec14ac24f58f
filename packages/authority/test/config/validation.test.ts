/**
 * parseConfig refuses every malformed configuration with CONFIG_INVALID and the JSON pointer of
 * the offending value. Nothing unknown is ever ignored (PRE-1: there is no skip_preflight).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { baseConfig, deleteAt, setAt, thrown, type Obj } from './helpers.js';

type Path = readonly (string | number)[];
type Case = readonly [name: string, mutate: (c: Obj) => Obj, pointer: string];

const set = (path: Path, value: unknown) => (c: Obj) => setAt(c, path, value);
const del = (path: Path) => (c: Obj) => deleteAt(c, path);
const E = ['engines', 0] as const;
const L = [...E, 'limits'] as const;

function refused(cases: readonly Case[]): void {
  it.each(cases)('%s', (_name, mutate, pointer) => {
    const config = mutate(baseConfig());
    expect(thrown(() => parseConfig(JSON.stringify(config)))).toEqual({
      code: 'CONFIG_INVALID',
      detail: { pointer },
    });
  });
}

describe('unknown keys are refused at every level', () => {
  refused([
    ['top-level skip_preflight (PRE-1)', set(['skip_preflight'], true), '/skip_preflight'],
    [
      'policy.skip_preflight (PRE-1)',
      set(['policy', 'skip_preflight'], true),
      '/policy/skip_preflight',
    ],
    ['policy.enabled', set(['policy', 'enabled'], false), '/policy/enabled'],
    ['engine', set([...E, 'sandbox'], false), '/engines/0/sandbox'],
    ['engine limits', set([...L], { cpu: 1 }), '/engines/0/limits/cpu'],
    [
      'publisher',
      set([...E, 'publisher'], { key: 'a', signature: 'b', x: 1 }),
      '/engines/0/publisher/x',
    ],
    ['workspace', set(['workspaces', 0, 'writable'], true), '/workspaces/0/writable'],
    [
      'policy source',
      set(['policy', 'sources', 0, 'optional'], true),
      '/policy/sources/0/optional',
    ],
    ['approvals', set(['approvals', 'auto_approve'], true), '/approvals/auto_approve'],
    ['server', set(['server', 'tls'], false), '/server/tls'],
    [
      '__proto__ key',
      (c) => JSON.parse(JSON.stringify(c).replace('{', '{"__proto__":{},')) as Obj,
      '/__proto__',
    ],
    ['a key with / is escaped in the pointer', set(['a/b~c'], 1), '/a~1b~0c'],
  ]);
});

describe('structure', () => {
  refused([
    ['version 2', set(['version'], 2), '/version'],
    ['version as a string', set(['version'], '1'), '/version'],
    ['missing version', del(['version']), '/version'],
    ['missing engines', del(['engines']), '/engines'],
    ['missing policy', del(['policy']), '/policy'],
    ['missing policy.sources', del(['policy', 'sources']), '/policy/sources'],
    ['engines not an array', set(['engines'], {}), '/engines'],
    ['engine not an object', set([...E], 'patch'), '/engines/0'],
    ['missing engine sha256', del([...E, 'sha256']), '/engines/0/sha256'],
    ['null limits', set([...L], null), '/engines/0/limits'],
    [
      'source config not an object',
      set(['policy', 'sources', 0, 'config'], []),
      '/policy/sources/0/config',
    ],
    [
      'reserved source name preflight',
      set(['policy', 'sources', 0, 'name'], 'preflight'),
      '/policy/sources/0/name',
    ],
    [
      'source kind uppercase',
      set(['policy', 'sources', 0, 'kind'], 'Rules'),
      '/policy/sources/0/kind',
    ],
  ]);

  it('refuses non-objects and malformed or non-strict JSON', () => {
    expect(thrown(() => parseConfig('[]'))).toEqual({
      code: 'CONFIG_INVALID',
      detail: { pointer: '' },
    });
    const dup = thrown(() => parseConfig('{"version":1,"version":1}'));
    expect(dup.code).toBe('CONFIG_INVALID');
    expect(dup.detail).toMatchObject({ pointer: '', reason: 'JSON_DUPLICATE_KEY' });
    expect(thrown(() => parseConfig('{"version":1,}')).code).toBe('CONFIG_INVALID');
    expect(thrown(() => parseConfig(Uint8Array.of(0x7b, 0xff, 0x7d))).code).toBe('CONFIG_INVALID');
  });
});

describe('names and ids', () => {
  const badNames = ['Patch', '-x', '.x', '', 'a'.repeat(65), 'a/b', 'é', 'a b', 5];
  refused(
    badNames.map((v): Case => [
      `engine id ${JSON.stringify(v)}`,
      set([...E, 'id'], v),
      '/engines/0/id',
    ]),
  );
  refused(
    badNames.map((v): Case => [
      `workspace name ${JSON.stringify(v)}`,
      set(['workspaces', 0, 'name'], v),
      '/workspaces/0/name',
    ]),
  );
  refused([
    [
      'duplicate engine id',
      (c) => setAt(c, ['engines', 1], { ...(c['engines'] as Obj[])[0] }),
      '/engines/1/id',
    ],
    [
      'duplicate workspace name',
      (c) => setAt(c, ['workspaces', 1], { name: 'demo', path: '/srv/other' }),
      '/workspaces/1/name',
    ],
    [
      'duplicate source name',
      (c) => setAt(c, ['policy', 'sources', 1], { name: 'rules', kind: 'rego' }),
      '/policy/sources/1/name',
    ],
    ['empty version', set([...E, 'version'], ''), '/engines/0/version'],
    ['version with a space', set([...E, 'version'], '1.0 beta'), '/engines/0/version'],
    ['version too long', set([...E, 'version'], '1'.repeat(65)), '/engines/0/version'],
    ['empty model', set([...E, 'model'], ''), '/engines/0/model'],
    ['model with a space', set([...E, 'model'], 'gpt 4'), '/engines/0/model'],
  ]);
});

describe('paths', () => {
  const badAbsolute = [
    'patch.mjs',
    './patch.mjs',
    '/a/../patch.mjs',
    '/a//patch.mjs',
    '/a/./p',
    '/a/',
    '/',
    '/a\u0000b',
    '/a\nb',
    '',
  ];
  refused(
    badAbsolute.map((v): Case => [
      `executable ${JSON.stringify(v)}`,
      set([...E, 'executable'], v),
      '/engines/0/executable',
    ]),
  );
  refused(
    badAbsolute.map((v): Case => [
      `workspace path ${JSON.stringify(v)}`,
      set(['workspaces', 0, 'path'], v),
      '/workspaces/0/path',
    ]),
  );
  refused(
    ['/bin/node', '/usrx/bin/node', '/usr', '/usr/../bin/node', 'node', '/opt/node'].map(
      (v): Case => [
        `interpreter ${v} (outside /usr)`,
        set([...E, 'interpreter'], v),
        '/engines/0/interpreter',
      ],
    ),
  );
  refused(
    ['/abs', '../x', 'a/../b', 'a//b', './a', 'a/', '', 'a\u0000b'].map((v): Case => [
      `exclude ${JSON.stringify(v)}`,
      set(['workspaces', 0, 'exclude', 0], v),
      '/workspaces/0/exclude/0',
    ]),
  );
  refused([
    [
      'duplicate exclude',
      set(['workspaces', 0, 'exclude', 1], '.git/index'),
      '/workspaces/0/exclude/1',
    ],
    [
      '33 args',
      set(
        [...E, 'args'],
        Array.from({ length: 33 }, () => 'x'),
      ),
      '/engines/0/args',
    ],
    ['non-string arg', set([...E, 'args'], ['--x', 1]), '/engines/0/args/1'],
    ['arg with NUL', set([...E, 'args'], ['a\u0000b']), '/engines/0/args/0'],
  ]);
});

describe('numbers are range-checked', () => {
  refused([
    ['wall_time_ms 0', set([...L], { wall_time_ms: 0 }), '/engines/0/limits/wall_time_ms'],
    [
      'wall_time_ms above 1 h',
      set([...L], { wall_time_ms: 3_600_001 }),
      '/engines/0/limits/wall_time_ms',
    ],
    [
      'wall_time_ms fractional',
      set([...L], { wall_time_ms: 1000.5 }),
      '/engines/0/limits/wall_time_ms',
    ],
    [
      'wall_time_ms as a string',
      set([...L], { wall_time_ms: '1000' }),
      '/engines/0/limits/wall_time_ms',
    ],
    [
      'memory_bytes above 16 GiB',
      set([...L], { memory_bytes: 16 * 2 ** 30 + 1 }),
      '/engines/0/limits/memory_bytes',
    ],
    ['stdout_bytes negative', set([...L], { stdout_bytes: -1 }), '/engines/0/limits/stdout_bytes'],
    [
      'stderr_bytes above 16 MiB',
      set([...L], { stderr_bytes: 16 * 2 ** 20 + 1 }),
      '/engines/0/limits/stderr_bytes',
    ],
    [
      'file_size_bytes above 1 GiB',
      set([...L], { file_size_bytes: 2 ** 30 + 1 }),
      '/engines/0/limits/file_size_bytes',
    ],
    ['processes 0', set([...L], { processes: 0 }), '/engines/0/limits/processes'],
    ['processes 4097', set([...L], { processes: 4097 }), '/engines/0/limits/processes'],
    [
      'artifacts_bytes above 1 GiB',
      set([...L], { artifacts_bytes: 2 ** 30 + 1 }),
      '/engines/0/limits/artifacts_bytes',
    ],
    [
      'artifacts_count 100001',
      set([...L], { artifacts_count: 100_001 }),
      '/engines/0/limits/artifacts_count',
    ],
    ['policy timeout 0', set(['policy', 'timeout_ms'], 0), '/policy/timeout_ms'],
    ['policy timeout above 5 min', set(['policy', 'timeout_ms'], 300_001), '/policy/timeout_ms'],
    ['approval ttl 0', set(['approvals', 'ttl_ms'], 0), '/approvals/ttl_ms'],
    ['approval ttl null', set(['approvals', 'ttl_ms'], null), '/approvals/ttl_ms'],
    ['port 65536', set(['server', 'port'], 65_536), '/server/port'],
    ['port -1', set(['server', 'port'], -1), '/server/port'],
    ['host with a space', set(['server', 'host'], 'bad host'), '/server/host'],
    ['empty host', set(['server', 'host'], ''), '/server/host'],
  ]);
});

describe('aggregation (G-16, S-22)', () => {
  refused(
    ['majority', 'any_deny', 'custom', 'MOST_RESTRICTIVE', '', 3].map((v): Case => [
      `aggregation ${JSON.stringify(v)}`,
      set(['policy', 'aggregation'], v),
      '/policy/aggregation',
    ]),
  );

  it.each(['most_restrictive', 'unanimous', 'all_allow'])(
    'normalises %s to most_restrictive',
    (v) => {
      const c = parseConfig(JSON.stringify(setAt(baseConfig(), ['policy', 'aggregation'], v)));
      expect(c.policy.aggregation).toBe('most_restrictive');
    },
  );
});

describe('pins and publisher encodings', () => {
  refused([
    ['uppercase sha256', set([...E, 'sha256'], 'AB'.repeat(32)), '/engines/0/sha256'],
    ['63-character sha256', set([...E, 'sha256'], 'a'.repeat(63)), '/engines/0/sha256'],
    ['non-hex sha256', set([...E, 'sha256'], 'g'.repeat(64)), '/engines/0/sha256'],
    [
      'publisher without signature',
      set([...E, 'publisher'], { key: 'A'.repeat(43) }),
      '/engines/0/publisher/signature',
    ],
    [
      'key not base64url',
      set([...E, 'publisher'], { key: '!'.repeat(43), signature: 'A'.repeat(86) }),
      '/engines/0/publisher/key',
    ],
    [
      'padded key',
      set([...E, 'publisher'], { key: `${'A'.repeat(42)}=`, signature: 'A'.repeat(86) }),
      '/engines/0/publisher/key',
    ],
    [
      '31-byte key',
      set([...E, 'publisher'], {
        key: Buffer.alloc(31).toString('base64url'),
        signature: 'A'.repeat(86),
      }),
      '/engines/0/publisher/key',
    ],
    // Non-canonical: the last symbol carries low bits that a decoder would silently drop.
    [
      'non-canonical key',
      set([...E, 'publisher'], { key: `${'A'.repeat(42)}B`, signature: 'A'.repeat(86) }),
      '/engines/0/publisher/key',
    ],
    [
      'signature not base64url',
      set([...E, 'publisher'], { key: 'A'.repeat(43), signature: '+'.repeat(86) }),
      '/engines/0/publisher/signature',
    ],
    [
      '63-byte signature',
      set([...E, 'publisher'], {
        key: 'A'.repeat(43),
        signature: Buffer.alloc(63).toString('base64url'),
      }),
      '/engines/0/publisher/signature',
    ],
  ]);
});
