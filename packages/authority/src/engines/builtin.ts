/**
 * The built-in engines: where their bundles live and the domains they register.
 *
 * Bundles: `packages/authority/engines/<id>.mjs`, produced by `scripts/build-engines.mjs` (part of
 * `npm run build` and the set-up script). The path is the same from `src/` (tests) and `dist/`
 * (installed), one folder up from this module's folder.
 *
 * Domains (DESIGN "Extension seams"): each built-in engine's domain is wired here, where the
 * authority is opened; the orchestrator only sees the registry. Adding a built-in engine adds its
 * domain to {@link builtinDomains} and touches no orchestrator file.
 */
import { fileURLToPath } from 'node:url';
import { cncDomain } from '../cnc/domain.js';
import type { OverrideIndex } from '../cnc/overrides.js';
import type { CncService } from '../cnc/service.js';
import type { ClearanceConfig } from '../config/index.js';
import type { Domain } from '../domain/domain.js';
import { DomainRegistry } from '../domain/registry.js';
import { patchDomain } from '../patch/domain.js';

/** Ids of the built-in engines (each bundled as `<id>.mjs`). */
export type BuiltinEngineId = 'patch' | 'cnc';

/** Absolute path of a built-in engine bundle. */
export function builtinEngine(id: BuiltinEngineId): string {
  return fileURLToPath(new URL(`../../engines/${id}.mjs`, import.meta.url));
}

/** What the built-in domains of one authority are built from. */
export interface BuiltinDomainOptions {
  readonly config: ClearanceConfig;
  readonly homeDir: string;
  /** Accepted cnc overrides (default: none yet). */
  readonly overrides?: OverrideIndex;
}

/** The built-in domains, with the cnc one named for its read views. */
export interface BuiltinDomains {
  readonly registry: DomainRegistry;
  readonly cnc: Domain<CncService>;
}

/**
 * The domain registry of one authority: the built-in domains (always; no configuration removes
 * them) and `extra` ones (an extra domain cannot take over a built-in engine: INTERNAL).
 */
export function builtinDomains(
  options: BuiltinDomainOptions,
  extra: readonly Domain[] = [],
): BuiltinDomains {
  const cnc = cncDomain({
    settings: options.config.cnc,
    homeDir: options.homeDir,
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
  });
  return { registry: new DomainRegistry([cnc, patchDomain(), ...extra]), cnc };
}
