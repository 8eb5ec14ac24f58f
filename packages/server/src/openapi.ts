/**
 * The OpenAPI 3.1 document, generated from the routes as Fastify registers them (an onRoute hook),
 * so a route cannot exist without being published, and the published schemas are the enforced
 * ones. JSON Schema 2020-12 is OpenAPI 3.1's schema dialect, so route schemas are used as they are.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { problemSchema } from './response-schemas.js';

/** Package version published in the document. */
export const API_VERSION = '0.1.0';

interface CatalogEntry {
  readonly method: string;
  readonly url: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(o: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** Collects every registered route; install with {@link RouteCatalog.install} before routes. */
export class RouteCatalog {
  private readonly entries: CatalogEntry[] = [];

  /** Add the onRoute hook to `app`. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const schema = isRecord(route.schema) ? route.schema : {};
      for (const method of methods) {
        // Only the API is documented (the console's static files are not part of it).
        if (method === 'HEAD' || route.url === undefined || !route.url.startsWith('/api/'))
          continue;
        this.entries.push({ method: method.toLowerCase(), url: route.url, schema });
      }
    });
  }

  /** Build the OpenAPI 3.1 document. */
  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const entry of this.entries) {
      const path = entry.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      paths[path] = { ...paths[path], [entry.method]: operation(entry) };
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Clearance API',
        version: API_VERSION,
        description:
          'Governed execution: propose, approve and take off workflows; read run artifacts, the CAS and the audit log. Errors are application/problem+json with a stable code.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: { Problem: problemSchema },
      },
      paths,
    };
  }
}

function parameters(schema: Readonly<Record<string, unknown>>): unknown[] {
  const out: unknown[] = [];
  for (const [part, where] of [
    ['params', 'path'],
    ['querystring', 'query'],
  ] as const) {
    const s = schema[part];
    if (!isRecord(s) || !isRecord(s['properties'])) continue;
    const required = Array.isArray(s['required']) ? s['required'] : [];
    for (const [name, sub] of Object.entries(s['properties'])) {
      out.push({
        name,
        in: where,
        required: where === 'path' || required.includes(name),
        schema: sub,
      });
    }
  }
  return out;
}

function responses(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const produces = stringAt(schema, 'produces');
  if (produces !== undefined) {
    out['200'] = {
      description: 'OK',
      content: { [produces]: { schema: { type: 'string', contentMediaType: produces } } },
    };
  }
  const declared = schema['response'];
  if (isRecord(declared)) {
    for (const [status, sub] of Object.entries(declared)) {
      out[status] = { description: 'OK', content: { 'application/json': { schema: sub } } };
    }
  }
  out['default'] = {
    description: 'Error (problem details with a stable code)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return out;
}

function security(auth: string | undefined): unknown[] {
  // `submission`: a token is expected, but an anonymous submission is accepted and recorded.
  if (auth === 'bearer') return [{ bearer: [] }];
  if (auth === 'submission') return [{ bearer: [] }, {}];
  return [];
}

function operation(entry: CatalogEntry): Record<string, unknown> {
  const { schema } = entry;
  const body = schema['body'];
  const summary = stringAt(schema, 'summary');
  const tags = schema['tags'];
  return {
    operationId: `${entry.method}${entry.url.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c?: string) => (c ?? '').toUpperCase())}`,
    ...(summary === undefined ? {} : { summary }),
    ...(Array.isArray(tags) ? { tags } : {}),
    security: security(stringAt(schema, 'auth')),
    parameters: parameters(schema),
    ...(body === undefined
      ? {}
      : {
          requestBody: {
            required: !isEmptyObject(body),
            content: { 'application/json': { schema: body } },
          },
        }),
    responses: responses(schema),
  };
}

function isEmptyObject(schema: unknown): boolean {
  return (
    isRecord(schema) &&
    isRecord(schema['properties']) &&
    Object.keys(schema['properties']).length === 0
  );
}
