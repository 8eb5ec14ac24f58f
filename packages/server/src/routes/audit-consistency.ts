/**
 * GET /api/audit/consistency (issue 10 U1): the RFC 6962 consistency proof from an earlier tree
 * size to the current log (or `to`), so an auditor holding a signed checkpoint checks, with
 * @clearance/protocol's verifyConsistency, that the log only grew since. The proof is O(to)
 * hashing; every signed-in role may ask, within its rate limit.
 */
import type { AuthorityRuntime } from '@clearance/authority';
import type { FastifyInstance } from 'fastify';
import { authHooks, toIndex, type ApiSchema } from './common.js';

// Same rule as every other number in a query string: digits only, never coerced.
const digits = { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } as const;
const str = { type: 'string' } as const;

/** Register GET /api/audit/consistency. */
export function auditConsistencyRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const schema: ApiSchema = {
    summary:
      'RFC 6962 consistency proof from tree size `from` to `to` (default: the current log size)',
    tags: ['audit'],
    auth: 'bearer',
    querystring: {
      type: 'object',
      additionalProperties: false,
      required: ['from'],
      properties: { from: digits, to: digits },
    },
    response: {
      200: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to', 'from_root', 'to_root', 'proof'],
        properties: {
          from: { type: 'integer' },
          to: { type: 'integer' },
          from_root: str,
          to_root: str,
          proof: { type: 'array', items: str },
        },
      },
    },
  };
  app.get<{ Querystring: { from: string; to?: string } }>(
    '/api/audit/consistency',
    { schema, onRequest: authHooks('bearer', runtime) },
    (request) => {
      const from = toIndex(request.query.from, 0);
      const to = toIndex(request.query.to, runtime.queries.auditSize());
      // AUDIT_INDEX_OUT_OF_RANGE unless 1 <= from <= to <= size.
      return runtime.queries.consistency(from, to);
    },
  );
}
