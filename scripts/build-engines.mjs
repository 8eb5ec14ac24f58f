#!/usr/bin/env node
// Bundle the built-in CabinCrew engines into single self-contained ESM files.
//
// Each engine runs in a sandbox with only /usr and no node_modules, so its bundle may import
// node: builtins and nothing else; any other bare import fails the build instead of being
// bundled silently. Output is deterministic (no banner, no sourcemap, paths relative to the
// repository root), so the same sources always give the same bytes and the same SHA-256.
//
// Usage: node scripts/build-engines.mjs   (writes packages/authority/engines/<id>.mjs)
// API:   await buildEngines({ outDir }) -> [{ id, file, sha256 }]

import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Default output folder (gitignored). */
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'packages/authority/engines');

/** The engines to bundle: id (the bundle's file stem) and entry point relative to the repo. */
export const ENGINES = Object.freeze([
  { id: 'patch', entry: 'packages/authority/src/engines/patch/main.ts' },
]);

/** esbuild plugin: only node: builtins and relative files may be imported. */
const nodeBuiltinsOnly = {
  name: 'node-builtins-only',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('.')) return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      return { errors: [{ text: `engine bundles may import only node: builtins: ${args.path}` }] };
    });
  },
};

/**
 * @param {{ id: string, entry: string }} engine
 * @returns {Promise<Uint8Array>}
 */
async function bundle(engine) {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [engine.entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    plugins: [nodeBuiltinsOnly],
  });
  const [file, ...rest] = result.outputFiles;
  if (file === undefined || rest.length > 0) throw new Error(`${engine.id}: expected one output`);
  return file.contents;
}

/**
 * Bundle every engine into `outDir`.
 * @param {{ outDir?: string }} [options]
 * @returns {Promise<{ id: string, file: string, sha256: string }[]>}
 */
export async function buildEngines({ outDir = DEFAULT_OUT_DIR } = {}) {
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  const built = [];
  for (const engine of ENGINES) {
    const contents = await bundle(engine);
    const file = path.join(dir, `${engine.id}.mjs`);
    await writeFile(file, contents, { mode: 0o644 });
    built.push({
      id: engine.id,
      file,
      sha256: createHash('sha256').update(contents).digest('hex'),
    });
  }
  return built;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  try {
    for (const { id, file, sha256 } of await buildEngines()) {
      process.stdout.write(`${id}\t${path.relative(REPO_ROOT, file)}\tsha256:${sha256}\n`);
    }
  } catch (error) {
    process.stderr.write(
      `build-engines: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
