/**
 * The feasibility decision table (DESIGN "unifying idea", spec/rmos.md §3.7, §6.10): RED and
 * UNKNOWN/ERROR deny, YELLOW denies without an override, GREEN always requires approval, an
 * override only ever unlocks its own risk and never skips the approval.
 */
import { describe, expect, it } from 'vitest';
import type { FeasibilityOutcome } from '@clearance/cnc';
import { feasibilityVerdict } from '../../src/cnc/feasibility-source.js';
import type { OverrideRecord, OverrideScope } from '../../src/cnc/overrides.js';

function outcome(risk: FeasibilityOutcome['risk_level']): FeasibilityOutcome {
  if (risk === 'UNKNOWN' || risk === 'ERROR') {
    return {
      risk_level: risk,
      blocking: true,
      rules_triggered: [],
      blocking_reasons: ['feasibility could not be evaluated: x'],
      warnings: [],
      constraints: [],
      engine_version: 'feasibility_engine_v1',
      details: null,
      error: { code: 'VALIDATION_FAILED', message: 'x', pointer: null },
    };
  }
  return {
    risk_level: risk,
    blocking: risk === 'RED',
    rules_triggered: risk === 'GREEN' ? [] : risk === 'RED' ? ['F001'] : ['F030'],
    blocking_reasons: [],
    warnings: [],
    constraints: [],
    engine_version: 'feasibility_engine_v1',
    details: {},
  } as unknown as FeasibilityOutcome;
}

function override(scope: OverrideScope, ack = false): OverrideRecord {
  return {
    run_id: 'run_x',
    workflow_id: 'wf-1',
    job_hash: 'a'.repeat(64),
    feasibility_hash: 'b'.repeat(64),
    scope,
    original_risk: scope,
    reason: 'checked the fixture by hand',
    acknowledged_risk: ack,
    supervisor: 'sam',
    created_at: '2026-11-23T00:00:00.000Z',
  };
}

const off = { allowRedOverride: false };
const on = { allowRedOverride: true };

describe('feasibilityVerdict', () => {
  it('GREEN requires approval, with or without anything else', () => {
    expect(feasibilityVerdict(outcome('GREEN'), undefined, off).decision).toBe('require_approval');
  });

  it('YELLOW denies unless a YELLOW override exists; the override still needs approval', () => {
    expect(feasibilityVerdict(outcome('YELLOW'), undefined, off)).toMatchObject({
      rule: 'yellow',
      decision: 'deny',
    });
    expect(feasibilityVerdict(outcome('YELLOW'), override('YELLOW'), off)).toMatchObject({
      rule: 'yellow-override',
      decision: 'require_approval',
    });
    expect(feasibilityVerdict(outcome('YELLOW'), override('RED', true), on).decision).toBe('deny');
  });

  it('RED denies unless RED overrides are enabled AND the override acknowledged the risk', () => {
    expect(feasibilityVerdict(outcome('RED'), undefined, on).decision).toBe('deny');
    expect(feasibilityVerdict(outcome('RED'), override('YELLOW'), on).decision).toBe('deny');
    expect(feasibilityVerdict(outcome('RED'), override('RED', true), off).decision).toBe('deny');
    expect(feasibilityVerdict(outcome('RED'), override('RED', false), on).decision).toBe('deny');
    expect(feasibilityVerdict(outcome('RED'), override('RED', true), on)).toMatchObject({
      rule: 'red-override',
      decision: 'require_approval',
    });
  });

  it('UNKNOWN and ERROR always deny, whatever override exists', () => {
    for (const risk of ['UNKNOWN', 'ERROR'] as const) {
      for (const o of [undefined, override('YELLOW'), override('RED', true)]) {
        expect(feasibilityVerdict(outcome(risk), o, on).decision).toBe('deny');
      }
    }
  });
});
