/**
 * Where the bundled built-in engines live: `packages/authority/engines/<id>.mjs`, produced by
 * `scripts/build-engines.mjs` (part of `npm run build` and the set-up script). The path is the
 * same from `src/` (tests) and `dist/` (installed), one folder up from this module's folder.
 */
import { fileURLToPath } from 'node:url';

/** Absolute path of a built-in engine bundle. */
export function builtinEngine(id: 'patch'): string {
  return fileURLToPath(new URL(`../../engines/${id}.mjs`, import.meta.url));
}
