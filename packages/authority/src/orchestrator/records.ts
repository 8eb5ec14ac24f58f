/**
 * The orchestrator's own records in the content-addressed store, referenced from the WAL through
 * `artifact_created` entries of type `clearance.*` (the schema has no other place for them):
 *
 * - `clearance.workflow-request`: what was proposed, by whom, which fields were stripped;
 * - `clearance.plan-record`: everything a plan-token verification needs besides the artifacts
 *   (the receipt, the artifact set, the stored PlanToken, the workspace hash before flight-plan);
 * - `clearance.approval-request`: the ApprovalRequest exactly as published.
 */
import type { JsonObject, JsonValue } from '@clearance/protocol';
import { HASH_DOMAINS, ClearanceError } from '@clearance/protocol';
import type { ContentStore } from '../cas/store.js';
import { getObject, obj, optStr, putObject, str } from './objects.js';

export const REQUEST_TYPE = 'clearance.workflow-request';
export const PLAN_RECORD_TYPE = 'clearance.plan-record';
export const APPROVAL_REQUEST_TYPE = 'clearance.approval-request';
const REQUEST_DOMAIN = HASH_DOMAINS.WORKFLOW_REQUEST;
const PLAN_DOMAIN = HASH_DOMAINS.PLAN_RECORD;

/** A proposed workflow. */
export interface WorkflowRequest {
  readonly workflow_id: string;
  readonly engine: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly workspace: string;
  readonly config: JsonObject;
  readonly context: JsonObject;
  /** Names of the engine secrets this workflow may receive (SEC-2); never their values. */
  readonly allowed_secrets: readonly string[];
  readonly proposer: string;
  /** Client-sent authority fields removed before anything saw the input. */
  readonly stripped: readonly string[];
  readonly created_at: string;
  readonly retry_of?: string;
}

export async function putRequest(cas: ContentStore, r: WorkflowRequest): Promise<string> {
  return putObject(cas, {
    domain: REQUEST_DOMAIN,
    workflow_id: r.workflow_id,
    engine: { ...r.engine },
    workspace: r.workspace,
    config: r.config,
    context: r.context,
    ...(r.allowed_secrets.length === 0 ? {} : { allowed_secrets: [...r.allowed_secrets] }),
    proposer: r.proposer,
    stripped: [...r.stripped],
    created_at: r.created_at,
    ...(r.retry_of === undefined ? {} : { retry_of: r.retry_of }),
  });
}

export async function getRequest(cas: ContentStore, address: string): Promise<WorkflowRequest> {
  const o = await getObject(cas, address, REQUEST_DOMAIN);
  const engine = obj(o, 'engine');
  const stripped = o['stripped'];
  const retryOf = optStr(o, 'retry_of');
  return {
    workflow_id: str(o, 'workflow_id'),
    engine: {
      id: str(engine, 'id'),
      version: str(engine, 'version'),
      sha256: str(engine, 'sha256'),
    },
    workspace: str(o, 'workspace'),
    config: obj(o, 'config'),
    context: obj(o, 'context'),
    allowed_secrets: o['allowed_secrets'] === undefined ? [] : stringList(o['allowed_secrets']),
    proposer: str(o, 'proposer'),
    stripped: stringList(stripped),
    created_at: str(o, 'created_at'),
    ...(retryOf === undefined ? {} : { retry_of: retryOf }),
  };
}

/** What a plan-token verification needs besides the artifact bytes. */
export interface PlanRecord {
  readonly run_index: number;
  readonly engine_id: string;
  readonly protocol_version: string;
  readonly model: string;
  readonly workspace_hash: string;
  readonly input_digest: string;
  readonly policy_digest: string;
  readonly governance_hash: string;
  readonly artifact_set: string;
  readonly plan_token: string;
  readonly receipt: string;
}

export async function putPlanRecord(cas: ContentStore, p: PlanRecord): Promise<string> {
  return putObject(cas, { domain: PLAN_DOMAIN, ...p });
}

export async function getPlanRecord(cas: ContentStore, address: string): Promise<PlanRecord> {
  const o = await getObject(cas, address, PLAN_DOMAIN);
  const runIndex = o['run_index'];
  if (typeof runIndex !== 'number') throw new ClearanceError('CAS_CORRUPT', 'bad plan record');
  return {
    run_index: runIndex,
    engine_id: str(o, 'engine_id'),
    protocol_version: str(o, 'protocol_version'),
    model: str(o, 'model'),
    workspace_hash: str(o, 'workspace_hash'),
    input_digest: str(o, 'input_digest'),
    policy_digest: str(o, 'policy_digest'),
    governance_hash: str(o, 'governance_hash'),
    artifact_set: str(o, 'artifact_set'),
    plan_token: str(o, 'plan_token'),
    receipt: str(o, 'receipt'),
  };
}

function stringList(v: JsonValue | undefined): string[] {
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) {
    throw new ClearanceError('CAS_CORRUPT', 'stored list is malformed');
  }
  return v;
}
