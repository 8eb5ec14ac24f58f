/**
 * Per-client request limits (issue 10 U3). Without them 100 unauthenticated approval posts made
 * 200 signed audit events and 100 run artifacts in 2.6 s: every attempt is recorded (APR-10), so
 * recording is the amplifier.
 *
 * A client is its remote address plus, when it presented a valid token, its user name.
 * Unauthenticated and failed-auth requests of an address share one budget; each signed-in user at
 * that address has its own, larger one, so a flood from the address never locks out a legitimate
 * approver. Windows are fixed: at most `limit` requests per `windowMs`. Over the limit a request
 * is answered 429 RATE_LIMITED with Retry-After and is not recorded one by one: each window that
 * refused anything is summed up in ONE `rate_limited` audit event (client, count, routes) when it
 * ends, when it is swept, or when the server closes (AUD-9: the omission is itself recorded).
 *
 * The decision core ({@link RateLimiter}) is pure over an injected clock; recording is a callback.
 */
import { isIPv6 } from 'node:net';
import type { RateLimitsConfig } from '@clearance/authority';

/**
 * The address a client is counted under: an IPv6 address by its /64 (one subscriber routinely
 * holds a whole /64, so counting each address alone would give one caller 2^64 budgets); IPv4
 * and IPv4-mapped addresses as they are.
 */
export function clientAddress(ip: string): string {
  if (!isIPv6(ip) || ip.toLowerCase().startsWith('::ffff:')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Who a request is counted against. */
export interface ClientKey {
  readonly address: string;
  /** The signed-in user; undefined for a missing or invalid token. */
  readonly user?: string;
}

/** One window that refused requests: what the aggregated audit event records. */
export interface RefusedWindow {
  readonly client: ClientKey;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly limit: number;
  readonly admitted: number;
  readonly refused: number;
  /** `METHOD /route/pattern` → refused count. */
  readonly routes: ReadonlyMap<string, number>;
}

/** Answer of {@link RateLimiter.take}. */
export type RateDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryAfterMs: number; readonly limit: number };

interface Window {
  readonly client: ClientKey;
  readonly start: number;
  readonly limit: number;
  admitted: number;
  refused: number;
  readonly routes: Map<string, number>;
}

/** Largest number of client windows kept; beyond it, ended windows are swept first. */
const MAX_TRACKED = 100_000;

/** Fixed-window counters per client. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: RateLimitsConfig,
    private readonly now: () => number,
    private readonly onRefusedWindow: (w: RefusedWindow) => void,
  ) {}

  /** Count one request of `client` on `route`; refuse it when the window's budget is spent. */
  take(client: ClientKey, route: string): RateDecision {
    const now = this.now();
    const id =
      client.user === undefined
        ? `${client.address} anon`
        : `${client.address} user ${client.user}`;
    let w = this.windows.get(id);
    if (w !== undefined && now >= w.start + this.limits.windowMs) {
      this.end(id, w);
      w = undefined;
    }
    if (w === undefined) {
      if (this.windows.size >= MAX_TRACKED) this.sweep();
      w = {
        client,
        start: now,
        limit: client.user === undefined ? this.limits.unauthenticated : this.limits.authenticated,
        admitted: 0,
        refused: 0,
        routes: new Map(),
      };
      this.windows.set(id, w);
    }
    if (w.admitted < w.limit) {
      w.admitted += 1;
      return { ok: true };
    }
    w.refused += 1;
    w.routes.set(route, (w.routes.get(route) ?? 0) + 1);
    return { ok: false, retryAfterMs: w.start + this.limits.windowMs - now, limit: w.limit };
  }

  /** End every window that is over (called periodically); reports those that refused. */
  sweep(): void {
    const now = this.now();
    for (const [id, w] of this.windows) {
      if (now >= w.start + this.limits.windowMs) this.end(id, w);
    }
  }

  /** End every window now (server close): each one that refused anything is reported. */
  flush(): void {
    for (const [id, w] of this.windows) this.end(id, w);
  }

  private end(id: string, w: Window): void {
    this.windows.delete(id);
    if (w.refused === 0) return;
    this.onRefusedWindow({
      client: w.client,
      windowStart: w.start,
      windowEnd: w.start + this.limits.windowMs,
      limit: w.limit,
      admitted: w.admitted,
      refused: w.refused,
      routes: w.routes,
    });
  }
}

/** The message of the aggregated `rate_limited` audit event. */
export function refusedWindowMessage(w: RefusedWindow): string {
  const who =
    w.client.user === undefined
      ? `unauthenticated client ${w.client.address}`
      : `user ${w.client.user} at ${w.client.address}`;
  const routes = [...w.routes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, n]) => `${r} x${n}`)
    .join(', ');
  return (
    `rate limit: ${w.refused} requests refused (429) from ${who} in the window from ` +
    `${new Date(w.windowStart).toISOString()} to ${new Date(w.windowEnd).toISOString()} ` +
    `(limit ${w.limit}, ${w.admitted} admitted): ${routes}`
  );
}
