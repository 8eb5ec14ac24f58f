/**
 * The patch domain: workflows of the built-in `patch` engine. Its plans get no built-in policy
 * source (the configured rules judge the diff), its take-off applies the patch inside the
 * workspace and releases nothing beyond it, and it has no external effect to recover, so every
 * member is the seam's default. It is registered explicitly all the same: the engine belongs to a
 * domain, and no other domain can claim it.
 */
import type { Domain } from '../domain/domain.js';
import { defineDomain } from '../domain/registry.js';

/** Registry id of the built-in patch engine. */
export const PATCH_ENGINE_ID = 'patch';

/** The patch domain (no read views of its own). */
export function patchDomain(): Domain<undefined> {
  return defineDomain({ name: 'patch', engines: [PATCH_ENGINE_ID], views: () => undefined });
}
