/**
 * Motion bounds of a G-code text as read by `gcode-parser` (cncjs), an independent, maintained
 * parser: its words are interpreted here with only modal G0–G3 and absolute X/Y/Z/I/J, and arc
 * extremes are included, so the bounds do not depend on our own interpreter.
 */
import { createRequire } from 'node:module';

interface ParsedLine {
  readonly words: readonly (readonly [string, number])[];
}

// gcode-parser is CommonJS without types.
const gcodeParser = createRequire(import.meta.url)('gcode-parser') as {
  parseStringSync(text: string): ParsedLine[];
};

export type Range = [number, number];

export interface Motion {
  readonly x: Range;
  readonly y: Range;
  readonly z: Range;
  /** Number of feed moves that only go down in Z (plunges and pecks). */
  readonly plunges: number;
  readonly arcs: number;
  readonly blocks: number;
}

function grow(r: Range | undefined, v: number): Range {
  return r === undefined ? [v, v] : [Math.min(r[0], v), Math.max(r[1], v)];
}

/** Quadrant points crossed by the arc from `a0` sweeping `sweep` radians. */
function arcExtremes(cx: number, cy: number, r: number, a0: number, sweep: number): number[][] {
  const out: number[][] = [];
  for (let q = -8; q <= 8; q += 1) {
    const a = (q * Math.PI) / 2;
    const t = (a - a0) / sweep;
    if (t > 0 && t < 1) out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return out;
}

/** Bounds of every position the program commands (after the first XY/Z word), arcs included. */
export function motionOf(text: string): Motion {
  const lines = gcodeParser.parseStringSync(text);
  let mode = -1;
  const pos: { x: number | undefined; y: number | undefined; z: number | undefined } = {
    x: undefined,
    y: undefined,
    z: undefined,
  };
  let [x, y, z]: (Range | undefined)[] = [undefined, undefined, undefined];
  let plunges = 0;
  let arcs = 0;
  for (const { words } of lines) {
    const w = new Map<string, number>();
    for (const [letter, value] of words) {
      if (letter === 'G' && value <= 3) mode = value;
      w.set(letter, value);
    }
    const nx = w.get('X') ?? pos.x;
    const ny = w.get('Y') ?? pos.y;
    const nz = w.get('Z') ?? pos.z;
    if (!w.has('X') && !w.has('Y') && !w.has('Z')) continue;
    if ((mode === 2 || mode === 3) && pos.x !== undefined && pos.y !== undefined) {
      arcs += 1;
      const cx = pos.x + (w.get('I') ?? 0);
      const cy = pos.y + (w.get('J') ?? 0);
      const r = Math.hypot(pos.x - cx, pos.y - cy);
      const a0 = Math.atan2(pos.y - cy, pos.x - cx);
      let sweep = Math.atan2((ny ?? 0) - cy, (nx ?? 0) - cx) - a0;
      if (mode === 3 && sweep <= 1e-12) sweep += 2 * Math.PI;
      if (mode === 2 && sweep >= -1e-12) sweep -= 2 * Math.PI;
      for (const [ex, ey] of arcExtremes(cx, cy, r, a0, sweep)) {
        x = grow(x, ex ?? 0);
        y = grow(y, ey ?? 0);
      }
    }
    if (mode === 1 && nx === pos.x && ny === pos.y && nz !== undefined && pos.z !== undefined) {
      if (nz < pos.z) plunges += 1;
    }
    if (nx !== undefined) x = grow(x, nx);
    if (ny !== undefined) y = grow(y, ny);
    if (nz !== undefined) z = grow(z, nz);
    [pos.x, pos.y, pos.z] = [nx, ny, nz];
  }
  if (x === undefined || y === undefined || z === undefined) throw new Error('no motion');
  return { x, y, z, plunges, arcs, blocks: lines.length };
}
