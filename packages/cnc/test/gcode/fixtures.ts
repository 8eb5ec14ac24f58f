import { circleMoves } from '../../src/gcode/circle.js';
import type { MotionProgram, Move } from '../../src/gcode/types.js';

/** Square corner, side, circle centre and radius of the sample program (mm). */
export const SQUARE = { x: 10, y: 10, side: 50 };
export const CIRCLE = { cx: 120, cy: 60, r: 20 };
export const DEPTHS = [-1, -2] as const;
export const SAFE_Z = 5;

function square(z: number): Move[] {
  const { x, y, side } = SQUARE;
  return [
    { kind: 'rapid', x, y },
    { kind: 'rapid', z: 1 },
    { kind: 'linear', z, f: 300 },
    { kind: 'linear', x: x + side, f: 1200 },
    { kind: 'linear', y: y + side },
    { kind: 'linear', x },
    { kind: 'linear', y },
    { kind: 'rapid', z: SAFE_Z },
  ];
}

function circle(z: number): Move[] {
  const { cx, cy, r } = CIRCLE;
  return [
    { kind: 'rapid', x: cx + r, y: cy },
    { kind: 'rapid', z: 1 },
    { kind: 'linear', z, f: 300 },
    ...circleMoves(cx, cy, r, z, 900, 'ccw'),
    { kind: 'rapid', z: SAFE_Z },
  ];
}

/** A square and a full circle, each cut at two depths. */
export function sampleProgram(): MotionProgram {
  return {
    header: {
      title: 'Sample square + circle',
      workflow_id: 'wf_0123456789abcdef',
      job_hash: 'a'.repeat(64),
      request_hash: '0123456789abcdef'.repeat(4),
      versions: {
        post: 'gcode-post@1.0.0',
        engine: 'feas_v1@1.0.0',
        toolchain: 'clearance-cnc@0.1.0',
      },
    },
    units: 'mm',
    tool: { number: 1, diameter: 6 },
    spindle_rpm: 12000,
    safe_z: SAFE_Z,
    moves: DEPTHS.flatMap((z) => [...square(z), ...circle(z)]),
  };
}
