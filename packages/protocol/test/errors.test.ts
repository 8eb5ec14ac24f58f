import { describe, expect, it } from 'vitest';
import {
  ClearanceError,
  ERROR_CODES,
  ERROR_TABLE,
  hasCode,
  httpStatusFor,
  isErrorCode,
} from '../src/errors.js';

// The code → status table is public surface: clients branch on codes, and problem+json uses the
// status. Changing a row is a deliberate, reviewed change of this pin, never a fix for a failing test.
const PINNED: Record<string, number> = {
  JSON_INVALID: 400,
  JSON_DUPLICATE_KEY: 400,
  JSON_LONE_SURROGATE: 400,
  JSON_NUMBER_OUT_OF_RANGE: 400,
  JSON_TOO_DEEP: 400,
  JSON_TOO_LARGE: 413,
  CANONICALIZATION_FAILED: 400,
  SCHEMA_INVALID: 422,
  PROFILE_INVALID: 422,
  VALIDATION_FAILED: 400,
  HASH_INVALID: 400,
  DOMAIN_INVALID: 500,
  MERKLE_INPUT_INVALID: 400,
  MERKLE_PROOF_INVALID: 422,
  AUDIT_EVENT_MALFORMED: 422,
  AUDIT_LINK_BROKEN: 422,
  AUDIT_SIGNATURE_INVALID: 422,
  AUDIT_KEY_UNKNOWN: 422,
  AUDIT_TORN_TAIL: 422,
  AUDIT_TRUNCATED: 422,
  AUDIT_CHECKPOINT_INVALID: 422,
  AUDIT_INCONSISTENT: 422,
  AUDIT_ROLLBACK: 409,
  AUDIT_INDEX_OUT_OF_RANGE: 404,
  AUDIT_WRITE_FAILED: 503,
  AUDIT_CLOSED: 503,
  REDACTION_FAILED: 500,
  CAS_ADDRESS_INVALID: 400,
  CAS_NOT_FOUND: 404,
  CAS_CORRUPT: 500,
  CAS_TOO_LARGE: 413,
  CAS_WRITE_FAILED: 500,
  CONFIG_INVALID: 500,
  REGISTRY_INVALID: 500,
  ENGINE_UNKNOWN: 404,
  ENGINE_DIGEST_MISMATCH: 409,
  ENGINE_SIGNATURE_INVALID: 409,
  SANDBOX_UNAVAILABLE: 503,
  SANDBOX_FAILED: 500,
  ENGINE_TIMEOUT: 504,
  ENGINE_OUTPUT_TOO_LARGE: 502,
  ENGINE_FAILED: 502,
  RECEIPT_INVALID: 502,
  ARTIFACT_INVALID: 422,
  ARTIFACT_INTEGRITY: 422,
  WORKSPACE_UNKNOWN: 404,
  WORKSPACE_INVALID: 400,
  WORKSPACE_MUTATED: 409,
  WORKSPACE_CHANGED: 409,
  WORKSPACE_UNREACHABLE: 500,
  WORKFLOW_NOT_FOUND: 404,
  TRANSITION_ILLEGAL: 409,
  PLAN_TOKEN_MISMATCH: 409,
  PLAN_TOKEN_MISSING: 409,
  WAL_CORRUPT: 500,
  POLICY_CONFIG_INVALID: 500,
  POLICY_EVALUATION_FAILED: 500,
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_ROLE_MISSING: 403,
  APPROVAL_BY_PROPOSER: 403,
  APPROVAL_SIGNATURE_INVALID: 403,
  APPROVAL_SEPARATION: 403,
  APPROVAL_EXPIRED: 409,
  APPROVAL_TOKEN_MISMATCH: 409,
  APPROVAL_INVALID: 400,
  PATCH_INVALID: 422,
  PATCH_ESCAPES_WORKSPACE: 422,
  PATCH_TOO_LARGE: 413,
  PATCH_DOES_NOT_APPLY: 409,
  CNC_JOB_INVALID: 422,
  CNC_OUTPUT_INVALID: 502,
  CNC_RELEASE_FAILED: 500,
  OVERRIDE_NOT_BLOCKED: 409,
  OVERRIDE_RISK_MISMATCH: 409,
  OVERRIDE_RED_DISABLED: 403,
  OVERRIDE_ACK_REQUIRED: 400,
  OVERRIDE_EXISTS: 409,
  HOME_NOT_INITIALIZED: 409,
  HOME_ALREADY_INITIALIZED: 409,
  HOME_INVALID: 500,
  HOME_LOCKED: 409,
  KEY_INVALID: 500,
  USER_INVALID: 400,
  USER_EXISTS: 409,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
};

describe('error code table', () => {
  it('is exactly the pinned closed list with pinned statuses', () => {
    expect(Object.fromEntries(ERROR_CODES.map((c) => [c, httpStatusFor(c)]))).toEqual(PINNED);
  });

  it('codes are SCREAMING_SNAKE and every row has a title', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(ERROR_TABLE[code].title.length).toBeGreaterThan(3);
    }
  });

  it('looks codes up without the prototype chain', () => {
    expect(isErrorCode('INTERNAL')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('ClearanceError carries code, status, detail and cause', () => {
    const cause = new Error('root');
    const err = new ClearanceError('CAS_CORRUPT', 'bad blob', { cause, detail: { address: 'x' } });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ClearanceError');
    expect(err.code).toBe('CAS_CORRUPT');
    expect(err.status).toBe(500);
    expect(err.detail).toEqual({ address: 'x' });
    expect(err.cause).toBe(cause);
    expect(hasCode(err, 'CAS_CORRUPT')).toBe(true);
    expect(hasCode(err, 'CAS_NOT_FOUND')).toBe(false);
    expect(hasCode(new Error('x'))).toBe(false);
  });
});
