/**
 * Before any test: bring the compiled packages, the engine bundles and the console up to date, so tests that
 * start Clearance as a separate process (crash injection, the CLI, the server) never run a stale
 * build. `tsc -b` is incremental: a no-op when nothing changed.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['--no-install', 'tsc', '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/build-engines.mjs'], { stdio: 'inherit' });
  execFileSync('node', ['scripts/build-console.mjs'], { stdio: 'inherit' });
}
