/**
 * Pins the sandbox argv: isolation flags, the environment and the whole mount table per mode
 * (GEN-3, GEN-10, ENG-2, ENG-8, ORCH-1, §4.2.12). Pure: no process is started.
 */
import { describe, expect, it } from 'vitest';
import {
  MAX_WALL_TIME_MS,
  SANDBOX_PATHS,
  buildBwrapArgs,
  buildBwrapOptions,
  buildEngineCommand,
  buildPrlimitArgs,
  protocolEnv,
} from '../../src/sandbox/index.js';
import type { SandboxLaunch, SandboxMode } from '../../src/sandbox/index.js';
import { buildProbeOptions } from '../../src/sandbox/bwrap-args.js';
import { LIMITS } from './helpers.js';

function launch(mode: SandboxMode, overrides: Partial<SandboxLaunch> = {}): SandboxLaunch {
  return {
    mode,
    executable: '/srv/engines/demo.mjs',
    interpreter: '/usr/bin/node',
    args: ['--verbose'],
    mounts: {
      workspace: '/srv/run/ws',
      artifacts: '/srv/run/art',
      temp: '/srv/run/tmp',
      ...(mode === 'take-off' ? { output: '/srv/run/out' } : {}),
    },
    stdin: new Uint8Array(0),
    limits: LIMITS,
    ...overrides,
  };
}

const ISOLATION = [
  ...['--unshare-all', '--unshare-user', '--unshare-cgroup', '--disable-userns', '--as-pid-1'],
  ...['--uid', '65534', '--gid', '65534'],
  ...['--die-with-parent', '--new-session', '--hostname', 'sandbox', '--cap-drop', 'ALL'],
];
const ROOT = [
  ...['--ro-bind', '/usr', '/usr'],
  ...['--symlink', 'usr/bin', '/bin', '--symlink', 'usr/sbin', '/sbin'],
  ...['--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64'],
  ...['--ro-bind', '/etc/ld.so.cache', '/etc/ld.so.cache'],
  ...['--proc', '/proc', '--dev', '/dev'],
];
const SEAL = ['--remount-ro', '/dev', '--remount-ro', '/'];

function env(mode: SandboxMode): string[] {
  return [
    '--clearenv',
    ...['--setenv', 'CABINCREW_ARTIFACTS_DIR', '/cabincrew/artifacts'],
    ...['--setenv', 'CABINCREW_MODE', mode],
    ...['--setenv', 'CABINCREW_TEMP_DIR', '/cabincrew/tmp'],
    ...['--setenv', 'CABINCREW_WORKSPACE', '/cabincrew/workspace'],
    ...['--setenv', 'PATH', '/usr/bin:/bin'],
  ];
}

/** The [flag, source, destination] triples of every bind mount in `options`. */
function binds(options: readonly string[]): string[][] {
  const out: string[][] = [];
  options.forEach((option, i) => {
    if (option === '--bind' || option === '--ro-bind') out.push(options.slice(i, i + 3));
  });
  return out;
}

