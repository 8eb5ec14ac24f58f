/**
 * Read-only record routes for any signed-in role: run artifacts (one per approval attempt and
 * take-off), raw content-addressed blobs, and the audit log with its checkpoints and Merkle
 * inclusion proofs (verifiable offline with @clearance/protocol's verifyInclusion). An agent
 * reads only the runs, blobs and events of its own workflows (issue 10 item 6, read-guard.ts).
 */
import type { AuthorityRuntime } from '@clearance/authority';
import { ClearanceError, isSha256Hex } from '@clearance/protocol';
import type { FastifyInstance } from 'fastify';
import { eventsQuery, paramsOf, proofQuery, runsQuery } from '../request-schemas.js';
import {
  checkpointList,
  eventPage,
  inclusionProof,
  runArtifact,
  runList,
} from '../response-schemas.js';
import { scanEvents } from './audit-views.js';
import { authHooks, toIndex, type ApiSchema } from './common.js';
import { hostPaths } from './host-paths.js';
import {
  blobNotFound,
  readerOf,
  readsAll,
  runNotFound,
  uniformNotFound,
  visibleWorkflows,
} from './read-guard.js';

/** Most audit events one page returns. */
export const MAX_EVENTS_PAGE = 500;
const DEFAULT_EVENTS_PAGE = 100;

/** Register the runs, CAS and audit routes. */
export function recordRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const bearer = authHooks('bearer', runtime);
  const queries = runtime.queries;
  const paths = hostPaths(runtime).map((p) => Buffer.from(p.path, 'utf8'));

  const runsSchema: ApiSchema = {
    summary: 'Run artifact index entries, oldest first (filter by workflow, kind, status)',
    tags: ['runs'],
    auth: 'bearer',
    querystring: runsQuery,
    response: { 200: runList },
  };
  app.get<{ Querystring: { workflow_id?: string; kind?: string; status?: string } }>(
    '/api/runs',
    { schema: runsSchema, onRequest: bearer },
    async (request) => {
      const { workflow_id: workflowId, kind, status } = request.query;
      // Item 6: an agent lists only the runs of its own workflows.
      const visible = await visibleWorkflows(runtime, request);
      const runs = queries
        .runs(workflowId)
        .filter(
          (r) =>
            (kind === undefined || r.kind === kind) &&
            (status === undefined || r.status === status) &&
            (visible === undefined || (r.workflow_id !== null && visible.has(r.workflow_id))),
        );
      return { runs };
    },
  );

  const runSchema: ApiSchema = {
    summary: 'One stored run artifact',
    tags: ['runs'],
    auth: 'bearer',
    params: paramsOf('run_id'),
    response: { 200: runArtifact },
  };
  app.get<{ Params: { run_id: string } }>(
    '/api/runs/:run_id',
    { schema: runSchema, onRequest: bearer },
    async (request) => {
      const entry = queries.runs().find((e) => e.run_id === request.params.run_id);
      // Unknown and hidden answer alike (item 6).
      if (
        entry === undefined ||
        !(await runtime.queries.readAccess().mayReadRun(readerOf(request), entry))
      ) {
        throw runNotFound();
      }
      return uniformNotFound('NOT_FOUND', () => queries.run(request.params.run_id));
    },
  );

  const casSchema: ApiSchema = {
    summary: 'Raw bytes of a content-addressed blob (re-verified on read)',
    tags: ['cas'],
    auth: 'bearer',
    params: paramsOf('sha256'),
    produces: 'application/octet-stream',
  };
  app.get<{ Params: { sha256: string } }>(
    '/api/cas/:sha256',
    { schema: casSchema, onRequest: bearer },
    async (request, reply) => {
      const address = request.params.sha256;
      if (!isSha256Hex(address)) {
        throw new ClearanceError('CAS_ADDRESS_INVALID', 'not a lowercase hex SHA-256 address');
      }
      // Item 6: only a caller who may see a workflow referencing the blob gets it; unknown and
      // hidden answer the same 404.
      if (!(await runtime.queries.readAccess().mayReadBlob(readerOf(request), address))) {
        throw blobNotFound();
      }
      const bytes = await uniformNotFound('CAS_NOT_FOUND', () => queries.blob(address));
      // Item 13: raw bytes cannot have host paths rewritten (content-addressed), so a blob that
      // names one (e.g. a CNC release record's spool path) is not shown to an agent at all.
      if (!readsAll(request) && paths.some((p) => bytes.includes(p))) throw blobNotFound();
      // Stored bytes may be anything an engine produced: never let a browser render them.
      return reply
        .type('application/octet-stream')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${address}"`)
        .send(bytes);
    },
  );

  const eventsSchema: ApiSchema = {
    summary: `Audit events from \`from\`, at most ${MAX_EVENTS_PAGE} (optionally filtered by workflow_id, event_type, severity)`,
    tags: ['audit'],
    auth: 'bearer',
    querystring: eventsQuery,
    response: { 200: eventPage },
  };
  app.get<{
    Querystring: {
      from?: string;
      limit?: string;
      workflow_id?: string;
      event_type?: string;
      severity?: string;
    };
  }>('/api/audit/events', { schema: eventsSchema, onRequest: bearer }, async (request) => {
    const q = request.query;
    const from = toIndex(q.from, 0);
    const limit = toIndex(q.limit, DEFAULT_EVENTS_PAGE);
    if (limit < 1 || limit > MAX_EVENTS_PAGE) {
      throw new ClearanceError('VALIDATION_FAILED', `limit must be 1..${MAX_EVENTS_PAGE}`);
    }
    // Item 6: an agent reads only the events of its own workflows (a filtered scan).
    const visible = await visibleWorkflows(runtime, request);
    const filtered =
      visible !== undefined ||
      q.workflow_id !== undefined ||
      q.event_type !== undefined ||
      q.severity !== undefined;
    if (filtered) {
      const page = await scanEvents(runtime, from, limit, {
        ...(visible === undefined ? {} : { workflowIds: visible }),
        ...(q.workflow_id === undefined ? {} : { workflowId: q.workflow_id }),
        ...(q.event_type === undefined ? {} : { eventType: q.event_type }),
        ...(q.severity === undefined ? {} : { severity: q.severity }),
      });
      return { from, size: queries.auditSize(), ...page };
    }
    const events = await queries.auditEvents(from, limit);
    const next = from + events.length;
    const size = queries.auditSize();
    const indices = events.map((_, i) => from + i);
    return { from, size, events, indices, ...(next < size ? { next } : {}) };
  });

  const checkpointsSchema: ApiSchema = {
    summary: 'Signed audit checkpoints, oldest first',
    tags: ['audit'],
    auth: 'bearer',
    response: { 200: checkpointList },
  };
  app.get('/api/audit/checkpoints', { schema: checkpointsSchema, onRequest: bearer }, () => ({
    size: queries.auditSize(),
    checkpoints: queries.auditCheckpoints(),
  }));

  const proofSchema: ApiSchema = {
    summary: 'RFC 6962 inclusion proof of one event (default: in the whole current log)',
    tags: ['audit'],
    auth: 'bearer',
    params: paramsOf('index'),
    querystring: proofQuery,
    response: { 200: inclusionProof },
  };
  app.get<{ Params: { index: string }; Querystring: { tree_size?: string } }>(
    '/api/audit/proof/:index',
    { schema: proofSchema, onRequest: bearer },
    (request) => {
      const index = toIndex(request.params.index, 0);
      const size = toIndex(request.query.tree_size, queries.auditSize());
      return queries.inclusionProof(index, size);
    },
  );
}
