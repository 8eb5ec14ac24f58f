/**
 * Read authorisation of the record routes (issue 10 item 6): an `agent` sees only the workflows
 * it proposed, and the runs and stored blobs they reference; every other role (operator,
 * approver, admin, auditor, supervisor, named roles) sees all (authority read-access.ts). A forbidden read answers exactly
 * what an unknown one answers — same status, code and body — so an agent cannot probe for other
 * workflows, runs or blobs.
 */
import { seesAll, type AuthorityRuntime, type Reader } from '@clearance/authority';
import { ClearanceError, hasCode } from '@clearance/protocol';
import type { FastifyRequest } from 'fastify';
import { callerOf } from '../auth.js';

/** The uniform answer for an unknown or hidden workflow. */
export function workflowNotFound(): ClearanceError {
  return new ClearanceError('WORKFLOW_NOT_FOUND', 'no such workflow');
}

/** The uniform answer for an unknown or hidden blob. */
export function blobNotFound(): ClearanceError {
  return new ClearanceError('CAS_NOT_FOUND', 'no blob at that address');
}

/** The uniform answer for an unknown or hidden run artifact. */
export function runNotFound(): ClearanceError {
  return new ClearanceError('NOT_FOUND', 'no such run artifact');
}

/** The signed-in caller as a reader. */
export function readerOf(request: FastifyRequest): Reader {
  return callerOf(request);
}

/** True when the caller sees every workflow. */
export function readsAll(request: FastifyRequest): boolean {
  return seesAll(readerOf(request));
}

/** Refuse (as unknown) a workflow the caller may not see, and an unknown one alike. */
export async function guardWorkflow(
  runtime: AuthorityRuntime,
  request: FastifyRequest,
  id: string,
): Promise<void> {
  if (!(await runtime.queries.readAccess().mayReadWorkflow(readerOf(request), id))) {
    throw workflowNotFound();
  }
}

/** Run `read`, answering any not-found of `code` with the uniform error. */
export async function uniformNotFound<T>(
  code: 'WORKFLOW_NOT_FOUND' | 'CAS_NOT_FOUND' | 'NOT_FOUND',
  read: () => Promise<T> | T,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!hasCode(err, code)) throw err;
    throw code === 'WORKFLOW_NOT_FOUND'
      ? workflowNotFound()
      : code === 'CAS_NOT_FOUND'
        ? blobNotFound()
        : runNotFound();
  }
}

/** The workflow ids the caller may see, or undefined for "all". */
export async function visibleWorkflows(
  runtime: AuthorityRuntime,
  request: FastifyRequest,
): Promise<ReadonlySet<string> | undefined> {
  const reader = readerOf(request);
  if (seesAll(reader)) return undefined;
  const all = await runtime.orchestrator.list();
  return new Set(all.filter((w) => w.proposer === reader.name).map((w) => w.workflow_id));
}
