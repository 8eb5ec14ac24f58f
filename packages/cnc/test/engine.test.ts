/** Rule order, duplicates, bucket logic, details, determinism and explainability. */
import { describe, expect, it } from 'vitest';
import { evaluateFeasibility, evaluateRules } from '../src/feasibility/engine.js';
import { explainFeasibility, feasibilitySummary } from '../src/feasibility/explain.js';
import { parseFeasibilityInput } from '../src/feasibility/parse.js';
import { FEASIBILITY_RULES } from '../src/feasibility/registry.js';
import { BASE, MANY, run } from './fixtures.js';

describe('rule order and duplicates', () => {
  it('lists every hit in evaluation order, RED rules first, duplicates kept', () => {
    const result = run(MANY);
    expect(result.rules_triggered).toEqual([
      'F020',
      'F023',
      'F023',
      'F023',
      'F025',
      'F027',
      'F027',
      'F028',
      'F029',
      'F041',
      'F011',
      'F012',
      'F013',
      'F035',
      'F037',
      'F038',
      'F039',
      'F040',
    ]);
    expect(result.constraints).toEqual([
      'stepdown <= 3.8',
      'tool_d <= 0.0',
      'coolant_enabled = true OR tool_d >= 3.0',
      'wall_thickness_mm >= 1.0',
      'stepdown <= 3.0',
      'loop_count <= 1000',
      'stepover <= 0.7',
      'floor_thickness_mm >= 2.0',
      'feed_override_percent <= 120',
    ]);
    expect(result.blocking_reasons).toHaveLength(10);
    expect(result.warnings).toHaveLength(8);
    expect(result.risk_level).toBe('RED');
  });

  it('F023 fires once per bad dimension, in width, length, depth order', () => {
    const result = run({ geometry_width_mm: 0, geometry_length_mm: -1, geometry_depth_mm: 0 });
    expect(result.rules_triggered.filter((id) => id === 'F023')).toHaveLength(3);
    expect(result.blocking_reasons.slice(0, 3)).toEqual([
      'Invalid geometry: width must be > 0 (got 0.0)',
      'Invalid geometry: length must be > 0 (got -1.0)',
      'Invalid geometry: depth must be > 0 (got 0.0)',
    ]);
  });

  it('F027 (a) and (b) are separate hits, (a) with its constraint, (b) without', () => {
    const result = run({
      tool_d: 2,
      material_resinous: true,
      coolant_enabled: false,
      material_hardness: 'very-hard',
    });
    const hits = evaluateRules(
      parseFeasibilityInput({
        ...BASE,
        tool_d: 2,
        material_resinous: true,
        coolant_enabled: false,
        material_hardness: 'very-hard',
      }),
    ).filter((h) => h.rule_id === 'F027');
    expect(hits.map((h) => h.constraint)).toEqual([
      'coolant_enabled = true OR tool_d >= 3.0',
      null,
    ]);
    expect(result.rules_triggered.filter((id) => id === 'F027')).toHaveLength(2);
  });

  it('the registry lists the evaluated rules in evaluation order', () => {
    const ids = FEASIBILITY_RULES.map((r) => r.id);
    expect(ids).toHaveLength(33);
    expect(new Set(ids).size).toBe(33);
    const red = ids.filter((_, i) => FEASIBILITY_RULES[i]?.level === 'RED');
    // Every RED id precedes every YELLOW id, as in the engine.
    expect(ids.slice(0, red.length)).toEqual(red);
    // Ids that fire in MANY appear in the same relative order in the registry.
    const order = run(MANY).rules_triggered.filter((id, i, all) => all.indexOf(id) === i);
    expect(order).toEqual(ids.filter((id) => order.includes(id)));
  });

  it('every rule is explained with non-empty texts and the right level', () => {
    for (const rule of FEASIBILITY_RULES) {
      expect(rule.summary.length, rule.id).toBeGreaterThan(5);
      expect(rule.explanation.length, rule.id).toBeGreaterThan(40);
      expect(rule.fix_hint.length, rule.id).toBeGreaterThan(20);
    }
    const hits = evaluateRules(parseFeasibilityInput(MANY));
    for (const hit of hits) {
      expect(FEASIBILITY_RULES.find((r) => r.id === hit.rule_id)?.level).toBe(hit.level);
    }
  });
});

describe('bucket logic', () => {
  it('GREEN when nothing fires', () => {
    expect(run()).toMatchObject({ risk_level: 'GREEN', blocking: false, warnings: [] });
  });

  it('YELLOW when only YELLOW rules fire', () => {
    const result = run({ stepdown: 3.5 });
    expect(result).toMatchObject({ risk_level: 'YELLOW', blocking: false, blocking_reasons: [] });
    expect(result.warnings).toEqual(['stepdown is high (> 3.0mm); consider smaller passes']);
  });

  it('RED when any RED rule fires, even alongside YELLOW ones', () => {
    const result = run({ stepdown: 3.5, safe_z: 0 });
    expect(result).toMatchObject({ risk_level: 'RED', blocking: true });
    expect(result.blocking_reasons).toEqual(['safe_z must be > 0']);
    expect(result.warnings).toHaveLength(1);
  });
});

describe('details and determinism', () => {
  it('copies identity and pre-CAM facts with §3.2 defaults', () => {
    const bbox = { x_min: 0, y_min: 0, x_max: 100, y_max: 50 };
    expect(run({ bbox, entity_count: 12, loop_count_hint: 3 }).details).toEqual({
      pipeline_id: 'mvp_dxf_to_grbl_v1',
      post_id: 'GRBL',
      units: 'mm',
      layer_name: 'GEOMETRY',
      bbox,
      entity_count: 12,
      loop_count_hint: 3,
      has_closed_paths: null,
    });
  });

  it('returns equal results for equal jobs regardless of key order', () => {
    const reversed = Object.fromEntries(Object.entries(MANY).reverse());
    const a = evaluateFeasibility(parseFeasibilityInput(MANY));
    const b = evaluateFeasibility(parseFeasibilityInput(reversed));
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('carries no timestamp', () => {
    expect(Object.keys(run())).not.toContain('computed_at_utc');
    expect(Object.keys(run())).not.toContain('computed_at');
  });
});

describe('explainability', () => {
  it('summarises by bucket with N = len(rules_triggered) and singular/plural', () => {
    expect(feasibilitySummary(run())).toBe('All checks passed');
    expect(feasibilitySummary(run({ stepdown: 3.5 }))).toBe('Manual review required (1 warning)');
    expect(feasibilitySummary(run({ feed_z: 2000, stepdown: 3.5 }))).toBe(
      'Manual review required (2 warnings)',
    );
    expect(feasibilitySummary(run({ safe_z: 0 }))).toBe('Blocked (1 critical issue)');
    expect(feasibilitySummary(run(MANY))).toBe('Blocked (18 critical issues)');
  });

  it('lists the registry entry of each distinct fired rule in order', () => {
    const explanation = explainFeasibility(run({ geometry_width_mm: 0, feed_z: 2000 }));
    expect(explanation.rules.map((r) => r.id)).toEqual(['F023', 'F025', 'F011']);
    expect(explanation.rules[0]).toMatchObject({ level: 'RED', summary: expect.any(String) });
    expect(explanation.risk_level).toBe('RED');
  });
});
