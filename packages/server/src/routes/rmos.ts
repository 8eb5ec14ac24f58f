/**
 * RMOS routes (spec/rmos.md, issue 4): a CNC job is a workflow of the built-in `cnc` engine.
 *
 * - `POST /api/rmos/feasibility`: the public way for advisors to pre-check a FeasibilityInput with
 *   the authority's own rules. Any authenticated role; no state change.
 * - `POST /api/rmos/jobs {job, workspace?}`: propose a cnc workflow (same as `POST /api/workflows`
 *   with engine `cnc`); answers with the job view, feasibility included.
 * - `GET /api/rmos/jobs/:id`: job, feasibility with rule explanations, state, runs and, once
 *   released, the G-code address and the SVG preview.
 * - `POST /api/rmos/jobs/:id/override {reason, scope?, acknowledge_risk?}`: a supervisor's
 *   YELLOW (or enabled RED) override, its own immutable record.
 *
 * Approval is `POST /api/workflow/approve`, release `POST /api/workflows/:id/takeoff`. Client-sent
 * authority fields (feasibility, safety, decision, risk_level, score, rules_triggered, source) are
 * removed first and listed in `stripped`: only the server computes.
 */
import {
  assessJob,
  assessmentHash,
  explainFeasibility,
  feasibilityHash,
  jobHash,
  requestedJob,
  safeEvaluate,
  type AuthorityRuntime,
} from '@clearance/authority';
import { ClearanceError, type JsonObject } from '@clearance/protocol';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { callerOf } from '../auth.js';
import { stripAuthorityFields, stripJobFields } from '../body.js';
import { guardWorkflow, uniformNotFound } from './read-guard.js';
import { jobBody, overrideBody, paramsOf } from '../request-schemas.js';
import { authHooks, type ApiSchema } from './common.js';

interface JobBody {
  readonly job: JsonObject;
  readonly workspace?: string;
}
interface OverrideBody {
  readonly reason: string;
  readonly scope?: 'YELLOW' | 'RED';
  readonly acknowledge_risk?: boolean;
}

const anyObject = { type: 'object', additionalProperties: true } as const;

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const tags = ['rmos'];
const strippedPaths = new WeakMap<FastifyRequest, readonly string[]>();

/** Runs before validation: a smuggled verdict is removed (and recorded), not refused. */
const stripJob: preValidationHookHandler = (request, _reply, done) => {
  const { body, stripped } = stripJobFields(request.body);
  request.body = body;
  strippedPaths.set(request, stripped);
  done();
};

/** Register the RMOS routes. */
export function rmosRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const bearer = authHooks('bearer', runtime);

  const feasibilitySchema: ApiSchema = {
    summary:
      'Compute CNC feasibility (GREEN/YELLOW/RED) for a FeasibilityInput or a whole {job}; no state change',
    tags,
    auth: 'bearer',
    body: anyObject,
  };
  app.post(
    '/api/rmos/feasibility',
    { schema: feasibilitySchema, onRequest: bearer },
    async (request, reply) => {
      const raw = request.body;
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'job' in raw) {
        // A whole job (the console's live check): normalised and assessed exactly as preflight
        // will; an invalid job is 422 CNC_JOB_INVALID with its pointer.
        const { body, stripped } = stripJobFields(raw);
        const job = requestedJob(isJsonObject(body) ? body : {});
        const outcome = assessJob(job);
        return reply.code(200).send({
          ...outcome,
          hash: assessmentHash(outcome),
          explanations: explainFeasibility(outcome).rules,
          job_hash: jobHash(job),
          stripped,
        });
      }
      const { body, stripped } = stripAuthorityFields(raw);
      const outcome = safeEvaluate(body);
      return reply.code(200).send({
        ...outcome,
        hash: feasibilityHash(outcome),
        explanations: explainFeasibility(outcome).rules,
        stripped,
      });
    },
  );

  const proposeSchema: ApiSchema = {
    summary: 'Propose a CNC job (a cnc workflow); answers with the job and its feasibility',
    tags,
    auth: 'bearer',
    body: jobBody,
    response: { 201: anyObject },
  };
  app.post<{ Body: JobBody }>(
    '/api/rmos/jobs',
    { schema: proposeSchema, onRequest: bearer, preValidation: stripJob },
    async (request, reply) => {
      const { job, workspace } = request.body;
      // A workspace named `cnc` when configured (CNC plans then never depend on files other
      // engines change), else the first one.
      const names = runtime.config.workspaces.map((w) => w.name);
      const ws = workspace ?? (names.includes('cnc') ? 'cnc' : names[0]);
      if (ws === undefined) {
        throw new ClearanceError('WORKSPACE_UNKNOWN', 'no workspace is configured');
      }
      const stripped = strippedPaths.get(request) ?? [];
      const details = await runtime.orchestrator.propose(
        { engine: 'cnc', workspace: ws, config: { job }, context: {}, stripped },
        callerOf(request),
      );
      const view = await runtime.cnc.job(details.workflow_id);
      return reply.code(201).send({ ...view, stripped });
    },
  );

  const getSchema: ApiSchema = {
    summary: 'A CNC job: job, feasibility with explanations, state, runs, released G-code, preview',
    tags,
    auth: 'bearer',
    params: paramsOf('id'),
    response: { 200: anyObject },
  };
  app.get<{ Params: { id: string } }>(
    '/api/rmos/jobs/:id',
    { schema: getSchema, onRequest: bearer },
    async (request) => {
      await guardWorkflow(runtime, request, request.params.id);
      return uniformNotFound('WORKFLOW_NOT_FOUND', () => runtime.cnc.job(request.params.id));
    },
  );

  const overrideSchema: ApiSchema = {
    summary: "Record a supervisor's YELLOW (or enabled, acknowledged RED) override of a job",
    tags,
    auth: 'bearer',
    params: paramsOf('id'),
    body: overrideBody,
    response: { 201: anyObject },
  };
  app.post<{ Params: { id: string }; Body: OverrideBody }>(
    '/api/rmos/jobs/:id/override',
    { schema: overrideSchema, onRequest: bearer },
    async (request, reply) => {
      // Item 6: another agent's job answers exactly as an unknown one (no 403 oracle).
      await guardWorkflow(runtime, request, request.params.id);
      const b = request.body;
      const record = await runtime.cnc.override(request.params.id, callerOf(request), {
        reason: b.reason,
        ...(b.scope === undefined ? {} : { scope: b.scope }),
        ...(b.acknowledge_risk === undefined ? {} : { acknowledgeRisk: b.acknowledge_risk }),
      });
      return reply.code(201).send(record);
    },
  );
}
