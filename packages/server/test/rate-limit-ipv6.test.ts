/**
 * Issue 10 U3 (APR-10, AUD-9): the per-client limit must not be escaped by changing address
 * within what one client holds. An IPv6 client is routinely given a whole /64, so counting each
 * IPv6 address on its own gives one unauthenticated caller 2^64 budgets.
 */
import { DEFAULT_RATE_LIMITS } from '@clearance/authority';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress } from '../src/rate-limit.js';
import { startApi, type Api } from './helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('U3: IPv6 clients are counted per /64 (APR-10, AUD-9)', () => {
  it('U3 (APR-10, AUD-9): unauthenticated requests from many addresses of one IPv6 /64 share one budget', async () => {
    api = await startApi({});
    const a = api;
    const limit = DEFAULT_RATE_LIMITS.unauthenticated;
    const statuses: number[] = [];
    for (let i = 1; i <= limit + 5; i++) {
      const res = await a.app.inject({
        method: 'GET',
        url: '/api/me',
        remoteAddress: `2001:db8:0:1::${i.toString(16)}`,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    // Another /64 has its own budget.
    const elsewhere = await a.app.inject({
      method: 'GET',
      url: '/api/me',
      remoteAddress: '2001:db8:0:2::1',
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('U3 (APR-10): clientAddress keeps IPv4 and IPv4-mapped addresses and reduces IPv6 to its /64', () => {
    expect(clientAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('2001:0DB8:0001:0002:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddress('1::')).toBe('1:0:0:0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
  });
});
