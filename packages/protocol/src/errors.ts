/**
 * Clearance errors: one closed list of stable codes, one table from code to HTTP status.
 *
 * Tests and callers branch on `code`, never on `message`. Messages are for humans and may change;
 * codes are a pinned public surface (see test/errors.test.ts).
 */

/** Every error code Clearance can raise, with its HTTP status and a one-line meaning. */
export const ERROR_TABLE = {
  // Input parsing and validation (client fault).
  JSON_INVALID: { status: 400, title: 'Malformed JSON' },
  JSON_DUPLICATE_KEY: { status: 400, title: 'JSON object has a duplicate key' },
  JSON_LONE_SURROGATE: { status: 400, title: 'JSON string has a lone UTF-16 surrogate' },
  JSON_NUMBER_OUT_OF_RANGE: {
    status: 400,
    title: 'JSON number is non-finite or an integer outside ±(2^53-1)',
  },
  JSON_TOO_DEEP: { status: 400, title: 'JSON nesting exceeds the limit' },
  JSON_TOO_LARGE: { status: 413, title: 'JSON document exceeds the size limit' },
  CANONICALIZATION_FAILED: { status: 400, title: 'Value cannot be canonicalised (RFC 8785)' },
  SCHEMA_INVALID: { status: 422, title: 'Object does not validate against its schema definition' },
  PROFILE_INVALID: {
    status: 422,
    title: 'Object violates a CC-TS profile rule the schema cannot express',
  },
  VALIDATION_FAILED: { status: 400, title: 'Request is invalid' },
  HASH_INVALID: { status: 400, title: 'Not a lowercase hex SHA-256 digest' },
  DOMAIN_INVALID: { status: 500, title: 'Hash domain tag is not allowed' },
  MERKLE_INPUT_INVALID: { status: 400, title: 'Merkle proof input is malformed' },
  MERKLE_PROOF_INVALID: { status: 422, title: 'Merkle proof does not verify' },
  // Audit log verification and writing.
  AUDIT_EVENT_MALFORMED: { status: 422, title: 'Audit event is not canonical, schema-valid JSON' },
  AUDIT_LINK_BROKEN: { status: 422, title: 'Audit chain link does not match the previous event' },
  AUDIT_SIGNATURE_INVALID: { status: 422, title: 'Audit event signature does not verify' },
  AUDIT_KEY_UNKNOWN: { status: 422, title: 'Audit event is signed by an untrusted key' },
  AUDIT_TORN_TAIL: { status: 422, title: 'Audit log ends with a torn (incomplete) line' },
  AUDIT_TRUNCATED: { status: 422, title: 'Audit log is shorter than a signed checkpoint' },
  AUDIT_CHECKPOINT_INVALID: {
    status: 422,
    title: 'Audit checkpoint is malformed, unsigned or does not match the log',
  },
  AUDIT_INCONSISTENT: {
    status: 422,
    title: 'Audit log is not an extension of a trusted checkpoint (RFC 6962 consistency fails)',
  },
  AUDIT_ROLLBACK: {
    status: 409,
    title: 'Audit log is older than the last checkpoint its witness holds',
  },
  AUDIT_INDEX_OUT_OF_RANGE: { status: 404, title: 'No audit event at that index' },
  AUDIT_WRITE_FAILED: { status: 503, title: 'Audit event could not be durably recorded' },
  AUDIT_CLOSED: { status: 503, title: 'Audit log is closed' },
  REDACTION_FAILED: { status: 500, title: 'Value could not be redacted' },
  // Content-addressed store.
  CAS_ADDRESS_INVALID: { status: 400, title: 'Not a content address' },
  CAS_NOT_FOUND: { status: 404, title: 'No blob at that address' },
  CAS_CORRUPT: { status: 500, title: 'Stored blob does not match its address' },
  CAS_TOO_LARGE: { status: 413, title: 'Blob exceeds the size limit' },
  CAS_WRITE_FAILED: { status: 500, title: 'Blob could not be durably stored' },
  // Engines, registry and sandbox.
  CONFIG_INVALID: { status: 500, title: 'Clearance configuration is invalid' },
  REGISTRY_INVALID: { status: 500, title: 'Engine registry is invalid' },
  ENGINE_UNKNOWN: { status: 404, title: 'No such engine in the registry' },
  ENGINE_DIGEST_MISMATCH: {
    status: 409,
    title: 'Engine executable does not match its pinned SHA-256',
  },
  ENGINE_SIGNATURE_INVALID: { status: 409, title: 'Engine publisher signature does not verify' },
  SANDBOX_UNAVAILABLE: { status: 503, title: 'The engine sandbox (bubblewrap) is not available' },
  SANDBOX_FAILED: { status: 500, title: 'The engine sandbox could not be set up or run' },
  ENGINE_TIMEOUT: { status: 504, title: 'Engine exceeded its wall-time limit' },
  ENGINE_OUTPUT_TOO_LARGE: { status: 502, title: 'Engine output exceeded its size limit' },
  ENGINE_FAILED: { status: 502, title: 'Engine reported failure or exited non-zero' },
  RECEIPT_INVALID: { status: 502, title: 'Engine receipt is malformed or inconsistent' },
  ARTIFACT_INVALID: {
    status: 422,
    title: 'Engine artifacts are malformed or escape their directory',
  },
  ARTIFACT_INTEGRITY: { status: 422, title: 'Artifact hash does not match its content' },
  WORKSPACE_UNKNOWN: { status: 404, title: 'No such workspace is configured' },
  WORKSPACE_INVALID: { status: 400, title: 'Workspace cannot be hashed or used' },
  WORKSPACE_MUTATED: { status: 409, title: 'Workspace changed during flight-plan' },
  WORKSPACE_CHANGED: { status: 409, title: 'Workspace changed since the plan was made' },
  WORKSPACE_UNREACHABLE: {
    status: 500,
    title: 'A workspace or the home cannot be reached by the engine sandbox users',
  },
  // Workflows, plan-tokens, WAL and policy.
  WORKFLOW_NOT_FOUND: { status: 404, title: 'No such workflow' },
  TRANSITION_ILLEGAL: { status: 409, title: 'Transition is not allowed from the current state' },
  PLAN_TOKEN_MISMATCH: { status: 409, title: 'Plan-token no longer matches the stored artifacts' },
  PLAN_TOKEN_MISSING: { status: 409, title: 'Workflow has no plan-token' },
  WAL_CORRUPT: { status: 500, title: 'Workflow write-ahead log is corrupt' },
  POLICY_CONFIG_INVALID: { status: 500, title: 'Policy configuration is invalid' },
  POLICY_EVALUATION_FAILED: { status: 500, title: 'A policy source could not be evaluated' },
  // Approvals.
  APPROVAL_NOT_FOUND: { status: 404, title: 'No such pending approval' },
  APPROVAL_NOT_PENDING: { status: 409, title: 'Approval is no longer pending' },
  APPROVAL_ROLE_MISSING: { status: 403, title: 'Approver does not hold the required role' },
  APPROVAL_BY_PROPOSER: { status: 403, title: 'The proposer may not approve their own workflow' },
  APPROVAL_EXPIRED: { status: 409, title: 'Approval request has expired' },
  APPROVAL_TOKEN_MISMATCH: { status: 409, title: 'Approval is bound to a different plan-token' },
  APPROVAL_INVALID: { status: 400, title: 'Approval response is malformed' },
  APPROVAL_SIGNATURE_INVALID: {
    status: 403,
    title: "Approval is not signed with the approver's registered key",
  },
  APPROVAL_SEPARATION: { status: 403, title: 'Separation of duties forbids this approver' },
  // Patch engine.
  PATCH_INVALID: { status: 422, title: 'Patch is malformed or unsupported' },
  PATCH_ESCAPES_WORKSPACE: { status: 422, title: 'Patch touches a path outside the workspace' },
  PATCH_TOO_LARGE: { status: 413, title: 'Patch exceeds the size limit' },
  PATCH_DOES_NOT_APPLY: { status: 409, title: 'Patch does not apply to the workspace' },
  // CNC manufacturing (RMOS).
  CNC_JOB_INVALID: { status: 422, title: 'CNC job is malformed or cannot be machined' },
  CNC_OUTPUT_INVALID: {
    status: 502,
    title: 'Generated G-code failed validation or differs from the reproduction',
  },
  CNC_RELEASE_FAILED: { status: 500, title: 'G-code could not be released to the spool folder' },
  OVERRIDE_NOT_BLOCKED: { status: 409, title: 'Only a YELLOW or RED job can be overridden' },
  OVERRIDE_RISK_MISMATCH: { status: 409, title: 'Override scope does not match the job risk' },
  OVERRIDE_RED_DISABLED: { status: 403, title: 'RED overrides are disabled in this deployment' },
  OVERRIDE_ACK_REQUIRED: { status: 400, title: 'A RED override must acknowledge the risk' },
  OVERRIDE_EXISTS: { status: 409, title: 'This job and feasibility are already overridden' },
  // Home, keys and identity.
  HOME_NOT_INITIALIZED: { status: 409, title: 'Clearance home is not initialised' },
  HOME_ALREADY_INITIALIZED: { status: 409, title: 'Clearance home is already initialised' },
  HOME_INVALID: { status: 500, title: 'Clearance home is damaged or has unsafe permissions' },
  HOME_LOCKED: { status: 409, title: 'Another Clearance process holds the home' },
  KEY_INVALID: {
    status: 500,
    title: 'Signing key is missing, malformed or has unsafe permissions',
  },
  USER_INVALID: { status: 400, title: 'User name or roles are invalid' },
  USER_EXISTS: { status: 409, title: 'User already exists' },
  AUTH_REQUIRED: { status: 401, title: 'Authentication required' },
  AUTH_INVALID: { status: 401, title: 'Credentials are invalid' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests from this client; retry later' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict with the current state' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>;

/** The closed list of stable error codes. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** All error codes, in table order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.freeze(
  Object.keys(ERROR_TABLE) as ErrorCode[],
);

/** True when `value` is one of the closed list of codes (prototype-safe lookup). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_TABLE, value);
}

/** HTTP status for a code: the single place this mapping lives. */
export function httpStatusFor(code: ErrorCode): number {
  return ERROR_TABLE[code].status;
}

/** Optional structured detail attached to an error; never put secrets here. */
export type ErrorDetail = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Base class of every error Clearance throws on purpose. Anything else reaching an edge is a bug
 * and is reported as INTERNAL without its message.
 */
export class ClearanceError extends Error {
  /** Stable code from the closed list. */
  readonly code: ErrorCode;
  /** Small, non-secret, machine-readable context (e.g. a JSON path or an index). */
  readonly detail: ErrorDetail | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: ErrorDetail },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClearanceError';
    this.code = code;
    this.detail = options?.detail;
  }

  /** HTTP status of this error's code. */
  get status(): number {
    return httpStatusFor(this.code);
  }
}

/** True when `err` is a ClearanceError carrying `code` (or any code when omitted). */
export function hasCode(err: unknown, code?: ErrorCode): err is ClearanceError {
  return err instanceof ClearanceError && (code === undefined || err.code === code);
}
