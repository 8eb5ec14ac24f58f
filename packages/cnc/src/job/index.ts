/** The CNC job model: strict parsing, normalization to mm, hashing and the feasibility mapping. */
export { CHORD_TOLERANCE_MM, MAX_DXF_ARCS, resolveDxf } from './dxf.js';
export { feasibilityInputOf, JOB_PIPELINE_ID, jobStrategy } from './feasibility.js';
export { CLIENT_VERDICT_KEYS, JOB_LIMITS, MM_PER_INCH } from './limits.js';
export { JOB_HASH_DOMAIN, jobHash, normalizeJob } from './normalize.js';
export { parseJob } from './parse.js';
