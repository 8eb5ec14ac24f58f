/**
 * Workflow routes: propose, read, list, artifacts, take-off, re-plan, retry. Thin: parse, call the
 * orchestrator, answer. Role checks live in the orchestrator (which audits refusals); its
 * FORBIDDEN and TRANSITION_ILLEGAL errors become 403 / 409 problems.
 */
import type { AuthorityRuntime, WorkflowDetails } from '@clearance/authority';
import { ClearanceError, type JsonObject, type State } from '@clearance/protocol';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { callerOf } from '../auth.js';
import { stripAuthorityFields } from '../body.js';
import { emptyBody, listQuery, paramsOf, proposeBody } from '../request-schemas.js';
import { artifactList, workflowDetails, workflowList } from '../response-schemas.js';
import { listArtifacts } from './artifacts.js';
import { authHooks, type ApiSchema } from './common.js';
import { guardWorkflow, uniformNotFound, visibleWorkflows } from './read-guard.js';

interface ProposeBody {
  readonly engine: string;
  readonly workspace?: string;
  readonly input?: {
    readonly config?: JsonObject;
    readonly context?: JsonObject;
    readonly allowed_secrets?: readonly string[];
  };
}
interface IdParams {
  readonly id: string;
}
interface ListQuery {
  readonly state?: State;
  readonly engine?: string;
  readonly proposer?: string;
}

// Paths stripped from each proposal body, handed from the preValidation hook to the handler.
const strippedPaths = new WeakMap<FastifyRequest, readonly string[]>();

/** Runs before schema validation, so a smuggled field is removed (and recorded), not refused. */
const stripHook: preValidationHookHandler = (request, _reply, done) => {
  const { body, stripped } = stripAuthorityFields(request.body);
  request.body = body;
  strippedPaths.set(request, stripped);
  done();
};

function defaultWorkspace(runtime: AuthorityRuntime, named: string | undefined): string {
  const ws = named ?? runtime.config.workspaces[0]?.name;
  if (ws === undefined) throw new ClearanceError('WORKSPACE_UNKNOWN', 'no workspace is configured');
  return ws;
}

/** A workflow without its (large) state record, for listings. */
function summary(d: WorkflowDetails): Omit<WorkflowDetails, 'record'> {
  const { record: _record, ...rest } = d;
  return rest;
}

/** Register the workflow routes. */
export function workflowRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const o = runtime.orchestrator;
  const bearer = authHooks('bearer', runtime);
  const tags = ['workflows'];
  const byId = paramsOf('id');

  const proposeSchema: ApiSchema = {
    summary: 'Propose a workflow: flight-plan and preflight run before the answer',
    tags,
    auth: 'bearer',
    body: proposeBody,
    response: { 201: workflowDetails },
  };
  app.post<{ Body: ProposeBody }>(
    '/api/workflows',
    { schema: proposeSchema, onRequest: bearer, preValidation: stripHook },
    async (request, reply) => {
      const { engine, workspace, input } = request.body;
      const details = await o.propose(
        {
          engine,
          workspace: defaultWorkspace(runtime, workspace),
          config: input?.config ?? {},
          context: input?.context ?? {},
          allowedSecrets: input?.allowed_secrets ?? [],
          stripped: strippedPaths.get(request) ?? [],
        },
        callerOf(request),
      );
      return reply.code(201).send(details);
    },
  );

  const listSchema: ApiSchema = {
    summary: 'List workflows, newest first',
    tags,
    auth: 'bearer',
    querystring: listQuery,
    response: { 200: workflowList },
  };
  app.get<{ Querystring: ListQuery }>(
    '/api/workflows',
    { schema: listSchema, onRequest: bearer },
    async (request) => {
      const { state, engine, proposer } = request.query;
      const all = await o.list();
      // Item 6: an agent lists only the workflows it proposed.
      const visible = await visibleWorkflows(runtime, request);
      const workflows = all.filter(
        (w) =>
          (visible === undefined || visible.has(w.workflow_id)) &&
          (state === undefined || w.state === state) &&
          (engine === undefined || w.engine === engine) &&
          (proposer === undefined || w.proposer === proposer),
      );
      return { workflows: workflows.map(summary) };
    },
  );

  const getSchema: ApiSchema = {
    summary: 'One workflow: state record, pending approvals, last decision',
    tags,
    auth: 'bearer',
    params: byId,
    response: { 200: workflowDetails },
  };
  app.get<{ Params: IdParams }>(
    '/api/workflows/:id',
    { schema: getSchema, onRequest: bearer },
    async (request) => {
      await guardWorkflow(runtime, request, request.params.id);
      return uniformNotFound('WORKFLOW_NOT_FOUND', () => o.get(request.params.id));
    },
  );

  const artifactsSchema: ApiSchema = {
    summary: 'Artifacts of a workflow, with the CAS addresses of the latest plan',
    tags,
    auth: 'bearer',
    params: byId,
    response: { 200: artifactList },
  };
  app.get<{ Params: IdParams }>(
    '/api/workflows/:id/artifacts',
    { schema: artifactsSchema, onRequest: bearer },
    async (request) => {
      await guardWorkflow(runtime, request, request.params.id);
      return uniformNotFound('WORKFLOW_NOT_FOUND', () => listArtifacts(runtime, request.params.id));
    },
  );

  const actions = {
    takeoff: 'Take-off (operator): only from READY_FOR_TAKEOFF, state unchanged otherwise',
    replan: 'Re-plan a workflow awaiting approval (proposer or operator)',
    retry: 'Retry a FAILED workflow as a new workflow (operator)',
  } as const;
  for (const action of ['takeoff', 'replan', 'retry'] as const) {
    const schema: ApiSchema = {
      summary: actions[action],
      tags,
      auth: 'bearer',
      params: byId,
      body: emptyBody,
      response: { 200: workflowDetails },
    };
    app.post<{ Params: IdParams }>(
      `/api/workflows/:id/${action}`,
      { schema, onRequest: bearer },
      async (request) => {
        // Item 6: another agent's workflow answers exactly as an unknown one (no 403 oracle).
        await guardWorkflow(runtime, request, request.params.id);
        return o[action](request.params.id, callerOf(request));
      },
    );
  }
}
