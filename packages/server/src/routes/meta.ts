/** Public routes: health and the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { RouteCatalog } from '../openapi.js';
import { health } from '../response-schemas.js';
import type { ApiSchema } from './common.js';

/** Register GET /api/health and GET /api/openapi.json (no authentication). */
export function metaRoutes(app: FastifyInstance, catalog: RouteCatalog): void {
  const healthSchema: ApiSchema = {
    summary: 'Liveness (no authentication)',
    tags: ['meta'],
    auth: 'none',
    response: { 200: health },
  };
  app.get('/api/health', { schema: healthSchema }, () => ({ ok: true }));

  const openapiSchema: ApiSchema = {
    summary: 'This OpenAPI 3.1 document',
    tags: ['meta'],
    auth: 'none',
  };
  // Built on request: routes registered after this one are in the catalog by then.
  app.get('/api/openapi.json', { schema: openapiSchema }, () => catalog.document());
}
