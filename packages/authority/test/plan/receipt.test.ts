import { describe, expect, it } from 'vitest';
import { judgeReceipt, type EngineExit } from '../../src/plan/index.js';
import { receiptWith } from './helpers.js';

const expected = { mode: 'flight-plan', protocol_version: '0.1.0' } as const;
const exit = (exitCode: number | null, extra: Partial<EngineExit> = {}): EngineExit => ({
  exitCode,
  signal: null,
  timedOut: false,
  stdoutOverflow: false,
  ...extra,
});
const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const good = receiptWith([{ name: 'a', role: 'evidence', path: 'a/artifact.json', hash: 'x' }]);
const goodText = JSON.stringify(good);

describe('judgeReceipt: accepted receipts', () => {
  it('accepts a schema-valid success receipt with exit 0, with or without one trailing newline', () => {
    for (const text of [goodText, `${goodText}\n`, JSON.stringify(good, null, 2)]) {
      const v = judgeReceipt(bytes(text), exit(0), expected);
      expect(v).toEqual({ ok: true, receipt: good, warnings: [] });
    }
  });

  it('S-19 / G-5: an engine-supplied plan_token is ignored with a warning, not rejected', () => {
    const text = JSON.stringify({ ...good, plan_token: 'f'.repeat(64) });
    const v = judgeReceipt(bytes(text), exit(0), expected);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.warnings).toHaveLength(1);
  });

  it('checks engine_id only when the caller expects one', () => {
    expect(
      judgeReceipt(bytes(goodText), exit(0), { ...expected, engine_id: 'test-engine' }).ok,
    ).toBe(true);
    const v = judgeReceipt(bytes(goodText), exit(0), { ...expected, engine_id: 'other' });
    expect(v).toMatchObject({ ok: false, code: 'RECEIPT_INVALID', receipt: good });
  });
});

describe('judgeReceipt: S-17 malformed receipts and exit codes', () => {
  const failure = JSON.stringify({ ...good, status: 'failure', error: 'boom' });
  const cases: [string, string, EngineExit, string, boolean][] = [
    [
      '(a) non-JSON noise before the receipt',
      `log line\n${goodText}`,
      exit(0),
      'RECEIPT_INVALID',
      false,
    ],
    ['(a) noise after the receipt', `${goodText}\nlog line`, exit(0), 'RECEIPT_INVALID', false],
    ['(a) two JSON values', `${goodText}${goodText}`, exit(0), 'RECEIPT_INVALID', false],
    ['(b) exit 0 with status failure', failure, exit(0), 'ENGINE_FAILED', false],
    ['(c) exit 1', failure, exit(1), 'ENGINE_FAILED', false],
    ['(d) exit 2', failure, exit(2), 'ENGINE_FAILED', false],
    ['(e) exit 7 (reserved)', failure, exit(7), 'ENGINE_FAILED', true],
    ['(e) exit 3 (reserved)', goodText, exit(3), 'ENGINE_FAILED', true],
    ['(f) status success with exit 1', goodText, exit(1), 'ENGINE_FAILED', false],
    ['(g) empty stdout', '', exit(0), 'RECEIPT_INVALID', false],
    [
      '(h) wrong mode',
      JSON.stringify({ ...good, mode: 'take-off' }),
      exit(0),
      'RECEIPT_INVALID',
      false,
    ],
    [
      '(h) wrong protocol_version',
      JSON.stringify({ ...good, protocol_version: '9.9.9' }),
      exit(0),
      'RECEIPT_INVALID',
      false,
    ],
    ['killed by a signal', goodText, exit(null, { signal: 'SIGKILL' }), 'ENGINE_FAILED', false],
    ['no exit code and no signal', goodText, exit(null), 'ENGINE_FAILED', false],
    [
      'timed out',
      goodText,
      exit(null, { signal: 'SIGKILL', timedOut: true }),
      'ENGINE_TIMEOUT',
      false,
    ],
    [
      'stdout overflow',
      goodText,
      exit(0, { stdoutOverflow: true }),
      'ENGINE_OUTPUT_TOO_LARGE',
      false,
    ],
  ];
  it.each(cases)('%s', (_label, stdout, ex, code, reserved) => {
    const v = judgeReceipt(bytes(stdout), ex, expected);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.code).toBe(code);
      expect(v.reservedExitCode).toBe(reserved);
    }
  });

  it('keeps a schema-valid receipt on failure verdicts, for the audit record', () => {
    const v = judgeReceipt(
      bytes(JSON.stringify({ ...good, status: 'failure' })),
      exit(1),
      expected,
    );
    expect(v).toMatchObject({ ok: false, receipt: { receipt_id: 'r-1', status: 'failure' } });
    const noise = judgeReceipt(bytes('not json'), exit(1), expected);
    expect(noise.ok === false && noise.receipt === undefined).toBe(true);
  });

  it('never quotes engine text in the reason', () => {
    const text = JSON.stringify({ ...good, status: 'failure', error: 'SECRET-CANARY' });
    const v = judgeReceipt(bytes(text), exit(1), expected);
    expect(v.ok === false && v.reason.includes('SECRET-CANARY')).toBe(false);
  });
});

