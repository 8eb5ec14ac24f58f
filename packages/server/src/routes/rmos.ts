/**
 * RMOS routes. `POST /api/rmos/feasibility`: the public way for advisors to pre-check a proposal
 * with the authority's own feasibility computation (spec/rmos.md §3.2). Any authenticated role; no
 * state changes. Client-sent authority fields (feasibility, safety, decision, risk_level, score,
 * rules_triggered, source) are removed first and listed in `stripped`: only the server computes.
 */
import {
  explainFeasibility,
  feasibilityHash,
  safeEvaluate,
  type AuthorityRuntime,
} from '@clearance/authority';
import type { FastifyInstance } from 'fastify';
import { stripAuthorityFields } from '../body.js';
import { authHooks, type ApiSchema } from './common.js';

/** Register POST /api/rmos/feasibility. */
export function rmosRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const schema: ApiSchema = {
    summary: 'Compute CNC feasibility (GREEN/YELLOW/RED) for a FeasibilityInput; no state change',
    tags: ['rmos'],
    auth: 'bearer',
    body: { type: 'object', additionalProperties: true },
  };
  app.post(
    '/api/rmos/feasibility',
    { schema, onRequest: authHooks('bearer', runtime) },
    async (request, reply) => {
      const { body, stripped } = stripAuthorityFields(request.body);
      const outcome = safeEvaluate(body);
      return reply.code(200).send({
        ...outcome,
        hash: feasibilityHash(outcome),
        explanations: explainFeasibility(outcome).rules,
        stripped,
      });
    },
  );
}
