/**
 * Fastify wiring of the per-client rate limits (issue 10 U3): a global onRequest hook, ahead of
 * every route's own authentication hook, for the routes that need or identify a caller. Public
 * routes (health, the OpenAPI document, the console's static files) are not counted.
 */
import {
  DEFAULT_RATE_LIMITS,
  type AuthorityRuntime,
  type RateLimitsConfig,
} from '@clearance/authority';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from './auth.js';
import { sendProblem } from './problem.js';
import { clientAddress, RateLimiter, refusedWindowMessage } from './rate-limit.js';

function authModeOf(request: FastifyRequest): unknown {
  const schema: unknown = request.routeOptions.schema;
  return typeof schema === 'object' && schema !== null ? Reflect.get(schema, 'auth') : undefined;
}

/** The installed limiter, and its check for requests no route hook sees (unroutable URLs). */
export interface RateLimitGate {
  readonly limiter: RateLimiter;
  /** Count `request`; false when it was refused (a 429 has been sent). */
  admit(request: FastifyRequest, reply: FastifyReply): boolean;
}

/** Install the limits; `limits` defaults to config `server.rate_limits`, else the defaults. */
export function installRateLimits(
  app: FastifyInstance,
  runtime: AuthorityRuntime,
  limits: RateLimitsConfig = runtime.config.server.rateLimits ?? DEFAULT_RATE_LIMITS,
): RateLimitGate {
  const pending = new Set<Promise<unknown>>();
  const limiter = new RateLimiter(limits, Date.now, (w) => {
    const recorded = runtime
      .recordRateLimited(refusedWindowMessage(w))
      .catch((err: unknown) => {
        app.log.error({ err }, 'recording a rate-limited window failed');
      })
      .finally(() => pending.delete(recorded));
    pending.add(recorded);
  });
  // Windows that refused something are reported once they end, even if the client went quiet.
  const sweep = setInterval(() => limiter.sweep(), Math.min(limits.windowMs, 60_000));
  sweep.unref();
  const admit = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const header = request.headers.authorization;
    const auth = authenticate(runtime.queries, typeof header === 'string' ? header : undefined);
    const decision = limiter.take(
      {
        address: clientAddress(request.ip),
        ...(auth.kind === 'user' ? { user: auth.user.name } : {}),
      },
      `${request.method} ${request.routeOptions.url ?? '(unroutable URL)'}`,
    );
    if (decision.ok) return true;
    void sendProblem(
      reply.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)))),
      'RATE_LIMITED',
      `more than ${decision.limit} requests in ${limits.windowMs} ms from this client; retry later`,
    );
    return false;
  };
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const mode = authModeOf(request);
    if (mode !== 'bearer' && mode !== 'submission') {
      done();
      return;
    }
    if (admit(request, reply)) done();
  });
  // Before the runtime closes: the last windows' refusals are recorded while the log is open.
  app.addHook('onClose', async () => {
    clearInterval(sweep);
    limiter.flush();
    await Promise.all([...pending]);
  });
  return { limiter, admit };
}
