import type { MotionProgram, ProgramHeader } from '../../src/gcode/index.js';
import {
  buildProgram,
  type Cutting,
  type Operation,
  type ToolpathTool,
} from '../../src/toolpath/index.js';

export const TOOL: ToolpathTool = { diameter: 6, type: 'flat' };
export const DRILL: ToolpathTool = { diameter: 3, type: 'drill', number: 2 };

export const CUTTING: Cutting = {
  stepover: 0.4,
  stepdown: 1.4,
  final_depth: 3,
  feed_xy: 1000,
  feed_z: 300,
  rpm: 12000,
  safe_z: 5,
  climb: true,
};

export const HEADER: ProgramHeader = {
  title: 'toolpath test',
  workflow_id: 'wf_0123456789abcdef',
  job_hash: 'b'.repeat(64),
  request_hash: 'c'.repeat(64),
  versions: { toolpath: 'clearance-toolpath@0.1.0' },
};

export const RING = {
  kind: 'ring_channel',
  cx: 150,
  cy: 150,
  inner_radius: 40,
  outer_radius: 50,
} as const;
export const CIRCLE = { kind: 'circular_pocket', cx: 150, cy: 150, radius: 20 } as const;
export const RECT = { kind: 'rect_pocket', x: 120, y: 130, width: 60, length: 40 } as const;
export const L_SHAPE = [
  { x: 100, y: 100 },
  { x: 200, y: 100 },
  { x: 200, y: 150 },
  { x: 150, y: 150 },
  { x: 150, y: 200 },
  { x: 100, y: 200 },
];
export const DRILLS = {
  kind: 'drill_pattern',
  points: [
    { x: 120, y: 120 },
    { x: 180, y: 120 },
    { x: 150, y: 180 },
  ],
  peck: 1,
} as const;

/** One named case per operation, with the tool it needs. */
export const CASES: readonly { name: string; op: Operation; tool: ToolpathTool }[] = [
  { name: 'ring channel', op: RING, tool: TOOL },
  { name: 'circular pocket', op: CIRCLE, tool: TOOL },
  { name: 'rect pocket', op: RECT, tool: TOOL },
  { name: 'profile inside', op: { kind: 'profile', contour: L_SHAPE, side: 'inside' }, tool: TOOL },
  {
    name: 'profile outside',
    op: { kind: 'profile', contour: L_SHAPE, side: 'outside' },
    tool: TOOL,
  },
  { name: 'profile on', op: { kind: 'profile', contour: L_SHAPE, side: 'on' }, tool: TOOL },
  { name: 'drill pattern', op: DRILLS, tool: DRILL },
];

export function program(
  op: Operation,
  tool: ToolpathTool = TOOL,
  cutting = CUTTING,
): MotionProgram {
  return buildProgram([op], tool, cutting, HEADER);
}

/** A point the tool centre reaches while cutting below the stock top (arc ends included). */
export interface CutPoint {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** End points of every feed move below Z 0, plus the arc midpoints (centre + radius). */
export function cutPoints(p: MotionProgram): CutPoint[] {
  const out: CutPoint[] = [];
  let pos = { x: NaN, y: NaN, z: NaN };
  for (const m of p.moves) {
    const next = { x: m.x ?? pos.x, y: m.y ?? pos.y, z: m.z ?? pos.z };
    if (m.kind !== 'rapid' && next.z < 0) {
      out.push(next);
      if (m.kind !== 'linear') {
        const cx = pos.x + (m.i ?? 0);
        const cy = pos.y + (m.j ?? 0);
        const r = Math.hypot(pos.x - cx, pos.y - cy);
        const a =
          Math.atan2(pos.y - cy, pos.x - cx) + (m.kind === 'arc_ccw' ? 0.5 : -0.5) * Math.PI;
        out.push({ x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), z: next.z });
      }
    }
    pos = next;
  }
  return out;
}
