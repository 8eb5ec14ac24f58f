/**
 * @clearance/server — Fastify wiring only: auth, schemas, OpenAPI, problem+json.
 */
export {};