async function codeOf(action: () => unknown): Promise<string | undefined> {
  try {
    await action();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('protocolEnv and SANDBOX_PATHS', () => {
  it('is exactly the four CABINCREW_* variables plus PATH, with in-sandbox paths (ENG-8)', () => {
    expect(protocolEnv('take-off')).toEqual({
      CABINCREW_WORKSPACE: '/cabincrew/workspace',
      CABINCREW_ARTIFACTS_DIR: '/cabincrew/artifacts',
      CABINCREW_TEMP_DIR: '/cabincrew/tmp',
      CABINCREW_MODE: 'take-off',
      PATH: '/usr/bin:/bin',
    });
    expect(protocolEnv('flight-plan').CABINCREW_MODE).toBe('flight-plan');
    expect(SANDBOX_PATHS).toEqual({
      workspace: '/cabincrew/workspace',
      artifacts: '/cabincrew/artifacts',
      temp: '/cabincrew/tmp',
      output: '/cabincrew/output',
      engineDir: '/cabincrew/engine',
    });
  });
});

describe('buildBwrapOptions', () => {
  it('pins the flight-plan table: workspace read-only, artifacts and temp writable, no output', () => {
    expect(buildBwrapOptions(launch('flight-plan'), 'host-uid')).toEqual([
      ...ISOLATION,
      ...env('flight-plan'),
      ...ROOT,
      ...['--ro-bind', '/srv/run/ws', '/cabincrew/workspace'],
      ...['--bind', '/srv/run/art', '/cabincrew/artifacts'],
      ...['--bind', '/srv/run/tmp', '/cabincrew/tmp'],
      ...['--ro-bind', '/srv/engines/demo.mjs', '/cabincrew/engine/demo.mjs'],
      ...SEAL,
      ...['--chdir', '/cabincrew/workspace'],
    ]);
  });

  it('pins the take-off table: workspace writable, artifacts read-only, output writable', () => {
    expect(buildBwrapOptions(launch('take-off'), 'host-uid')).toEqual([
      ...ISOLATION,
      ...env('take-off'),
      ...ROOT,
      ...['--bind', '/srv/run/ws', '/cabincrew/workspace'],
      ...['--ro-bind', '/srv/run/art', '/cabincrew/artifacts'],
      ...['--bind', '/srv/run/tmp', '/cabincrew/tmp'],
      ...['--bind', '/srv/run/out', '/cabincrew/output'],
      ...['--ro-bind', '/srv/engines/demo.mjs', '/cabincrew/engine/demo.mjs'],
      ...SEAL,
      ...['--chdir', '/cabincrew/workspace'],
    ]);
  });

  it('binds no host path other than /usr, the loader cache and the run mounts', () => {
    for (const mode of ['flight-plan', 'take-off'] as const) {
      const sources = binds(buildBwrapOptions(launch(mode), 'host-uid')).map((b) => b[1]);
      const allowed = ['/usr', '/etc/ld.so.cache', '/srv/engines/demo.mjs'];
      expect(sources.every((s) => allowed.includes(s ?? '') || s?.startsWith('/srv/run/'))).toBe(
        true,
      );
      expect(buildBwrapOptions(launch(mode), 'host-uid')).not.toContain('--tmpfs');
      expect(buildBwrapOptions(launch(mode), 'host-uid')).not.toContain('--share-net');
    }
  });

  it('seals the root read-only after every mount', () => {
    const options = buildBwrapOptions(launch('take-off'), 'host-uid');
    const mountFlags = new Set(['--bind', '--ro-bind', '--symlink', '--proc', '--dev']);
    const lastMount = Math.max(...options.flatMap((o, i) => (mountFlags.has(o) ? [i] : [])));
    expect(options.indexOf('--remount-ro')).toBeGreaterThan(lastMount);
    expect(options.slice(-6, -2)).toEqual(SEAL);
  });

  it('is the same argv for both identities (host-uid differs only in spawn credentials)', () => {
    expect(buildBwrapOptions(launch('flight-plan'), 'userns')).toEqual(
      buildBwrapOptions(launch('flight-plan'), 'host-uid'),
    );
  });

  it('rejects an unknown identity', async () => {
    const bogus = 'root' as unknown as 'userns';
    expect(await codeOf(() => buildBwrapOptions(launch('flight-plan'), bogus))).toBe(
      'SANDBOX_FAILED',
    );
  });
});

describe('buildEngineCommand', () => {
  it('runs the engine through env -u PWD, with args then --mode <mode>', () => {
    expect(buildEngineCommand(launch('flight-plan'))).toEqual([
      ...['/usr/bin/env', '-u', 'PWD', '--'],
      ...['/usr/bin/node', '/cabincrew/engine/demo.mjs', '--verbose', '--mode', 'flight-plan'],
    ]);
    const { interpreter: _unused, ...withInterpreter } = launch('take-off', { args: [] });
    const direct: SandboxLaunch = withInterpreter;
    expect(buildEngineCommand(direct)).toEqual([
      ...['/usr/bin/env', '-u', 'PWD', '--'],
      ...['/cabincrew/engine/demo.mjs', '--mode', 'take-off'],
    ]);
  });

  it('joins options and command with --', () => {
    const l = launch('flight-plan');
    expect(buildBwrapArgs(l, 'userns')).toEqual([
      ...buildBwrapOptions(l, 'userns'),
      '--',
      ...buildEngineCommand(l),
    ]);
  });
});

describe('buildPrlimitArgs and the probe', () => {
  it('sets data, fsize, nproc, core and nofile (soft = hard)', () => {
    expect(buildPrlimitArgs(LIMITS)).toEqual([
      `--data=${LIMITS.memoryBytes}`,
      `--fsize=${LIMITS.fileSizeBytes}`,
      `--nproc=${LIMITS.processes}`,
      '--core=0',
      '--nofile=256',
    ]);
  });

  it('probes with the same isolation and root, and no run mounts', () => {
    expect(buildProbeOptions('host-uid')).toEqual([
      ...ISOLATION,
      ...['--clearenv', '--setenv', 'PATH', '/usr/bin:/bin'],
      ...ROOT,
      ...SEAL,
      ...['--chdir', '/'],
    ]);
  });
});

describe('launch validation (SANDBOX_FAILED before any argv exists)', () => {
  const cases: [string, SandboxLaunch][] = [
    [
      'NUL in a mount path',
      launch('flight-plan', {
        mounts: { ...launch('flight-plan').mounts, temp: '/srv/t\0--bind' },
      }),
    ],
    [
      'relative workspace',
      launch('flight-plan', { mounts: { ...launch('flight-plan').mounts, workspace: 'ws' } }),
    ],
    [
      'output in flight-plan',
      launch('flight-plan', {
        mounts: { ...launch('flight-plan').mounts, output: '/srv/run/out' },
      }),
    ],
    ['no output in take-off', launch('take-off', { mounts: launch('flight-plan').mounts })],
    ['NUL in an argument', launch('flight-plan', { args: ['a\0b'] })],
    ['relative executable', launch('flight-plan', { executable: 'demo.mjs' })],
    ['executable naming a folder', launch('flight-plan', { executable: '/srv/engines/..' })],
    ['interpreter outside the root', launch('flight-plan', { interpreter: '/opt/node/bin/node' })],
    ['interpreter escaping /usr', launch('flight-plan', { interpreter: '/usr/../opt/node' })],
    ['unknown mode', launch('flight-plan', { mode: 'cruise' as unknown as SandboxMode })],
    ['zero wall time', launch('flight-plan', { limits: { ...LIMITS, wallTimeMs: 0 } })],
    [
      'wall time past the timer range',
      launch('flight-plan', { limits: { ...LIMITS, wallTimeMs: MAX_WALL_TIME_MS + 1 } }),
    ],
    ['fractional memory', launch('flight-plan', { limits: { ...LIMITS, memoryBytes: 1.5 } })],
    ['NaN processes', launch('flight-plan', { limits: { ...LIMITS, processes: Number.NaN } })],
    ['stdin not bytes', launch('flight-plan', { stdin: '{}' as unknown as Uint8Array })],
  ];
  it.each(cases)('rejects %s', async (_name, bad) => {
    expect(await codeOf(() => buildBwrapArgs(bad, 'host-uid'))).toBe('SANDBOX_FAILED');
  });

  it('accepts the well-formed launches used above', () => {
    expect(() => buildBwrapArgs(launch('flight-plan'), 'host-uid')).not.toThrow();
    expect(() => buildBwrapArgs(launch('take-off'), 'host-uid')).not.toThrow();
  });
});
