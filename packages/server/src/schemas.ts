/**
 * JSON schemas of the API. Request schemas refuse unknown keys everywhere except the free-form
 * `input.config` and `input.context` of a proposal; response schemas are what Fastify serialises
 * with (a member missing here would be dropped from the answer) and what OpenAPI publishes.
 * Numbers in query strings and paths stay strings with a digit pattern (no type coercion).
 */
import { STATES } from '@clearance/protocol';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
/** Ids in paths: workflow, approval and run ids are short tokens of these characters. */
export const ID_PATTERN = '^[A-Za-z0-9._-]{1,128}$';
const SHA256_PATTERN = '^[0-9a-f]{64}$';
const DIGITS_PATTERN = '^(0|[1-9][0-9]{0,15})$';
const id = { type: 'string', pattern: ID_PATTERN } as const;
const sha256 = { type: 'string', pattern: SHA256_PATTERN } as const;
const digits = { type: 'string', pattern: DIGITS_PATTERN } as const;
/** A free-form object: serialised as is. */
const anyObject = { type: 'object', additionalProperties: true } as const;

// A content address is checked by the store itself (CAS_ADDRESS_INVALID, not VALIDATION_FAILED).
const address = { type: 'string', minLength: 1, maxLength: 128 } as const;

/** Path parameters: `index` is a digit string, `sha256` a content address, the rest ids. */
export function paramsOf(...names: string[]): object {
  const schemaOf = (n: string): object => (n === 'index' ? digits : n === 'sha256' ? address : id);
  return {
    type: 'object',
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((n) => [n, schemaOf(n)])),
  };
}

/** POST /api/workflows. */
export const proposeBody = {
  type: 'object',
  additionalProperties: false,
  required: ['engine'],
  properties: {
    engine: { type: 'string', minLength: 1, maxLength: 64 },
    workspace: { type: 'string', minLength: 1, maxLength: 64 },
    input: {
      type: 'object',
      additionalProperties: false,
      properties: { config: anyObject, context: anyObject },
    },
  },
} as const;

/** POST /api/approvals/:approval_id. */
export const approvalBody = {
  type: 'object',
  additionalProperties: false,
  required: ['approved'],
  properties: {
    approved: { type: 'boolean' },
    reason: { type: 'string', maxLength: 2000 },
    approver: { type: 'string', minLength: 1, maxLength: 64 },
    plan_token_hash: sha256,
  },
} as const;

/** POST /api/workflow/approve (the RMOS contract's name). */
export const workflowApproveBody = {
  type: 'object',
  additionalProperties: false,
  required: ['workflow_id'],
  properties: {
    workflow_id: id,
    note: { type: 'string', maxLength: 2000 },
    plan_token_hash: sha256,
  },
} as const;

/** A body that must be empty when present (take-off, re-plan, retry). */
export const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;

/** GET /api/workflows filters. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: [...STATES] },
    engine: { type: 'string', maxLength: 64 },
    proposer: { type: 'string', maxLength: 64 },
  },
} as const;

/** GET /api/runs filter. */
export const runsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { workflow_id: id },
} as const;

/** GET /api/audit/events paging. */
export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: digits, limit: digits },
} as const;

/** GET /api/audit/proof/:index. */
export const proofQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { tree_size: digits },
} as const;

const pendingApproval = {
  type: 'object',
  additionalProperties: false,
  required: ['approval_id', 'step_id', 'required_role', 'plan_token_hash', 'requested_at'],
  properties: {
    approval_id: str,
    step_id: str,
    required_role: str,
    plan_token_hash: str,
    requested_at: str,
    sequence: { type: 'integer' },
  },
} as const;

const summaryProperties = {
  workflow_id: str,
  state: str,
  engine: str,
  workspace: str,
  proposer: str,
  created_at: str,
  updated_at: str,
  plan_token_hash: str,
  last_decision: str,
  pending_approvals: { type: 'array', items: pendingApproval },
  failure: str,
  halted: str,
} as const;
const summaryRequired = ['workflow_id', 'state', 'engine', 'workspace', 'proposer'];

