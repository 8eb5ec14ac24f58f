/**
 * @clearance/server — Fastify wiring only: auth, schemas, OpenAPI, problem+json.
 */
export { createServer, startServer } from './server.js';
export type { ListenOptions, RunningServer, ServerOptions } from './server.js';
export { AUTHORITY_FIELDS, DEFAULT_BODY_LIMIT, stripAuthorityFields } from './body.js';
export { problem, problemTypeUri, PROBLEM_TYPE } from './problem.js';
export type { Problem } from './problem.js';
