import { describe, expect, it } from 'vitest';

import { machineProfile } from '../../src/gcode/index.js';
import { toolpathSummary, toolpathSvg } from '../../src/toolpath/index.js';
import { CASES, DRILLS, DRILL, RECT, RING, program } from './fixtures.js';

const MACHINE = machineProfile('grbl-desktop');

describe('toolpathSvg', () => {
  it('is stable, self-contained and draws the envelope', () => {
    const svg = toolpathSvg(program(RING), MACHINE);
    expect(toolpathSvg(program(RING), MACHINE)).toBe(svg);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/href|url\(|<image|<foreignObject|\son[a-z]+=/i);
    expect(svg).toContain('<rect class="envelope" x="0.000" y="0.000" width="400.000"');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('distinguishes cuts, rapids and plunges by class and stroke style', () => {
    const svg = toolpathSvg(program(RECT), MACHINE);
    expect(svg).toMatch(/<path class="cut" d="M/);
    expect(svg).toMatch(/<circle class="plunge"/);
    // The first rapid starts from an unknown position; the drill pattern has rapids between holes.
    expect(toolpathSvg(program(DRILLS, DRILL), MACHINE)).toMatch(
      /<path class="rapid" d="M120\.000 120\.000 L180\.000 120\.000"/,
    );
    expect(svg).toMatch(/\.rapid\{[^}]*stroke-dasharray/);
    expect(svg).not.toMatch(/\.cut\{[^}]*stroke-dasharray/);
  });

  it('draws arcs as SVG arcs', () => {
    expect(toolpathSvg(program(RING), MACHINE)).toMatch(/ A43\.000 43\.000 0 [01] 1 107\.000/);
  });

  it('one plunge ring per peck of the drill pattern', () => {
    const svg = toolpathSvg(program(DRILLS, DRILL), MACHINE);
    expect(svg.match(/class="plunge"/g)?.length).toBe(3 * 3);
  });
});

describe('toolpathSummary', () => {
  it('counts moves and bounds every program', () => {
    for (const { op, tool } of CASES) {
      const s = toolpathSummary(program(op, tool));
      const { counts } = s;
      expect(counts.rapid + counts.linear + counts.arc).toBe(counts.total);
      expect(s.bounds.z).toEqual([-3, 5]);
      expect(s.cut_length).toBeGreaterThan(0);
    }
  });

  it('ring channel: bounds include the arc extremes', () => {
    const s = toolpathSummary(program(RING));
    expect(s.cut_bounds.x).toEqual([150 - 47, 150 + 47]);
    expect(s.cut_bounds.y?.[0]).toBeCloseTo(150 - 47, 9);
    expect(s.cut_bounds.y?.[1]).toBeCloseTo(150 + 47, 9);
  });

  it('cut length of a tool-sized pocket is its plunges', () => {
    const s = toolpathSummary(program({ ...RECT, width: 6, length: 6 }));
    // The inset is a point: feed from safe Z 5 to the stock top, then 1.4 + 1.4 + 0.2.
    expect(s.cut_length).toBe(8);
    expect(s.counts.plunge).toBe(4);
  });
});
