/**
 * Request schemas. They refuse unknown keys everywhere except the free-form `input.config` and
 * `input.context` of a proposal. Numbers in query strings and paths stay strings with a digit
 * pattern (validation never coerces types).
 */
import { STATES } from '@clearance/protocol';
import { CNC_OVERRIDE_BODY_SCHEMA } from '@clearance/protocol/portable';

/** Ids in paths: workflow, approval and run ids are short tokens of these characters. */
export const ID_PATTERN = '^[A-Za-z0-9._-]{1,128}$';
const SHA256_PATTERN = '^[0-9a-f]{64}$';
const DIGITS_PATTERN = '^(0|[1-9][0-9]{0,15})$';
const id = { type: 'string', pattern: ID_PATTERN } as const;
const sha256 = { type: 'string', pattern: SHA256_PATTERN } as const;
const digits = { type: 'string', pattern: DIGITS_PATTERN } as const;
/** A free-form object (the engine input; the engine validates it). */
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
      properties: {
        config: anyObject,
        context: anyObject,
        allowed_secrets: {
          type: 'array',
          maxItems: 32,
          uniqueItems: true,
          items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' },
        },
      },
    },
  },
} as const;

/**
 * APR-13: the approver's signature envelope over the §4.2.7 binding (the approver signs the
 * timestamp too; the authority accepts it within a small skew of its clock).
 */
export const approverSignature = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'sig', 'key_ref'],
  properties: {
    timestamp: { type: 'string', minLength: 20, maxLength: 40 },
    sig: { type: 'string', pattern: '^[A-Za-z0-9_-]{86}$' },
    key_ref: { type: 'string', pattern: '^ed25519:[0-9a-f]{64}$' },
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
    signature: approverSignature,
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
    signature: approverSignature,
  },
} as const;

/**
 * Take-off, re-plan, retry: no body, or an empty object. (An absent body is validated as null.)
 */
export const emptyBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {},
} as const;

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
  properties: {
    workflow_id: id,
    kind: { type: 'string', pattern: '^[a-z][a-z_-]{0,31}$' },
    status: { type: 'string', enum: ['OK', 'BLOCKED', 'ERROR'] },
  },
} as const;

/**
 * POST /api/rmos/jobs (authority fields are stripped before validation). The job itself is judged
 * by the authority's parser (422 CNC_JOB_INVALID with its pointer); its shape is the CNC wire
 * contract's `CNC_JOB_SCHEMA`.
 */
export const jobBody = {
  type: 'object',
  additionalProperties: false,
  required: ['job'],
  properties: {
    job: anyObject,
    workspace: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

/** POST /api/rmos/jobs/:id/override: the CNC wire contract's schema (reason bounds as the authority's). */
export const overrideBody = CNC_OVERRIDE_BODY_SCHEMA;

/** GET /api/audit/events paging. */
export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: digits,
    limit: digits,
    workflow_id: id,
    event_type: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
    severity: { type: 'string', enum: ['info', 'warning', 'error', 'critical'] },
  },
} as const;

/** GET /api/audit/proof/:index. */
export const proofQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { tree_size: digits },
} as const;
