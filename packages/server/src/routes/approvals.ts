/**
 * Approval routes (§4.2.7). Both pass every well-formed submission to the orchestrator, signed in
 * or not: it records a run artifact and an audit event for each attempt and changes the workflow
 * only for a valid answer. A refused submission is answered with the outcome's code as a problem
 * carrying the `run_id` of its record.
 */
import type { ApprovalOutcome, ApproverSignature, AuthorityRuntime } from '@clearance/authority';
import { hasCode, type ErrorCode } from '@clearance/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { optionalCallerOf } from '../auth.js';
import { sendProblem, toProblemAnswer } from '../problem.js';
import { approvalBody, paramsOf, workflowApproveBody } from '../request-schemas.js';
import { approvalOk } from '../response-schemas.js';
import { authHooks, type ApiSchema } from './common.js';
import { workflowNotFound } from './read-guard.js';

interface ApprovalBody {
  readonly approved: boolean;
  readonly reason?: string;
  readonly approver?: string;
  readonly plan_token_hash?: string;
  readonly signature?: ApproverSignature;
}
interface WorkflowApproveBody {
  readonly workflow_id: string;
  readonly note?: string;
  readonly plan_token_hash?: string;
  readonly signature?: ApproverSignature;
}

function answer(reply: FastifyReply, outcome: ApprovalOutcome): FastifyReply {
  if (outcome.status === 'OK') {
    return reply.code(200).send({
      status: outcome.status,
      run_id: outcome.run_id,
      workflow_id: outcome.workflow_id,
      state: outcome.state ?? null,
      reason: outcome.reason,
    });
  }
  // A refusal always carries a code; INTERNAL would mean the orchestrator broke its contract.
  const code: ErrorCode = outcome.code ?? 'INTERNAL';
  return sendProblem(reply, code, outcome.reason, { run_id: outcome.run_id });
}

/** Register POST /api/approvals/:approval_id and POST /api/workflow/approve. */
export function approvalRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const o = runtime.orchestrator;
  const submission = authHooks('submission', runtime);
  const tags = ['approvals'];

  const answerSchema: ApiSchema = {
    summary: 'Answer one approval request (approver; every attempt is recorded)',
    tags,
    auth: 'submission',
    params: paramsOf('approval_id'),
    body: approvalBody,
    response: { 200: approvalOk },
  };
  app.post<{ Params: { approval_id: string }; Body: ApprovalBody }>(
    '/api/approvals/:approval_id',
    {
      schema: answerSchema,
      onRequest: submission,
      attachValidation: true,
      errorHandler: unparsable(o, (r) => paramOf(r, 'approval_id')),
    },
    async (request, reply) => {
      if (request.validationError !== undefined) {
        return malformed(reply, o, request, request.params.approval_id);
      }
      const b = request.body;
      const outcome = await o.approve({
        approvalId: request.params.approval_id,
        approved: b.approved,
        ...(b.reason === undefined ? {} : { reason: b.reason }),
        ...(b.approver === undefined ? {} : { approver: b.approver }),
        ...(b.plan_token_hash === undefined ? {} : { planTokenHash: b.plan_token_hash }),
        ...(b.signature === undefined ? {} : { signature: b.signature }),
        user: optionalCallerOf(request),
      });
      // Item 6: an agent answering an id of a workflow it may not see is told what an unknown id
      // gets (the attempt is recorded all the same, G-35).
      const user = optionalCallerOf(request);
      if (
        user !== undefined &&
        outcome.workflow_id !== null &&
        !(await runtime.queries.readAccess().mayReadWorkflow(user, outcome.workflow_id))
      ) {
        return sendProblem(reply, 'APPROVAL_NOT_FOUND', 'unknown approval id', {
          run_id: outcome.run_id,
        });
      }
      return answer(reply, outcome);
    },
  );

  const approveSchema: ApiSchema = {
    summary: "Approve a workflow's single pending request (the RMOS contract's approve)",
    tags,
    auth: 'submission',
    body: workflowApproveBody,
    response: { 200: approvalOk },
  };
  app.post<{ Body: WorkflowApproveBody }>(
    '/api/workflow/approve',
    {
      schema: approveSchema,
      onRequest: submission,
      attachValidation: true,
      errorHandler: unparsable(o, () => undefined),
    },
    async (request, reply) => {
      if (request.validationError !== undefined) return malformed(reply, o, request, undefined);
      const b = request.body;
      const user = optionalCallerOf(request);
      // Item 6: an agent is answered about a workflow it may not see as about an unknown one.
      const hidden =
        user !== undefined &&
        !(await runtime.queries.readAccess().mayReadWorkflow(user, b.workflow_id));
      try {
        const outcome = await o.approveWorkflow(b.workflow_id, {
          approved: true,
          ...(b.note === undefined ? {} : { reason: b.note }),
          ...(b.plan_token_hash === undefined ? {} : { planTokenHash: b.plan_token_hash }),
          ...(b.signature === undefined ? {} : { signature: b.signature }),
          user,
        });
        // The attempt is recorded (G-35); the answer must not tell that the workflow exists and
        // awaits approval (no run id, the same problem as for an unknown workflow).
        if (hidden) throw workflowNotFound();
        if (user === undefined && outcome.status !== 'OK') {
          return refuseUnknown(request, reply, workflowNotFound(), true);
        }
        return answer(reply, outcome);
      } catch (err) {
        if (hidden) throw workflowNotFound();
        return refuseUnknown(request, reply, err, user === undefined);
      }
    },
  );
}

