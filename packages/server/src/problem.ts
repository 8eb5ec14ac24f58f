/**
 * RFC 9457 problem details: every error the API answers is `application/problem+json` with a
 * stable `code` from the closed list in @clearance/protocol. This module is the one place errors
 * become HTTP answers; routes throw ClearanceError and never build error bodies themselves.
 */
import {
  ClearanceError,
  ERROR_TABLE,
  httpStatusFor,
  type ErrorCode,
  type JsonValue,
} from '@clearance/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Media type of every error answer. */
export const PROBLEM_TYPE = 'application/problem+json';

/** The body of an error answer. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly instance?: string;
  readonly [extension: string]: JsonValue | undefined;
}

/** `AUTH_REQUIRED` → `https://clearance.dev/problems/auth-required`. */
export function problemTypeUri(code: ErrorCode): string {
  return `https://clearance.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Build a problem body; `extra` members (e.g. `run_id`) are added after the standard ones. */
export function problem(
  code: ErrorCode,
  detail: string,
  instance?: string,
  extra: Readonly<Record<string, JsonValue>> = {},
): Problem {
  return {
    ...extra,
    type: problemTypeUri(code),
    title: ERROR_TABLE[code].title,
    status: httpStatusFor(code),
    code,
    detail,
    ...(instance === undefined ? {} : { instance }),
  };
}

/** Send a problem answer with its status and media type. */
export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  extra: Readonly<Record<string, JsonValue>> = {},
): FastifyReply {
  const body = problem(code, detail, pathOf(reply.request), extra);
  return reply.code(body.status).type(PROBLEM_TYPE).send(body);
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q < 0 ? request.url : request.url.slice(0, q);
}

/** Fastify errors we translate; anything else becomes INTERNAL. */
function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && 'code' in err && typeof err.code === 'string';
}

/** The first failing JSON path of a schema validation error, e.g. `body/input/engine: …`. */
function validationDetail(err: FastifyError): string {
  const first = err.validation?.[0];
  if (first === undefined) return 'request does not match its schema';
  const extra = first.params['additionalProperty'];
  const where = `${err.validationContext ?? 'request'}${first.instancePath}`;
  const what =
    typeof extra === 'string'
      ? `unknown property ${JSON.stringify(extra)}`
      : (first.message ?? 'is invalid');
  return `${where}: ${what}`;
}

/**
 * Map any thrown value to a problem. ClearanceError keeps its code; a 5xx ClearanceError gets its
 * generic title as detail (its message may name files or engine output). Unknown errors are
 * INTERNAL with a generic detail and are logged, never echoed.
 */
export function toProblemAnswer(
  err: unknown,
  request: FastifyRequest,
): { code: ErrorCode; detail: string } {
  if (err instanceof ClearanceError) {
    if (err.status >= 500) {
      request.log.error({ err }, 'request failed');
      return { code: err.code, detail: ERROR_TABLE[err.code].title };
    }
    return { code: err.code, detail: err.message };
  }
  if (isFastifyError(err)) {
    if (err.validation !== undefined) {
      return { code: 'VALIDATION_FAILED', detail: validationDetail(err) };
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return { code: 'JSON_TOO_LARGE', detail: 'request body is too large' };
    if (status === 415) {
      return { code: 'VALIDATION_FAILED', detail: 'request bodies must be application/json' };
    }
    if (status >= 400 && status < 500) {
      return { code: 'VALIDATION_FAILED', detail: 'request is malformed' };
    }
  }
  request.log.error({ err }, 'unexpected error');
  return { code: 'INTERNAL', detail: 'internal error' };
}

/** Install the problem+json error and not-found handlers on `app`. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const { code, detail } = toProblemAnswer(err, request);
    return sendProblem(reply, code, detail);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 'NOT_FOUND', `no route ${request.method} ${pathOf(request)}`),
  );
}
