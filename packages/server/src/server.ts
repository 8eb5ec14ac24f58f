/**
 * The HTTP API of one running authority: Fastify wiring only. Routes parse, call the
 * orchestrator or a store, and answer; every decision is the authority's.
 */
import type { AddressInfo } from 'node:net';
import type { AuthorityRuntime, RateLimitsConfig } from '@clearance/authority';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_BODY_LIMIT, installStrictJson } from './body.js';
import { RouteCatalog } from './openapi.js';
import { installProblemHandlers } from './problem.js';
import { installRateLimits, type RateLimitGate } from './rate-limit-hook.js';
import { consoleRoutes, defaultConsoleDir } from './console-static.js';
import { approvalRoutes } from './routes/approvals.js';
import { auditConsistencyRoutes } from './routes/audit-consistency.js';
import { auditViewRoutes } from './routes/audit-views.js';
import { installHostPathFilter } from './routes/host-paths.js';
import { malformedUrlHandler } from './routes/malformed-url.js';
import { metaRoutes } from './routes/meta.js';
import { rmosRoutes } from './routes/rmos.js';
import { recordRoutes } from './routes/records.js';
import { workflowRoutes } from './routes/workflows.js';

/** Options of {@link createServer}. */
export interface ServerOptions {
  /**
   * Fastify's logger (pino, JSON lines on stdout): true logs every request, a level logs only
   * that and above (`clearance serve` uses 'error', so internal errors are kept server-side).
   * Off by default.
   */
  readonly logger?: boolean | { readonly level: 'error' | 'warn' | 'info' };
  /** Largest accepted request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Folder of the built console (default packages/console/dist); false serves no console. */
  readonly consoleDir?: string | false;
  /** Per-client request limits (default: config `server.rate_limits`, else the defaults). */
  readonly rateLimits?: RateLimitsConfig;
}

/** Options of {@link startServer}. */
export interface ListenOptions extends ServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

/** A listening server. */
export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  /** Stop accepting connections and wait for in-flight requests; the runtime stays open. */
  close(): Promise<void>;
}

/** Build the API for `runtime` without listening (tests use `app.inject`). */
export function createServer(
  runtime: AuthorityRuntime,
  options: ServerOptions = {},
): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Set once the rate limits are installed; unroutable URLs are counted by the same limiter.
  const limits: { gate?: RateLimitGate } = {};
  const app = Fastify({
    logger:
      typeof options.logger === 'object'
        ? { level: options.logger.level }
        : (options.logger ?? false),
    bodyLimit,
    exposeHeadRoutes: false,
    // Unroutable URLs (bad percent-encoding, over-long ids) answer problem+json (item 13).
    frameworkErrors: malformedUrlHandler(
      runtime,
      (req, reply) => limits.gate?.admit(req, reply) ?? true,
    ),
    // Validation refuses instead of repairing: no coercion, no silent removal of unknown keys,
    // no defaults filled in, and the first error only (allErrors is a DoS vector).
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allErrors: false,
        // Patterns count UTF-16 units, as the authority's `String.length` checks (and the
        // client's `wireProblem`) do: the override reason pattern means the same everywhere.
        unicodeRegExp: false,
      },
    },
  });
  const catalog = new RouteCatalog();
  catalog.install(app);
  installStrictJson(app, bodyLimit);
  installProblemHandlers(app);
  limits.gate = installRateLimits(app, runtime, options.rateLimits);
  installHostPathFilter(app, runtime);
  metaRoutes(app, catalog);
  workflowRoutes(app, runtime);
  approvalRoutes(app, runtime);
  recordRoutes(app, runtime);
  rmosRoutes(app, runtime);
  auditViewRoutes(app, runtime);
  auditConsistencyRoutes(app, runtime);
  if (options.consoleDir !== false) consoleRoutes(app, options.consoleDir ?? defaultConsoleDir());
  return app;
}

/** Create the API and listen on `host:port`. */
export async function startServer(
  runtime: AuthorityRuntime,
  options: ListenOptions,
): Promise<RunningServer> {
  const app = createServer(runtime, options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? portOf(address) : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  // Unanswered approvals past their TTL end their workflows (approval_expired), checked every
  // 30 s; a failing sweep is logged and retried, never fatal.
  const sweep = setInterval(() => {
    runtime.orchestrator.expireApprovals().catch((err: unknown) => {
      app.log.error({ err }, 'approval expiry sweep failed');
    });
  }, EXPIRY_SWEEP_MS);
  sweep.unref();
  return {
    url: `http://${host}:${port}`,
    app,
    close: async () => {
      clearInterval(sweep);
      await app.close();
    },
  };
}

/** How often the server ends workflows whose approval request expired. */
const EXPIRY_SWEEP_MS = 30_000;

function portOf(address: AddressInfo): number {
  return address.port;
}