/**
 * approveWorkflow throws (nothing recorded) when the workflow is unknown or has no single pending
 * request. A caller without a valid token learns nothing about workflows from that: 401.
 */
function refuseUnknown(
  request: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  anonymous: boolean,
): FastifyReply {
  if (anonymous && hasCode(err)) {
    const missing = request.headers.authorization === undefined;
    return sendProblem(
      reply,
      missing ? 'AUTH_REQUIRED' : 'AUTH_INVALID',
      missing ? 'a bearer token is required' : 'the bearer token is not valid',
    );
  }
  throw err;
}

/**
 * A body that fails the schema is still an approval attempt: record it (ERROR run artifact and an
 * audit event, no workflow change), then answer 400 with the run id.
 */
async function malformed(
  reply: FastifyReply,
  o: AuthorityRuntime['orchestrator'],
  request: FastifyRequest,
  approvalId: string | undefined,
): Promise<FastifyReply> {
  const detail = request.validationError?.message ?? 'request body is invalid';
  const runId = await o.recordMalformedApproval({
    ...(approvalId === undefined ? {} : { approvalId }),
    user: optionalCallerOf(request),
    reason: `malformed approval submission: ${detail}`,
  });
  return sendProblem(reply, 'VALIDATION_FAILED', detail, { run_id: runId });
}

/**
 * A body that is not even strict JSON (duplicate keys, bad syntax, lone surrogates…) is an attempt
 * too: record it like a schema-invalid one, then answer with the parser's code. Other errors get
 * the usual problem answer.
 */
function unparsable(
  o: AuthorityRuntime['orchestrator'],
  approvalIdOf: (r: FastifyRequest) => string | undefined,
): (err: Error, request: FastifyRequest, reply: FastifyReply) => void {
  const handle = async (
    err: Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const { code, detail } = toProblemAnswer(err, request);
    if (!code.startsWith('JSON_')) return sendProblem(reply, code, detail);
    const approvalId = approvalIdOf(request);
    const runId = await o.recordMalformedApproval({
      ...(approvalId === undefined ? {} : { approvalId }),
      user: optionalCallerOf(request),
      reason: `unparsable approval submission (${code}): ${detail}`,
    });
    return sendProblem(reply, code, detail, { run_id: runId });
  };
  return (err, request, reply) => {
    handle(err, request, reply).catch((failure: unknown) => {
      request.log.error({ err: failure }, 'recording a malformed approval failed');
      void sendProblem(reply, 'INTERNAL', 'internal error');
    });
  };
}

function paramOf(request: FastifyRequest, name: string): string | undefined {
  const params: unknown = request.params;
  if (typeof params !== 'object' || params === null) return undefined;
  const value: unknown = Reflect.get(params, name);
  return typeof value === 'string' ? value : undefined;
}
