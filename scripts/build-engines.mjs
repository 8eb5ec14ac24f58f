#!/usr/bin/env node
// Bundle the built-in CabinCrew engines into single self-contained ESM files.
//
// Each engine runs in a sandbox with only /usr and no node_modules, so its bundle must be
// self-contained: node: builtins stay external, everything else (workspace packages through
// their TypeScript sources via the `clearance-source` export condition, and their npm
// dependencies) is bundled in. The build fails if any other import would be left external, or
// if the bundle would still read a file relative to itself (`import.meta.url`): files a module
// reads at load (`readFileSync(new URL('<relative>', import.meta.url), 'utf8')`, e.g. the
// protocol's vendored schema) are inlined as string literals at build time. Output is
// deterministic (no banner, no sourcemap, paths relative to the repository root), so the same
// sources always give the same bytes and the same SHA-256.
//
// Usage: node scripts/build-engines.mjs   (writes packages/authority/engines/<id>.mjs)
// API:   await buildEngines({ outDir }) -> [{ id, file, sha256 }]

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
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
  { id: 'cnc', entry: 'packages/authority/src/engines/cnc/main.ts' },
]);

/** esbuild plugin: node: builtins (also when imported by their bare name) stay external. */
const nodeBuiltinsExternal = {
  name: 'node-builtins-external',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (isBuiltin(args.path)) return { path: `node:${args.path}`, external: true };
      return undefined; // resolved and bundled by esbuild; unresolvable imports fail the build
    });
  },
};

/** The protocol's sources: no module there has an import-time effect another module relies on. */
const PROTOCOL_SOURCES = path.join(REPO_ROOT, 'packages/protocol/src') + path.sep;
const RESOLVING = Symbol('resolving');

/**
 * esbuild plugin: mark @clearance/protocol's modules side-effect free, so an engine that uses
 * only the canonicaliser, hashing and errors does not bundle the schema validators (ajv) too.
 */
const protocolSideEffectFree = {
  name: 'protocol-side-effect-free',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      const candidate =
        args.path === '@clearance/protocol' ||
        (args.path.startsWith('.') && args.importer.startsWith(PROTOCOL_SOURCES));
      if (!candidate) return undefined;
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: RESOLVING,
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(PROTOCOL_SOURCES))
        return undefined;
      return { path: resolved.path, namespace: resolved.namespace, sideEffects: false };
    });
  },
};

/** `readFileSync(new URL('<relative path>', import.meta.url), 'utf8')`, as written in sources. */
const READ_RELATIVE =
  /readFileSync\(\s*new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)\s*,\s*'utf8'\s*,?\s*\)/g;

/** esbuild plugin: inline files that workspace sources read relative to themselves at load. */
const inlineRelativeReads = {
  name: 'inline-relative-reads',
  /** @param {import('esbuild').PluginBuild} pluginBuild */
  setup(pluginBuild) {
    pluginBuild.onLoad(
      { filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        let contents = source;
        for (const match of source.matchAll(READ_RELATIVE)) {
          const file = fileURLToPath(new URL(match[1] ?? '', pathToFileURL(args.path)));
          contents = contents.replace(match[0], JSON.stringify(await readFile(file, 'utf8')));
        }
        return { contents, loader: 'ts', resolveDir: path.dirname(args.path) };
      },
    );
  },
};

/**
 * Refuse a bundle that imports anything but node: builtins or still locates files relative to
 * itself (it would fail inside the sandbox, where only the bundle is mounted).
 * @param {string} id
 * @param {import('esbuild').Metafile} metafile
 * @param {string} text
 */
function checkSelfContained(id, metafile, text) {
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !imported.path.startsWith('node:')) {
        throw new Error(`${id}: bundle would import ${imported.path} at run time`);
      }
    }
  }
  if (text.includes('import.meta.url')) {
    throw new Error(`${id}: bundle still reads files relative to itself (import.meta.url)`);
  }
}

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
    // Workspace packages resolve to their TypeScript sources, as in tests.
    conditions: ['clearance-source'],
    metafile: true,
    plugins: [nodeBuiltinsExternal, protocolSideEffectFree, inlineRelativeReads],
  });
  const [file, ...rest] = result.outputFiles;
  if (file === undefined || rest.length > 0) throw new Error(`${engine.id}: expected one output`);
  checkSelfContained(engine.id, result.metafile, file.text);
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
