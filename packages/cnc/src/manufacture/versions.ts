/**
 * Version stamps, artifact type and hash domains of manufacturing. They are printed into every
 * G-code header and toolpaths file, so a released program names exactly what produced it.
 */
import { HASH_DOMAINS, H } from '@clearance/protocol';
import type { JsonValue, Sha256Hex } from '@clearance/protocol';

import type { Dialect } from '../gcode/index.js';

/** The built-in `cnc` engine's version. */
export const CNC_ENGINE_VERSION = '1.0.0';

/** Version of the toolpath generators (bump when any generator's output changes). */
export const CNC_TOOLCHAIN_VERSION = 'clearance-toolpaths@1.0.0';

/** Artifact type of the job artifact the engine writes in flight-plan. */
export const CNC_JOB_ARTIFACT_TYPE = 'cnc.job';

/** Domain of the request hash printed in the G-code header. */
export const CNC_REQUEST_HASH_DOMAIN = HASH_DOMAINS.CNC_REQUEST;

/** Domain tag inside `toolpaths.json`. */
export const CNC_TOOLPATHS_DOMAIN = HASH_DOMAINS.CNC_TOOLPATHS;

const POST_VERSIONS: Readonly<Record<Dialect, string>> = Object.freeze({
  grbl: 'clearance-post-grbl@1.0.0',
  linuxcnc: 'clearance-post-linuxcnc@1.0.0',
  fanuc: 'clearance-post-fanuc@1.0.0',
});

/** Version of the post-processor of `dialect`, e.g. `clearance-post-grbl@1.0.0`. */
export function postProcessorVersion(dialect: Dialect): string {
  return POST_VERSIONS[dialect];
}

/** H(CNC_REQUEST_HASH_DOMAIN, clientJob): hash of the job object exactly as the client sent it. */
export function cncRequestHash(clientJob: JsonValue): Sha256Hex {
  return H(CNC_REQUEST_HASH_DOMAIN, clientJob);
}
