/** Strict input parsing: unknown keys, types, enums, defaults; client result fields refused. */
import { ClearanceError } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { safeEvaluate } from '../src/feasibility/engine.js';
import { FEASIBILITY_INPUT_KEYS, parseFeasibilityInput } from '../src/feasibility/parse.js';
import { BASE } from './fixtures.js';

/** Runs `fn`, expecting a VALIDATION_FAILED error; returns its pointer. */
function refusal(value: unknown): unknown {
  try {
    parseFeasibilityInput(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ClearanceError);
    if (!(err instanceof ClearanceError)) return undefined;
    expect(err.code).toBe('VALIDATION_FAILED');
    return err.detail?.['pointer'];
  }
  throw new Error('expected the input to be refused');
}

describe('parseFeasibilityInput', () => {
  it('fills the identity defaults and nulls every absent optional field', () => {
    const input = parseFeasibilityInput(BASE);
    expect(input).toMatchObject({
      pipeline_id: 'mvp_dxf_to_grbl_v1',
      post_id: 'GRBL',
      units: 'mm',
    });
    expect(Object.keys(input).sort()).toEqual([...FEASIBILITY_INPUT_KEYS].sort());
    expect(input.material_hardness).toBeNull();
    expect(input.bbox).toBeNull();
  });

  it('keeps given identity fields and treats null optionals as absent', () => {
    const input = parseFeasibilityInput({ ...BASE, post_id: 'Mach3', wall_thickness_mm: null });
    expect(input.post_id).toBe('Mach3');
    expect(input.wall_thickness_mm).toBeNull();
  });

  it.each([
    ['risk_level', 'GREEN'],
    ['feasibility', { risk_level: 'GREEN' }],
    ['safety', { risk_level: 'GREEN' }],
    ['decision', 'ALLOW'],
    ['score', 100],
    ['rules_triggered', []],
    ['source', 'server_recompute'],
    ['tool_diameter_mm', 6],
    ['__proto__', {}],
  ])('refuses the unknown key %s with a JSON pointer', (key, value) => {
    const job: Record<string, unknown> = { ...BASE };
    Object.defineProperty(job, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    expect(refusal(job)).toBe(`/${key}`);
  });

  it('refuses RED parameters dressed up with risk_level GREEN (never evaluated as GREEN)', () => {
    const job = { ...BASE, tool_d: 0, safe_z: -1, risk_level: 'GREEN' };
    expect(refusal(job)).toBe('/risk_level');
    const outcome = safeEvaluate(job);
    expect(outcome).toMatchObject({ risk_level: 'UNKNOWN', blocking: true });
    expect(outcome.risk_level).not.toBe('GREEN');
  });

  it('refuses unknown bbox keys and escapes pointers (RFC 6901)', () => {
    const bbox = { x_min: 0, y_min: 0, x_max: 1, y_max: 1, 'a/b~': 2 };
    expect(refusal({ ...BASE, bbox })).toBe('/bbox/a~1b~0');
    expect(refusal({ ...BASE, bbox: { x_min: 0, y_min: 0, x_max: 1 } })).toBe('/bbox/y_max');
  });

  it.each([
    ['tool_d', '6'],
    ['tool_d', Number.NaN],
    ['stepover', Number.POSITIVE_INFINITY],
    ['strategy', 1],
    ['climb', 'true'],
    ['margin', null],
  ])('refuses required field %s = %s', (key, value) => {
    expect(refusal({ ...BASE, [key]: value })).toBe(`/${key}`);
  });

  it.each(Object.keys(BASE))('requires %s', (key) => {
    const job: Record<string, unknown> = { ...BASE };
    delete job[key];
    expect(refusal(job)).toBe(`/${key}`);
  });

  it.each([
    ['material_hardness', 'Hard'],
    ['material_hardness', 'granite'],
    ['loop_count_hint', 1.5],
    ['entity_count', '3'],
    ['has_closed_paths', 0],
    ['material_id', 7],
    ['geometry_depth_mm', '5'],
    ['pipeline_id', null],
    ['bbox', [0, 0, 1, 1]],
  ])('refuses optional field %s = %j', (key, value) => {
    expect(refusal({ ...BASE, [key]: value })).toBe(`/${key}`);
  });

  it('accepts every hardness class', () => {
    for (const h of ['soft', 'medium', 'hard', 'very-hard', 'extreme', 'unknown']) {
      expect(parseFeasibilityInput({ ...BASE, material_hardness: h }).material_hardness).toBe(h);
    }
  });

  it.each([null, [], 'job', 42])('refuses a non-object job %j at the root', (value) => {
    expect(refusal(value)).toBe('');
  });
});
