/**
 * The contour pocket generator and the rounded-rectangle mapping: no gouge (every cutting
 * position keeps the tool radius from every wall), walls reached, refusals for contours the tool
 * cannot enter or whose offsets split.
 */
import { hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { normalizeJob, parseJob } from '../../src/job/index.js';
import { jobOperations, roundedRectContour } from '../../src/manufacture/index.js';
import { buildProgram, type Point } from '../../src/toolpath/index.js';
import { CUTTING, HEADER, TOOL, cutPoints } from '../toolpath/fixtures.js';
import { CASES, clientJob, L_SHAPE } from './fixtures.js';

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b.x - a.x, b.y - a.y];
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function wallDistance(p: Point, wall: readonly Point[]): number {
  return Math.min(...wall.map((a, k) => distanceToSegment(p, a, wall[(k + 1) % wall.length] ?? a)));
}

function pocket(contour: readonly Point[]): ReturnType<typeof buildProgram> {
  return buildProgram([{ kind: 'contour_pocket', contour }], TOOL, CUTTING, HEADER);
}

function refused(fn: () => unknown): boolean {
  try {
    fn();
  } catch (err) {
    return hasCode(err, 'VALIDATION_FAILED');
  }
  return false;
}

const CIRCLE_64 = Array.from({ length: 64 }, (_, k) => ({
  x: 150 + 25 * Math.cos((2 * Math.PI * k) / 64),
  y: 100 + 25 * Math.sin((2 * Math.PI * k) / 64),
}));

describe('contour pocket', () => {
  for (const [name, wall] of [
    ['L shape', L_SHAPE],
    ['64-gon', CIRCLE_64],
    [
      'rounded rectangle',
      roundedRectContour({
        kind: 'rect_pocket',
        x: 100,
        y: 70,
        width: 60,
        length: 40,
        corner_radius: 8,
      }),
    ],
  ] as const) {
    it(`${name}: never closer to a wall than the tool radius, and reaches within 1e-3 of it`, () => {
      const pts = cutPoints(pocket(wall));
      expect(pts.length).toBeGreaterThan(10);
      const distances = pts.map((p) => wallDistance(p, wall));
      expect(Math.min(...distances)).toBeGreaterThanOrEqual(TOOL.diameter / 2 - 1e-4);
      expect(Math.min(...distances)).toBeLessThanOrEqual(TOOL.diameter / 2 + 1e-3);
      expect(Math.min(...pts.map((p) => p.z))).toBe(-CUTTING.final_depth);
    });
  }

  it('clears the middle: consecutive rings are at most one stepover apart (64-gon)', () => {
    const pts = cutPoints(pocket(CIRCLE_64)).filter((p) => p.z === -CUTTING.final_depth);
    const radii = [...new Set(pts.map((p) => Math.round(Math.hypot(p.x - 150, p.y - 100) * 10)))]
      .map((r) => r / 10)
      .sort((a, b) => a - b);
    expect(radii[0]).toBeLessThanOrEqual(CUTTING.stepover * TOOL.diameter);
  });

  it('refuses a contour the tool cannot enter', () => {
    const slot = [
      { x: 100, y: 100 },
      { x: 160, y: 100 },
      { x: 160, y: 105 },
      { x: 100, y: 105 },
    ];
    expect(refused(() => pocket(slot))).toBe(true);
    // Just wide enough (6 mm for a 6 mm tool) is cut.
    expect(
      refused(() => pocket(slot.map((p) => ({ x: p.x, y: p.y === 105 ? 106.01 : p.y })))),
    ).toBe(false);
  });

  it('refuses a contour whose offsets split into separate regions (dumbbell)', () => {
    const dumbbell = [
      { x: 100, y: 100 },
      { x: 140, y: 100 },
      { x: 140, y: 116 },
      { x: 160, y: 116 },
      { x: 160, y: 100 },
      { x: 200, y: 100 },
      { x: 200, y: 140 },
      { x: 160, y: 140 },
      { x: 160, y: 124 },
      { x: 140, y: 124 },
      { x: 140, y: 140 },
      { x: 100, y: 140 },
    ];
    expect(refused(() => pocket(dumbbell))).toBe(true);
  });

  it('a drill cannot cut a contour pocket', () => {
    expect(
      refused(() =>
        buildProgram(
          [{ kind: 'contour_pocket', contour: L_SHAPE }],
          { diameter: 3, type: 'drill' },
          CUTTING,
          HEADER,
        ),
      ),
    ).toBe(true);
  });
});

describe('rect_pocket corner_radius mapping', () => {
  const rect = CASES.find((c) => c.name === 'rect-pocket');
  if (rect === undefined) throw new Error('fixtures');
  const opsFor = (corner: number): string[] =>
    jobOperations(
      normalizeJob(
        parseJob({
          ...clientJob(rect, 'grbl-desktop'),
          operations: [{ ...rect.operation, corner_radius: corner }],
        }),
      ),
    ).map((op) => op.kind);

  it('corner radius up to the tool radius is an ordinary rectangular pocket', () => {
    expect(opsFor(0)).toEqual(['rect_pocket']);
    expect(opsFor(3)).toEqual(['rect_pocket']);
  });

  it('a larger corner radius becomes a contour pocket honouring it', () => {
    expect(opsFor(3.5)).toEqual(['contour_pocket']);
    // Full-width corners (a stadium) stay a valid, simple outline.
    expect(opsFor(20)).toEqual(['contour_pocket']);
  });

  it('the rounded outline stays within the chord tolerance of the true corner arcs', () => {
    const op = {
      kind: 'rect_pocket',
      x: 0,
      y: 0,
      width: 60,
      length: 40,
      corner_radius: 8,
    } as const;
    const outline = roundedRectContour(op);
    // Every vertex on an arc lies on the arc (up to the 1e-4 grid); chord midpoints within 0.01.
    outline.forEach((p, k) => {
      const q = outline[(k + 1) % outline.length] ?? p;
      const mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
      const cx = Math.min(Math.max(mid.x, 8), 52);
      const cy = Math.min(Math.max(mid.y, 8), 32);
      const inCorner = cx !== mid.x && cy !== mid.y;
      if (inCorner) expect(8 - Math.hypot(mid.x - cx, mid.y - cy)).toBeLessThanOrEqual(0.01 + 1e-4);
    });
  });
});
