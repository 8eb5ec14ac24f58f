/**
 * Audit views for the console: the signed-in principal, one workflow's audit events (its
 * timeline, policy decisions with their reasons), filtered event pages, and a server-side run of
 * the same verification as `clearance audit verify`.
 */
import { may, userKeyRef, type AuthorityRuntime } from '@clearance/authority';
import { ClearanceError, type AuditEvent } from '@clearance/protocol';
import type { FastifyInstance } from 'fastify';
import { AuditVerifier } from '../audit-verify.js';
import { callerOf } from '../auth.js';
import { emptyBody, paramsOf } from '../request-schemas.js';
import { authHooks, type ApiSchema } from './common.js';
import { guardWorkflow, uniformNotFound } from './read-guard.js';

const anyObject = { type: 'object', additionalProperties: true } as const;
/** Events scanned per read while filtering. */
const SCAN_CHUNK = 1000;

/** What a filter keeps. */
export interface EventFilter {
  readonly workflowId?: string;
  /** Only events of these workflows (an agent's own; item 6). */
  readonly workflowIds?: ReadonlySet<string>;
  readonly eventType?: string;
  readonly severity?: string;
}

function matches(e: AuditEvent, f: EventFilter): boolean {
  return (
    (f.workflowId === undefined || e.workflow?.workflow_id === f.workflowId) &&
    (f.workflowIds === undefined ||
      (e.workflow?.workflow_id !== undefined && f.workflowIds.has(e.workflow.workflow_id))) &&
    (f.eventType === undefined || e.event_type === f.eventType) &&
    (f.severity === undefined || e.severity === f.severity)
  );
}

/**
 * Scan the log from `from`, keeping up to `limit` matching events with their indices; `next` is
 * where to continue (absent at the end of the log).
 */
export async function scanEvents(
  runtime: AuthorityRuntime,
  from: number,
  limit: number,
  filter: EventFilter,
): Promise<{ events: AuditEvent[]; indices: number[]; next?: number }> {
  const q = runtime.queries;
  const events: AuditEvent[] = [];
  const indices: number[] = [];
  let at = from;
  while (at < q.auditSize() && events.length < limit) {
    const chunk = await q.auditEvents(at, SCAN_CHUNK);
    if (chunk.length === 0) break;
    for (const [i, e] of chunk.entries()) {
      if (!matches(e, filter)) continue;
      events.push(e);
      indices.push(at + i);
      if (events.length === limit) {
        at += i + 1;
        return { events, indices, ...(at < q.auditSize() ? { next: at } : {}) };
      }
    }
    at += chunk.length;
  }
  return { events, indices };
}

/** Register GET /api/me, GET /api/workflows/:id/events and POST /api/audit/verify. */
export function auditViewRoutes(app: FastifyInstance, runtime: AuthorityRuntime): void {
  const bearer = authHooks('bearer', runtime);

  const meSchema: ApiSchema = {
    summary:
      'The signed-in user: name, roles, the reference of their approval-signing key (APR-13) and the roles whose approvals must be signed',
    tags: ['meta'],
    auth: 'bearer',
    response: {
      200: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'roles', 'signature_required_roles'],
        properties: {
          name: { type: 'string' },
          roles: { type: 'array', items: { type: 'string' } },
          key_ref: { type: 'string' },
          signature_required_roles: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  };
  app.get('/api/me', { schema: meSchema, onRequest: bearer }, (request) => {
    const caller = callerOf(request);
    const user = runtime.queries.user(caller.name);
    const keyRef = user === undefined ? undefined : userKeyRef(user);
    return {
      name: caller.name,
      roles: [...caller.roles],
      ...(keyRef === undefined ? {} : { key_ref: keyRef }),
      signature_required_roles: [...(runtime.config.approvals.requireSignature ?? [])],
    };
  });

  const eventsSchema: ApiSchema = {
    summary: "A workflow's audit events, oldest first (its timeline and policy decisions)",
    tags: ['workflows'],
    auth: 'bearer',
    params: paramsOf('id'),
    response: { 200: anyObject },
  };
  app.get<{ Params: { id: string } }>(
    '/api/workflows/:id/events',
    { schema: eventsSchema, onRequest: bearer },
    async (request) => {
      const id = request.params.id;
      // Unknown and hidden (another agent's) answer the same WORKFLOW_NOT_FOUND (item 6).
      await guardWorkflow(runtime, request, id);
      await uniformNotFound('WORKFLOW_NOT_FOUND', () => runtime.orchestrator.get(id));
      const { events } = await scanEvents(runtime, 0, Number.MAX_SAFE_INTEGER, {
        workflowId: id,
      });
      return { events };
    },
  );

  const verifySchema: ApiSchema = {
    summary:
      'Verify the whole audit log as `clearance audit verify` does (read-only; auditor or admin)',
    tags: ['audit'],
    auth: 'bearer',
    body: emptyBody,
    response: { 200: anyObject },
  };
  const verifier = new AuditVerifier(runtime.queries.homeDir);
  app.addHook('onClose', () => verifier.close());
  app.post('/api/audit/verify', { schema: verifySchema, onRequest: bearer }, async (request) => {
    // A whole-log verification is expensive: only for those whose job it is (issue 10 U3).
    const caller = callerOf(request);
    if (!may(caller, 'verify_audit')) {
      throw new ClearanceError(
        'FORBIDDEN',
        'verifying the audit log needs the auditor or admin role',
      );
    }
    // Everything acknowledged is on disk (appends resolve after fdatasync); verify the files in a
    // worker thread, off the event loop.
    const report = await verifier.verify();
    return {
      ok: report.ok,
      events: report.verifiedEvents,
      checkpoints: report.verifiedCheckpoints,
      signatures_checked: report.signaturesChecked,
      root_hash: report.rootHash,
      key_ref: report.keyRef,
      ...(report.break === undefined ? {} : { break: report.break }),
    };
  });
}
