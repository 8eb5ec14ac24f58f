/**
 * Where the bundled built-in engines live: `packages/authority/engines/<id>.mjs`, produced by
 * `scripts/build-engines.mjs` (part of `npm run build` and the set-up script). The path is the
 * same from `src/` (tests) and `dist/` (installed), one folder up from this module's folder.
 */
import { fileURLToPath } from 'node:url';

/** Ids of the built-in engines (each bundled as `<id>.mjs`). */
export type BuiltinEngineId = 'patch' | 'cnc';

/** Absolute path of a built-in engine bundle. */
export function builtinEngine(id: BuiltinEngineId): string {
  return fileURLToPath(new URL(`../../engines/${id}.mjs`, import.meta.url));
}
