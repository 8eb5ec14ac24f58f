/**
 * Before any test: bring the compiled packages, the engine bundles and the console up to date, so tests that
 * start Clearance as a separate process (crash injection, the CLI, the server) never run a stale
 * build. `tsc -b` is incremental: a no-op when nothing changed. The engine bundles are built here
 * once and provided to every worker (test/support/engine-bundles.ts): no test file re-bundles.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import type { EngineBundle } from './support/engine-bundles.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where scripts/build-engines.mjs writes the bundles (its default output folder). */
const ENGINES_DIR = path.join(REPO_ROOT, 'packages/authority/engines');
const ENGINE_IDS = ['patch', 'cnc'] as const;

export default function setup(project: TestProject): void {
  execFileSync('npx', ['--no-install', 'tsc', '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/build-engines.mjs'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/build-console.mjs'], { stdio: 'inherit' });
  const bundles: EngineBundle[] = ENGINE_IDS.map((id) => {
    const file = path.join(ENGINES_DIR, `${id}.mjs`);
    return { id, file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  });
  project.provide('engineBundles', bundles);
}
