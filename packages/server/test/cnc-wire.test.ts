/**
 * I11-3 (RMOS S1): the fields the three old copies disagreed on — `coolant` and the override
 * reason (1–4000 at the server, 10–2000 at the authority) — are accepted and refused over HTTP
 * exactly as the one CNC wire contract says, which the client and the console check with; a
 * refused reason is judged by the authority with the contract's rule after its role and job checks,
 * and recorded as a BLOCKED override run like every other refused attempt.
 */
import type { JsonValue } from '@clearance/protocol';
import {
  CNC_JOB_SCHEMA,
  OVERRIDE_REASON,
  overrideReasonAccepted,
  wireProblem,
} from '@clearance/protocol/portable';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyOf, call, startApi, type Api } from './helpers.js';
import { rosetteJob } from './workflow-helpers.js';

let api: Api | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Reasons at and around the authority's bounds, blanks around them counting for nothing. */
function reasons(): [string, string][] {
  const { min, max } = OVERRIDE_REASON;
  return [
    ['min - 1', 'r'.repeat(min - 1)],
    ['min', 'r'.repeat(min)],
    ['min padded', `  ${'r'.repeat(min)}\n`],
    // Two UTF-16 units each: the authority counts String.length, so the server's pattern must too.
    ['min in astral characters', '\u{1F527}'.repeat(min / 2)],
    ['min - 1 padded to min', ` ${'r'.repeat(min - 1)} `],
    ['blanks only', ' '.repeat(max)],
    ['max', 'r'.repeat(max)],
    ['max padded', ` ${'r'.repeat(max)}  `],
    ['max + 1', 'r'.repeat(max + 1)],
    ['old server max', 'r'.repeat(4000)],
  ];
}

describe('I11-3: one CNC wire contract at the server edge', () => {
  it('I11-3: the override reason is accepted exactly when the wire rule (the authority’s) accepts it', async () => {
    api = await startApi({});
    const a = api;
    let feed = 600;
    // A YELLOW job per accepted reason (an accepted override is one per job as assessed).
    const yellowJob = async (): Promise<string> => {
      feed += 1;
      const res = await call(a.app, 'POST', '/api/rmos/jobs', {
        token: a.tokens.agent,
        body: { job: rosetteJob({ feed_xy: feed, feed_z: 650 }) },
      });
      expect(res.statusCode, res.body).toBe(201);
      const view = bodyOf(res) as { workflow: { workflow_id: string } };
      return view.workflow.workflow_id;
    };
    let id = await yellowJob();
    const verdicts: string[] = [];
    for (const [name, reason] of reasons()) {
      const runsBefore = a.runtime.runs.list().length;
      const res = await call(a.app, 'POST', `/api/rmos/jobs/${id}/override`, {
        token: a.tokens.supervisor,
        body: { reason },
      });
      const wire = overrideReasonAccepted(reason);
      const trimmed = reason.trim().length;
      // The authority's own rule, stated independently of the wire module.
      expect(wire, name).toBe(trimmed >= 10 && trimmed <= 2000);
      verdicts.push(`${name}: ${String(res.statusCode)}`);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(wire ? 201 : 400);
      if (!wire) {
        expect(bodyOf(res)['code'], name).toBe('VALIDATION_FAILED');
        // Judged by the authority with the same rule, and the refusal recorded (BLOCKED run).
        const runs = a.runtime.runs.list();
        expect(runs.length, name).toBe(runsBefore + 1);
        expect(runs.at(-1), name).toMatchObject({ kind: 'override', status: 'BLOCKED' });
      }
      if (wire) id = await yellowJob();
    }
    expect(verdicts.filter((v) => v.endsWith('201'))).toHaveLength(5);
  });

  it('I11-3: coolant is an optional boolean: true/false/absent are proposed, null and "yes" refused as the wire schema says', async () => {
    api = await startApi({});
    const a = api;
    const cases: [string, JsonValue | undefined][] = [
      ['true', true],
      ['false', false],
      ['absent', undefined],
      ['null', null],
      ['"yes"', 'yes'],
    ];
    for (const [name, coolant] of cases) {
      const job = rosetteJob(coolant === undefined ? {} : { coolant });
      if (coolant === undefined) delete (job['cutting'] as Record<string, unknown>)['coolant'];
      const res = await call(a.app, 'POST', '/api/rmos/jobs', {
        token: a.tokens.agent,
        body: { job },
      });
      const wire = wireProblem(CNC_JOB_SCHEMA, job);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(wire === undefined ? 201 : 422);
      if (wire !== undefined) {
        expect(wire, name).toBe('/cutting/coolant');
        expect(bodyOf(res)['code'], name).toBe('CNC_JOB_INVALID');
      }
    }
  });
});
