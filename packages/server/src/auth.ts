/**
 * Bearer authentication. Tokens are looked up by digest in the home's user directory (only hashes
 * are stored). Two modes:
 * - `requireAuth`: no or a bad token ends the request with 401 (AUTH_REQUIRED / AUTH_INVALID)
 *   before its body is even parsed;
 * - `identifyCaller`: the approval routes. An unauthenticated submission still reaches the
 *   orchestrator as `user: undefined`, so it is recorded (run artifact ERROR, audit event) and
 *   refused without touching the workflow (§4.2.7, G-35).
 */
import type { AuthorityQueries } from '@clearance/authority';

/** Who holds a token: the authority's user lookup (the server never holds the user store). */
export type TokenLookup = Pick<AuthorityQueries, 'authenticate'>;
import { ClearanceError } from '@clearance/protocol';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { sendProblem } from './problem.js';

/** The authenticated caller of a request. */
export interface Caller {
  readonly name: string;
  readonly roles: readonly string[];
}

/** Outcome of reading the Authorization header. */
export type AuthResult =
  | { readonly kind: 'user'; readonly user: Caller }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid' };

// A WeakMap instead of a request decoration: nothing outside this module can set a caller.
const callers = new WeakMap<FastifyRequest, Caller>();

// RFC 7235: the scheme is case-insensitive; the token is a b64token (RFC 6750 §2.1).
const BEARER_RE = /^bearer ([A-Za-z0-9._~+/-]{1,512}=*)$/i;

/** Authenticate the `Authorization: Bearer <token>` header of a request. */
export function authenticate(users: TokenLookup, header: string | undefined): AuthResult {
  if (header === undefined || header === '') return { kind: 'missing' };
  const token = BEARER_RE.exec(header)?.[1];
  if (token === undefined) return { kind: 'invalid' };
  const user = users.authenticate(token);
  // Only name and roles travel on: the stored token digest stays in the directory.
  return user === undefined
    ? { kind: 'invalid' }
    : { kind: 'user', user: { name: user.name, roles: [...user.roles] } };
}

function headerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return typeof h === 'string' ? h : undefined;
}

/** onRequest hook: 401 problem unless the caller presents a valid token. */
export function requireAuth(users: TokenLookup): onRequestHookHandler {
  return (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const result = authenticate(users, headerOf(request));
    if (result.kind === 'user') {
      callers.set(request, result.user);
      done();
      return;
    }
    void sendProblem(
      reply,
      result.kind === 'missing' ? 'AUTH_REQUIRED' : 'AUTH_INVALID',
      result.kind === 'missing' ? 'a bearer token is required' : 'the bearer token is not valid',
    );
  };
}

/** onRequest hook: remember the caller when the token is valid, let the request on either way. */
export function identifyCaller(users: TokenLookup): onRequestHookHandler {
  return (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
    const result = authenticate(users, headerOf(request));
    if (result.kind === 'user') callers.set(request, result.user);
    done();
  };
}

/** The caller of a request that passed {@link requireAuth}; throws if the hook did not run. */
export function callerOf(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  if (caller === undefined)
    throw new ClearanceError('INTERNAL', 'route has no authentication hook');
  return caller;
}

/** The caller of a request, when it presented a valid token. */
export function optionalCallerOf(request: FastifyRequest): Caller | undefined {
  return callers.get(request);
}
