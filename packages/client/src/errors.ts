/** The one error type of the client: an API refusal (problem+json) or a transport failure. */

/** Fields of an {@link ApiError}. */
export interface ApiErrorInit {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly type?: string;
  readonly runId?: string;
}

/**
 * A refused or failed request. `code` is the server's stable problem code (e.g.
 * `APPROVAL_TOKEN_MISMATCH`); a non-problem error answer gets `HTTP_<status>`, a network failure
 * `NETWORK_ERROR` (status 0) and an answer that does not have the documented shape
 * `RESPONSE_INVALID`.
 */
export class ApiError extends Error {
  /** HTTP status (0 when no answer arrived). */
  readonly status: number;
  /** Stable problem code. */
  readonly code: string;
  /** Short, human-readable summary. */
  readonly title: string;
  /** What went wrong, as the server explained it. */
  readonly detail: string;
  /** Problem type URI, when the server sent one. */
  readonly type: string | undefined;
  /** The run artifact that records this attempt (refused approvals). */
  readonly runId: string | undefined;

  constructor(init: ApiErrorInit, options?: { cause?: unknown }) {
    super(`${init.code}: ${init.detail || init.title}`, options);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.runId = init.runId;
  }
}

/** True when `value` is an {@link ApiError}. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
