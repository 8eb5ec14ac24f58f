#!/usr/bin/env node
// Build the web console (packages/console) into packages/console/dist: index.html, app.js,
// app.css and nothing else.
//
// esbuild bundles src/main.tsx (Preact, automatic JSX runtime) for the browser, with workspace
// packages resolved to their TypeScript sources (`clearance-source`), exactly as tests see them.
// Nothing is fetched at build or run time: no CDN, no network. The bundle must not import
// anything (no external modules, no node: builtins): the console may only use @clearance/client,
// which imports only types and the import-free modules of `@clearance/protocol/portable`. Output
// is deterministic (no sourcemap, no banner, no timestamps, paths relative to the repository
// root), so the same sources give the same bytes.
//
// Usage: node scripts/build-console.mjs   (writes packages/console/dist/)
// API:   await buildConsole({ outDir }) -> [{ file, sha256, bytes }]

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE_DIR = path.join(REPO_ROOT, 'packages/console');

/** Default output folder (gitignored). */
export const DEFAULT_OUT_DIR = path.join(CONSOLE_DIR, 'dist');

/** The bundle of src/main.tsx. */
async function bundleApp() {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['packages/console/src/main.tsx'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: 'packages/console/tsconfig.json',
    conditions: ['clearance-source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  const [file, ...rest] = result.outputFiles;
  if (file === undefined || rest.length > 0) throw new Error('expected exactly one output');
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      throw new Error(`the bundle would import ${imported.path} at run time`);
    }
  }
  for (const input of Object.keys(result.metafile.inputs)) {
    // Only the console, the client, the protocol's portable (import-free) face with the modules it
    // re-exports (hash domains, the CNC wire contract) and Preact belong in the browser bundle.
    const portable =
      /^packages\/protocol\/src\/(portable|hash-domains|cnc-wire|cnc-wire-types|wire-schema|types\/orchestrator)\.ts$/;
    if (
      !/^(packages\/(console|client)\/src\/|node_modules\/preact\/)/.test(input) &&
      !portable.test(input)
    ) {
      throw new Error(`unexpected module in the console bundle: ${input}`);
    }
  }
  return file.contents;
}

/**
 * Build the console into `outDir`.
 * @param {{ outDir?: string }} [options]
 * @returns {Promise<{ file: string, sha256: string, bytes: number }[]>}
 */
export async function buildConsole({ outDir = DEFAULT_OUT_DIR } = {}) {
  const dir = path.resolve(outDir);
  const outputs = [
    ['index.html', await readFile(path.join(CONSOLE_DIR, 'src/index.html'))],
    ['app.js', await bundleApp()],
    ['app.css', await readFile(path.join(CONSOLE_DIR, 'src/app.css'))],
  ];
  await mkdir(dir, { recursive: true });
  const built = [];
  for (const [name, contents] of outputs) {
    const file = path.join(dir, name);
    await writeFile(file, contents, { mode: 0o644 });
    built.push({
      file,
      sha256: createHash('sha256').update(contents).digest('hex'),
      bytes: contents.length,
    });
  }
  return built;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  try {
    for (const { file, sha256, bytes } of await buildConsole()) {
      process.stdout.write(`${path.relative(REPO_ROOT, file)}\t${bytes} B\tsha256:${sha256}\n`);
    }
  } catch (error) {
    process.stderr.write(
      `build-console: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
