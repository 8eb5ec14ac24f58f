/**
 * Manufacturing: a normalized job turned into validated, stamped G-code, a toolpaths file and a
 * preview (what the built-in `cnc` engine releases in take-off). Pure: no fs, no clock.
 */
export type { ManufactureResult, ManufactureStamp } from './manufacture.js';
export { manufactureJob } from './manufacture.js';
export { parseNormalizedJob } from './normalized.js';
export { jobOperations, roundedRectContour } from './operations.js';
export {
  CNC_ENGINE_VERSION,
  CNC_JOB_ARTIFACT_TYPE,
  CNC_REQUEST_HASH_DOMAIN,
  CNC_TOOLCHAIN_VERSION,
  CNC_TOOLPATHS_DOMAIN,
  cncRequestHash,
  postProcessorVersion,
} from './versions.js';