/** One workflow in a listing. */
export const workflowSummary = {
  type: 'object',
  additionalProperties: false,
  required: summaryRequired,
  properties: summaryProperties,
} as const;

/** One workflow in full: state record, pending approvals, last decision. */
export const workflowDetails = {
  type: 'object',
  additionalProperties: false,
  required: [...summaryRequired, 'record'],
  properties: { ...summaryProperties, record: anyObject },
} as const;

/** A list of workflows. */
export const workflowList = {
  type: 'object',
  additionalProperties: false,
  required: ['workflows'],
  properties: { workflows: { type: 'array', items: workflowSummary } },
} as const;

/** An accepted approval submission. */
export const approvalOk = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'run_id', 'workflow_id', 'state'],
  properties: {
    status: str,
    run_id: str,
    workflow_id: nullableStr,
    state: nullableStr,
    reason: str,
  },
} as const;

const blob = {
  type: 'object',
  additionalProperties: false,
  required: ['address', 'size'],
  properties: { address: str, size: { type: 'integer' } },
} as const;

/** GET /api/workflows/:id/artifacts. */
export const artifactList = {
  type: 'object',
  additionalProperties: false,
  required: ['workflow_id', 'plan_token_hash', 'artifact_set', 'artifacts'],
  properties: {
    workflow_id: str,
    plan_token_hash: str,
    artifact_set: nullableStr,
    artifacts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['artifact_id', 'artifact_hash', 'artifact_type', 'created_at'],
        properties: {
          artifact_id: str,
          step_id: str,
          artifact_hash: str,
          artifact_type: str,
          created_at: str,
          name: str,
          role: str,
          action: str,
          target: str,
          mime: str,
          meta: blob,
          body: { anyOf: [blob, { type: 'null' }] },
        },
      },
    },
  },
} as const;

const runEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['run_id', 'address', 'kind', 'status', 'workflow_id', 'created_at'],
  properties: {
    run_id: str,
    address: str,
    kind: str,
    status: str,
    workflow_id: nullableStr,
    created_at: str,
  },
} as const;

/** GET /api/runs. */
export const runList = {
  type: 'object',
  additionalProperties: false,
  required: ['runs'],
  properties: { runs: { type: 'array', items: runEntry } },
} as const;

/** A stored run artifact, as stored. */
export const runArtifact = anyObject;

const checkpoint = {
  type: 'object',
  additionalProperties: false,
  required: ['log_id', 'tree_size', 'root_hash', 'timestamp', 'key_ref', 'signature'],
  properties: {
    log_id: str,
    tree_size: { type: 'integer' },
    root_hash: str,
    timestamp: str,
    key_ref: str,
    signature: str,
  },
} as const;

/** GET /api/audit/events. */
export const eventPage = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'size', 'events'],
  properties: {
    from: { type: 'integer' },
    size: { type: 'integer' },
    next: { type: 'integer' },
    events: { type: 'array', items: anyObject },
  },
} as const;

/** GET /api/audit/checkpoints. */
export const checkpointList = {
  type: 'object',
  additionalProperties: false,
  required: ['size', 'checkpoints'],
  properties: { size: { type: 'integer' }, checkpoints: { type: 'array', items: checkpoint } },
} as const;

/** GET /api/audit/proof/:index. */
export const inclusionProof = {
  type: 'object',
  additionalProperties: false,
  required: ['leaf_index', 'tree_size', 'leaf_hash', 'root_hash', 'proof'],
  properties: {
    leaf_index: { type: 'integer' },
    tree_size: { type: 'integer' },
    leaf_hash: str,
    root_hash: str,
    proof: { type: 'array', items: str },
    checkpoint,
  },
} as const;

/** GET /api/health. */
export const health = {
  type: 'object',
  additionalProperties: false,
  required: ['ok'],
  properties: { ok: { type: 'boolean' } },
} as const;

/** The problem+json body (published in OpenAPI; error answers are not schema-serialised). */
export const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: str,
    title: str,
    status: { type: 'integer' },
    code: str,
    detail: str,
    instance: str,
    run_id: str,
  },
} as const;