// Also proves SCH-2 (unknown fields rejected before use).
describe('judgeReceipt: strict parsing (ENG-11, ENG-12, G-14)', () => {
  const invalid: [string, Buffer][] = [
    ['a byte-order mark', Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), bytes(goodText)])],
    ['leading whitespace', bytes(` ${goodText}`)],
    ['two trailing newlines', bytes(`${goodText}\n\n`)],
    ['a trailing CRLF', bytes(`${goodText}\r\n`)],
    ['only a newline', bytes('\n')],
    ['a duplicate key', bytes(goodText.replace('{', '{"status":"failure",'))],
    ['invalid UTF-8', Buffer.concat([bytes(goodText.slice(0, -1)), Buffer.of(0xff), bytes('}')])],
    ['an unknown field', bytes(JSON.stringify({ ...good, extra: 1 }))],
    [
      'the guide example without required fields (G-14)',
      bytes('{"status":"success","artifacts":[]}'),
    ],
    ['a JSON array', bytes('[1]')],
    ['success with an error', bytes(JSON.stringify({ ...good, error: 'oops' }))],
    ['an empty receipt_id', bytes(JSON.stringify({ ...good, receipt_id: '' }))],
    ['an empty engine_id', bytes(JSON.stringify({ ...good, engine_id: '' }))],
    [
      'S-16c: a duplicate artifact name',
      bytes(
        JSON.stringify({
          ...good,
          artifacts: [...(good.artifacts ?? []), ...(good.artifacts ?? [])],
        }),
      ),
    ],
    [
      'an unsafe integer',
      bytes(
        JSON.stringify(good).replace(
          '"r-1"',
          '"r-1","metrics":[{"name":"n","value":9007199254740993}]',
        ),
      ),
    ],
  ];
  it.each(invalid)('rejects %s with RECEIPT_INVALID', (_label, stdout) => {
    const v = judgeReceipt(stdout, exit(0), expected);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.code).toBe('RECEIPT_INVALID');
  });

  it('rejects a receipt over the size limit with ENGINE_OUTPUT_TOO_LARGE', () => {
    const text = bytes(goodText);
    expect(judgeReceipt(text, exit(0), expected, { maxBytes: text.length }).ok).toBe(true);
    const v = judgeReceipt(text, exit(0), expected, { maxBytes: text.length - 1 });
    expect(v.ok === false && v.code).toBe('ENGINE_OUTPUT_TOO_LARGE');
  });

  it('rejects nesting deeper than the limit', () => {
    const deep = { ...good, diagnostics: JSON.parse('['.repeat(10) + ']'.repeat(10)) as unknown };
    const text = bytes(JSON.stringify(deep));
    expect(judgeReceipt(text, exit(0), expected, { maxDepth: 20 }).ok).toBe(true);
    const v = judgeReceipt(text, exit(0), expected, { maxDepth: 5 });
    expect(v.ok === false && v.code).toBe('RECEIPT_INVALID');
  });
});
