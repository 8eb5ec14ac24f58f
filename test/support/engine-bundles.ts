/**
 * The built-in engine bundles test/global-setup.ts builds once per `vitest` run
 * (packages/authority/engines/<id>.mjs), handed to every worker through vitest's provide/inject,
 * so no test file re-bundles the engines (I11-7).
 */
import { inject } from 'vitest';

/** One bundled built-in engine: its id, absolute file and SHA-256 (lowercase hex). */
export type EngineBundle = { readonly id: string; readonly file: string; readonly sha256: string };

declare module 'vitest' {
  export interface ProvidedContext {
    engineBundles: readonly EngineBundle[];
  }
}

/** Every built-in engine bundle, as global setup built it. */
export function engineBundles(): readonly EngineBundle[] {
  return inject('engineBundles');
}

/** The bundle of built-in engine `id`, as global setup built it. */
export function engineBundle(id: 'patch' | 'cnc'): { file: string; sha256: string } {
  const found = engineBundles().find((bundle) => bundle.id === id);
  if (found === undefined) throw new Error(`global setup built no ${id} engine bundle`);
  return { file: found.file, sha256: found.sha256 };
}
