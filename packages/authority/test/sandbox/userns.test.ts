/**
 * The userns identity, for an authority that is not root: the sandbox code is bundled with
 * esbuild and run by a Node process with uid 65534, which launches a real engine. The engine is
 * 65534 only inside its user namespace; everything else holds as with host-uid.
 */
import { spawn } from 'node:child_process';
import { chown, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { protocolEnv } from '../../src/sandbox/index.js';
import { NOBODY, NODE, makeRoot, makeRun, nodeLaunch, removeRoot } from './helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const VALIDATORS = join(HERE, '../../../protocol/src/validators.ts');

/** Runs one launch (argv[2], stdin as a string) and reports identity, result and refusals. */
const DRIVER = `
import { BubblewrapSandbox } from '../../src/sandbox/index.js';
const launch = JSON.parse(process.argv[2]);
const out = {};
const codeOf = (err) => (err && typeof err === 'object' && 'code' in err ? err.code : String(err));
try {
  const sandbox = await BubblewrapSandbox.create();
  out.identity = sandbox.identity;
  const r = await sandbox.run({ ...launch, stdin: Buffer.from(launch.stdin) });
  out.result = { exitCode: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
} catch (err) {
  out.error = codeOf(err);
}
try {
  await BubblewrapSandbox.create({ identity: 'host-uid' });
  out.hostUid = 'accepted';
} catch (err) {
  out.hostUid = codeOf(err);
}
process.stdout.write(JSON.stringify(out));
`;

let root: string;
let driver: string;

beforeAll(async () => {
  root = await makeRoot();
  driver = join(root, 'driver.mjs');
  const bundled = await build({
    stdin: { contents: DRIVER, resolveDir: HERE, loader: 'ts', sourcefile: 'driver.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['clearance-source'],
    // The protocol package finds its schema next to its sources.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(VALIDATORS).href) },
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire('/');",
    },
    write: false,
    logLevel: 'silent',
  });
  const output = bundled.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced nothing');
  await writeFile(driver, output.contents, { mode: 0o644 });
});
afterAll(async () => {
  await removeRoot(root);
});

function runAsNobody(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [driver, ...args], {
      uid: NOBODY,
      gid: NOBODY,
      env: {},
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('a non-root authority gets the userns identity: engine is 65534 inside, env exact, no host paths', async () => {
  const dirs = await makeRun(root);
  // A non-root authority owns its per-run directories.
  for (const dir of [dirs.artifacts, dirs.temp, dirs.output]) await chown(dir, NOBODY, NOBODY);
  const launch = nodeLaunch(dirs, 'take-off', 'introspect.mjs', { stdin: '{"hello":1}' });
  const { code, stdout, stderr } = await runAsNobody([
    JSON.stringify({ ...launch, stdin: '{"hello":1}' }),
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const out = JSON.parse(stdout) as {
    identity: string;
    hostUid: string;
    result: { exitCode: number; stdout: string; stderr: string };
  };
  expect(out.identity).toBe('userns');
  expect(out.hostUid).toBe('SANDBOX_UNAVAILABLE');
  expect(out.result.exitCode).toBe(0);
  const seen = JSON.parse(out.result.stdout) as Record<string, unknown>;
  expect(seen.env).toEqual(protocolEnv('take-off'));
  expect([seen.uid, seen.gid]).toEqual([NOBODY, NOBODY]);
  expect(seen.stdin).toBe('{"hello":1}');
  expect(seen.interfaces).toEqual(['lo']);
  expect(seen.root).toEqual([
    'bin',
    'cabincrew',
    'dev',
    'etc',
    'lib',
    'lib64',
    'proc',
    'sbin',
    'usr',
  ]);
  expect(String(seen.status)).toMatch(/^CapEff:\t0+$/m);
});
