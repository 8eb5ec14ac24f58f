/**
 * Malformed URLs (issue 10 item 13): a path Fastify cannot route — bad percent-encoding such as
 * `/api/approvals/%E0%A4%A`, or a path parameter longer than the router accepts — is answered
 * `application/problem+json` with the stable code VALIDATION_FAILED, like any other malformed
 * request. On the approval routes it is an approval attempt too: recorded exactly like a
 * schema-invalid submission (an ERROR run artifact and an audit event; no workflow changes), and
 * the problem carries the run id.
 */
import type { AuthorityRuntime } from '@clearance/authority';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth.js';
import { sendProblem } from '../problem.js';

/** Approval submissions: POST /api/approvals/{id} and POST /api/workflow/approve. */
function isApprovalPath(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (
    method === 'POST' && (path.startsWith('/api/approvals/') || path === '/api/workflow/approve')
  );
}

/** Why the URL was refused, without echoing it (it may be anything a client sent). */
function reasonOf(err: Error): string {
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return 'malformed URL: a path parameter is too long';
  if (code === 'FST_ERR_BAD_URL') return 'malformed URL: invalid percent-encoding';
  return 'malformed URL';
}

/** Fastify's `frameworkErrors` option for `runtime` (bad URL, over-long parameter). */
export function malformedUrlHandler(
  runtime: AuthorityRuntime,
  admit: (request: FastifyRequest, reply: FastifyReply) => boolean = () => true,
): (err: Error, request: FastifyRequest, reply: FastifyReply) => void {
  const handle = async (
    err: Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const detail = reasonOf(err);
    if (!isApprovalPath(request.method, request.raw.url ?? request.url)) {
      return sendProblem(reply, 'VALIDATION_FAILED', detail);
    }
    // onRequest hooks do not run for an unroutable URL: count it against the client's rate limit
    // (U3: no unauthenticated flood of recorded attempts) and identify the caller here (G-35).
    if (!admit(request, reply)) return reply;
    const header = request.headers.authorization;
    const auth = authenticate(runtime.queries, typeof header === 'string' ? header : undefined);
    const runId = await runtime.orchestrator.recordMalformedApproval({
      user: auth.kind === 'user' ? auth.user : undefined,
      reason: `malformed approval submission: ${detail}`,
    });
    return sendProblem(reply, 'VALIDATION_FAILED', detail, { run_id: runId });
  };
  return (err, request, reply) => {
    handle(err, request, reply).catch((failure: unknown) => {
      request.log.error({ err: failure }, 'recording a malformed approval failed');
      void sendProblem(reply, 'INTERNAL', 'internal error');
    });
  };
}
