/**
 * Issue 10 U1 and U3: the `audit` section (checkpoint cadence, witness) and `server.rate_limits`
 * are parsed strictly (AUD-5, APR-11): unknown keys, relative paths, shell strings and
 * contradictory settings are CONFIG_INVALID with the offending JSON pointer.
 */
import { describe, expect, it } from 'vitest';
import { configJson, parseConfig } from '../../src/config/index.js';
import { baseConfig, setAt, thrown, type Obj } from './helpers.js';

const withAudit = (audit: unknown): string => JSON.stringify({ ...baseConfig(), audit });
const withLimits = (rateLimits: unknown): string =>
  JSON.stringify(setAt(baseConfig(), ['server', 'rate_limits'], rateLimits));

describe('U1: config audit section (AUD-5)', () => {
  it('U1: parses a folder or a command witness and the checkpoint cadence (AUD-5)', () => {
    expect(parseConfig(withAudit({ witness: { dir: '/srv/witness' } })).audit).toEqual({
      checkpointEvery: 1000,
      witness: { kind: 'dir', dir: '/srv/witness' },
    });
    const c = parseConfig(
      withAudit({
        checkpoint_every: 10,
        witness: { command: ['/usr/bin/witness', 'put'], latest: ['/usr/bin/witness', 'get'] },
      }),
    );
    expect(c.audit).toEqual({
      checkpointEvery: 10,
      witness: {
        kind: 'command',
        command: ['/usr/bin/witness', 'put'],
        latest: ['/usr/bin/witness', 'get'],
        timeoutMs: 10_000,
      },
    });
    // The normalised form round-trips.
    expect(parseConfig(JSON.stringify(configJson(c))).digest).toBe(c.digest);
  });

  it('U1: refuses unknown keys and malformed witnesses with their JSON pointer (AUD-5)', () => {
    const cases: [unknown, string][] = [
      [{ witness: { dir: '/w' }, extra: 1 }, '/audit/extra'],
      [{ witness: { dir: '/w', mode: 1 } }, '/audit/witness/mode'],
      [{ witness: {} }, '/audit/witness'],
      [{ witness: { dir: '/w', command: ['/bin/true'] } }, '/audit/witness'],
      [{ witness: { dir: 'relative/w' } }, '/audit/witness/dir'],
      [{ witness: { command: [] } }, '/audit/witness/command'],
      [{ witness: { command: ['sh -c "curl x"'] } }, '/audit/witness/command/0'],
      [{ witness: { dir: '/w', latest: ['/bin/cat'] } }, '/audit/witness'],
      [{ checkpoint_every: 0 }, '/audit/checkpoint_every'],
      ['yes', '/audit'],
    ];
    for (const [audit, path] of cases) {
      expect(
        thrown(() => parseConfig(withAudit(audit))),
        JSON.stringify(audit),
      ).toEqual({
        code: 'CONFIG_INVALID',
        detail: expect.objectContaining({ pointer: path }) as Obj,
      });
    }
  });

  it('U1: a config without the section keeps its fingerprint (AUD-5)', () => {
    const c = parseConfig(JSON.stringify(baseConfig()));
    expect(c.audit).toBeUndefined();
    expect(configJson(c)).not.toHaveProperty('audit');
    expect(configJson(c)['server']).toEqual({ host: '127.0.0.1', port: 8787 });
  });
});

describe('U3: config server.rate_limits (APR-11)', () => {
  it('U3: fills defaults and refuses unknown keys and out-of-range values (APR-11)', () => {
    expect(parseConfig(withLimits({ unauthenticated: 5 })).server.rateLimits).toEqual({
      windowMs: 60_000,
      unauthenticated: 5,
      authenticated: 6000,
    });
    const cases: [unknown, string][] = [
      [{ burst: 3 }, '/server/rate_limits/burst'],
      [{ unauthenticated: 0 }, '/server/rate_limits/unauthenticated'],
      [{ window_ms: 10 }, '/server/rate_limits/window_ms'],
      [{ unauthenticated: 100, authenticated: 10 }, '/server/rate_limits/authenticated'],
    ];
    for (const [limits, path] of cases) {
      expect(
        thrown(() => parseConfig(withLimits(limits))),
        JSON.stringify(limits),
      ).toEqual({
        code: 'CONFIG_INVALID',
        detail: expect.objectContaining({ pointer: path }) as Obj,
      });
    }
  });
});
