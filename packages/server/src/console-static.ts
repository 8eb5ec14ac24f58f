/**
 * Serving the web console (packages/console/dist): a fixed set of files read once at start-up,
 * answered with a strict Content-Security-Policy (no inline script or style, nothing from
 * elsewhere, no framing) and no caching of the HTML. Missing build → the API still runs and `/`
 * says how to build the console.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The console's Content-Security-Policy. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Default location of the built console (the same from src/ and dist/). */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../../console/dist', import.meta.url));
}

const FILES: readonly (readonly [route: string, file: string, type: string])[] = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
];

/** Register the console routes (not part of the API, so not in the OpenAPI document). */
export function consoleRoutes(app: FastifyInstance, dir: string): void {
  const loaded = FILES.map(([route, file, type]) => {
    try {
      return { route, type, body: readFileSync(join(dir, file)) };
    } catch {
      return { route, type, body: undefined };
    }
  });
  for (const { route, type, body } of loaded) {
    app.get(route, (_request, reply) => {
      void reply
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
      if (body === undefined) {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send('The console is not built: run `npm run build` (or scripts/setup.sh).\n');
      }
      return reply.type(type).send(body);
    });
  }
}
