import type { MoveBuilder } from './builder.js';
import { checkInputs, finite, invalid } from './checks.js';
import type { Cutting, DrillPatternOp, ToolpathTool } from './types.js';

/**
 * Drill pattern: rapid to each point at safe Z, feed down to −final_depth at feed_z, retract.
 * With `peck`, feed `peck` mm at a time and retract to safe Z between pecks to clear chips;
 * the return to the previous depth is fed, never rapid, so no rapid ever moves down into stock.
 */
export function drillPattern(
  b: MoveBuilder,
  op: DrillPatternOp,
  tool: ToolpathTool,
  cutting: Cutting,
): void {
  checkInputs(tool, cutting);
  if (op.points.length === 0) throw invalid('drill pattern without points');
  if (op.points.length > 10_000) throw invalid('more than 10000 drill points');
  const peck = op.peck ?? cutting.final_depth;
  if (!Number.isFinite(peck) || peck <= 0) throw invalid(`peck must be positive: ${peck}`);
  if (cutting.final_depth / peck > 1000) throw invalid('more than 1000 pecks per hole');
  for (const p of op.points) {
    finite('x', p.x);
    finite('y', p.y);
    b.rapidXY(p.x, p.y);
    let depth = 0;
    while (depth < cutting.final_depth - 1e-9) {
      depth = Math.min(cutting.final_depth, depth + peck);
      b.plunge(-depth);
      b.retract();
    }
  }
}
