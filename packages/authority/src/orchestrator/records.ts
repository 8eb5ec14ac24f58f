/**
 * The orchestrator's own records in the content-addressed store, referenced from the WAL through
 * `artifact_created` entries of type `clearance.*` (the schema has no other place for them):
 *
 * - `clearance.workflow-request`: what was proposed, by whom, which fields were stripped;
 * - `clearance.plan-record`: everything a plan-token verification needs besides the artifacts
 *   (the receipt, the artifact set, the stored PlanToken, the workspace hash before flight-plan);
 * - `clearance.approval-request`: the ApprovalRequest exactly as published.
 */
import { FieldReader, HASH_DOMAINS, type JsonObject } from '@clearance/protocol';
import { jsonObjectAt, readRecord } from '../cas/read-record.js';
import type { ContentStore } from '../cas/store.js';
import { putObject } from './objects.js';

export const REQUEST_TYPE = 'clearance.workflow-request';
export const PLAN_RECORD_TYPE = 'clearance.plan-record';
export const APPROVAL_REQUEST_TYPE = 'clearance.approval-request';
export const RECEIPT_TYPE = 'clearance.engine-receipt';
export const ARTIFACT_SET_TYPE = 'clearance.artifact-set';
/** Not a content address: the workspace hash taken before flight-plan (§4.2.5). */
export const WORKSPACE_HASH_TYPE = 'clearance.workspace-hash';
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

/** Read a workflow request back (readRecord: CAS_CORRUPT for anything but the written shape). */
export async function getRequest(cas: ContentStore, address: string): Promise<WorkflowRequest> {
  return readRecord(cas, address, REQUEST_DOMAIN, (o, fail) => {
    const r = FieldReader.strict(o, '', REQUEST_KEYS, fail);
    const engine = r.child('engine', ENGINE_KEYS);
    const retryOf = r.optStr('retry_of');
    return {
      workflow_id: r.str('workflow_id'),
      engine: {
        id: engine.str('id'),
        version: engine.str('version'),
        sha256: engine.str('sha256'),
      },
      workspace: r.str('workspace'),
      config: jsonObjectAt(o, 'config', '', fail),
      context: jsonObjectAt(o, 'context', '', fail),
      allowed_secrets: r.has('allowed_secrets') ? r.strList('allowed_secrets') : [],
      proposer: r.str('proposer'),
      stripped: r.strList('stripped'),
      created_at: r.str('created_at'),
      ...(retryOf === undefined ? {} : { retry_of: retryOf }),
    };
  });
}

const REQUEST_KEYS = {
  required: [
    'domain',
    'workflow_id',
    'engine',
    'workspace',
    'config',
    'context',
    'proposer',
    'stripped',
    'created_at',
  ],
  optional: ['allowed_secrets', 'retry_of'],
};
const ENGINE_KEYS = { required: ['id', 'version', 'sha256'] };

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

/** Read a plan record back (readRecord: CAS_CORRUPT for anything but the written shape). */
export async function getPlanRecord(cas: ContentStore, address: string): Promise<PlanRecord> {
  return readRecord(cas, address, PLAN_DOMAIN, (o, fail) => {
    const r = FieldReader.strict(o, '', PLAN_RECORD_KEYS, fail);
    return {
      run_index: r.num('run_index'),
      engine_id: r.str('engine_id'),
      protocol_version: r.str('protocol_version'),
      model: r.str('model'),
      workspace_hash: r.str('workspace_hash'),
      input_digest: r.str('input_digest'),
      policy_digest: r.str('policy_digest'),
      governance_hash: r.str('governance_hash'),
      artifact_set: r.str('artifact_set'),
      plan_token: r.str('plan_token'),
      receipt: r.str('receipt'),
    };
  });
}

const PLAN_RECORD_KEYS = {
  required: [
    'domain',
    'run_index',
    'engine_id',
    'protocol_version',
    'model',
    'workspace_hash',
    'input_digest',
    'policy_digest',
    'governance_hash',
    'artifact_set',
    'plan_token',
    'receipt',
  ],
};
