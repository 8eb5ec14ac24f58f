/** feasibilityInputOf: the §3.2 mapping, evaluated by the real rule engine. */
import { describe, expect, it } from 'vitest';
import { evaluateFeasibility } from '../../src/feasibility/engine.js';
import { feasibilityInputOf, normalizeJob, parseJob } from '../../src/job/index.js';
import { dxfText, rosetteJob } from './fixtures.js';

function inputOf(value: unknown) {
  return feasibilityInputOf(normalizeJob(parseJob(value)));
}

function withCutting(patch: Record<string, unknown>): Record<string, unknown> {
  const job = rosetteJob();
  return { ...job, cutting: { ...(job['cutting'] as object), ...patch } };
}

describe('feasibilityInputOf', () => {
  it('maps a rosette slot job field by field and evaluates GREEN', () => {
    const input = inputOf(rosetteJob());
    expect(input).toMatchObject({
      post_id: 'GRBL',
      units: 'mm',
      tool_d: 3,
      stepover: 0.4,
      stepdown: 0.5,
      z_rough: -1.5,
      feed_xy: 800,
      feed_z: 200,
      rapid: 3000,
      safe_z: 5,
      strategy: 'slot',
      layer_name: '0',
      climb: true,
      smoothing: 0,
      margin: 0,
      has_closed_paths: true,
      loop_count_hint: 1,
      entity_count: 1,
      bbox: { x_min: 48.5, y_min: 48.5, x_max: 151.5, y_max: 151.5 },
      smallest_feature_mm: 3,
      material_id: 'maple',
      material_hardness: 'medium',
      material_thickness_mm: 6,
      material_resinous: false,
      geometry_width_mm: 103,
      geometry_length_mm: 103,
      geometry_depth_mm: 1.5,
      wall_thickness_mm: 48.5,
      tool_flute_length_mm: 12,
      tool_stickout_mm: 20,
      coolant_enabled: false,
      floor_thickness_mm: null,
    });
    const result = evaluateFeasibility(input);
    expect(result.risk_level).toBe('GREEN');
    expect(result.rules_triggered).toEqual([]);
  });

  it('is RED with F022 when the final depth exceeds the material thickness', () => {
    const result = evaluateFeasibility(inputOf(withCutting({ final_depth: 8 })));
    expect(result.risk_level).toBe('RED');
    expect(result.rules_triggered).toContain('F022');
    expect(result.constraints).toContain('geometry_depth_mm <= 6.0');
  });

  it('uses pocket for rings wider than the tool and the gap between rings as the wall', () => {
    const job = {
      ...rosetteJob(),
      operations: [
        {
          kind: 'rosette',
          cx: 100,
          cy: 100,
          rings: [
            { inner_radius: 40, outer_radius: 45 },
            { inner_radius: 45.8, outer_radius: 50 },
          ],
        },
      ],
    };
    const input = inputOf(job);
    expect(input.strategy).toBe('pocket');
    expect(input.wall_thickness_mm).toBe(0.8);
    expect(input.smallest_feature_mm).toBe(4.2);
    expect(evaluateFeasibility(input).rules_triggered).toContain('F028');
  });

  it('pads drill holes by the tool radius, and reports no loops for a drill-only job', () => {
    const job = { ...rosetteJob(), operations: [{ kind: 'drill', points: [{ x: 10, y: 20 }] }] };
    const input = inputOf(job);
    expect(input).toMatchObject({ strategy: 'drill', loop_count_hint: null, entity_count: 1 });
    expect(input.bbox).toEqual({ x_min: 8.5, y_min: 18.5, x_max: 11.5, y_max: 21.5 });
    expect(input.smallest_feature_mm).toBeNull();
  });

  it('names the DXF layer, marks mixed jobs, and flags geometry outside the stock', () => {
    const square = dxfText([
      {
        type: 'LWPOLYLINE',
        layer: 'POCKETS',
        closed: true,
        points: [
          [190, 190],
          [210, 190],
          [210, 210],
        ],
      },
    ]);
    const job = {
      ...rosetteJob(),
      operations: [
        { kind: 'dxf', dxf: square, layer: 'POCKETS', as: 'pocket' },
        { kind: 'circular_pocket', cx: 50, cy: 50, radius: 10 },
        {
          kind: 'profile',
          side: 'on',
          contour: [
            { x: 0, y: 0 },
            { x: 5, y: 0 },
            { x: 0, y: 5 },
          ],
        },
      ],
    };
    const input = inputOf(job);
    expect(input).toMatchObject({ layer_name: 'POCKETS', strategy: 'mixed', loop_count_hint: 3 });
    expect(input.wall_thickness_mm).toBe(-10);
    expect(evaluateFeasibility(input).risk_level).toBe('RED');
  });
});
