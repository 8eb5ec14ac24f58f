/**
 * Response schemas: what Fastify serialises with (a member missing here is dropped from the
 * answer) and what the OpenAPI document publishes. Error answers are problem+json and are not
 * schema-serialised; {@link problemSchema} documents them.
 */
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
/** A free-form object: serialised as is. */
const anyObject = { type: 'object', additionalProperties: true } as const;

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
    indices: { type: 'array', items: { type: 'integer' } },
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
