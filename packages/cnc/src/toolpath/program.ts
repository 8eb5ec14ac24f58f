import type { MotionProgram, ProgramHeader } from '../gcode/index.js';
import { MoveBuilder } from './builder.js';
import { checkInputs, invalid } from './checks.js';
import { circularPocket, ringChannel } from './circles.js';
import { contourPocket } from './contour.js';
import { drillPattern } from './drill.js';
import { profile } from './profile.js';
import { rectPocket } from './rect.js';
import type { Cutting, Operation, ToolpathTool } from './types.js';

function emit(b: MoveBuilder, op: Operation, tool: ToolpathTool, cutting: Cutting): void {
  switch (op.kind) {
    case 'ring_channel':
      return ringChannel(b, op, tool, cutting);
    case 'circular_pocket':
      return circularPocket(b, op, tool, cutting);
    case 'rect_pocket':
      return rectPocket(b, op, tool, cutting);
    case 'profile':
      return profile(b, op, tool, cutting);
    case 'contour_pocket':
      return contourPocket(b, op, tool, cutting);
    case 'drill_pattern':
      return drillPattern(b, op, tool, cutting);
  }
}

/**
 * One single-tool motion program running `ops` in order. The first move is a rapid to safe Z,
 * every XY rapid happens at safe Z, and each operation ends retracted. Deterministic: the same
 * inputs give the same moves (coordinates rounded to 1e-4 mm, never −0). Throws
 * VALIDATION_FAILED for invalid parameters or geometry the tool cannot cut inside.
 */
export function buildProgram(
  ops: readonly Operation[],
  tool: ToolpathTool,
  cutting: Cutting,
  header: ProgramHeader,
): MotionProgram {
  checkInputs(tool, cutting);
  if (ops.length === 0) throw invalid('program without operations');
  const b = new MoveBuilder(cutting);
  b.retract();
  for (const op of ops) emit(b, op, tool, cutting);
  b.retract();
  return {
    header,
    units: 'mm',
    tool: { number: tool.number ?? 1, diameter: tool.diameter },
    spindle_rpm: cutting.rpm,
    safe_z: cutting.safe_z,
    moves: b.moves,
  };
}
