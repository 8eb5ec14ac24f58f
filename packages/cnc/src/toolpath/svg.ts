import { formatNumber, type MachineProfile, type MotionProgram } from '../gcode/index.js';
import { arcGeometry, isPlunge, segments, type Segment } from './geometry.js';

/** Fixed styles: cuts solid, rapids dashed, plunges as dotted rings at their XY position. */
const STYLE = [
  '.envelope{fill:none;stroke:#888888;stroke-width:1}',
  '.cut{fill:none;stroke:#1f4e99;stroke-width:0.4}',
  '.rapid{fill:none;stroke:#cc3311;stroke-width:0.3;stroke-dasharray:3 2}',
  '.plunge{fill:none;stroke:#228833;stroke-width:0.3;stroke-dasharray:0.5 0.5}',
].join('');

const n = (v: number): string => formatNumber(v, 3);

/** SVG path data of one XY segment (arcs as SVG arcs), or undefined if it has no XY extent. */
function pathData(s: Segment): string | undefined {
  const { from, to } = s;
  if (from.x === undefined || from.y === undefined || to.x === undefined || to.y === undefined) {
    return undefined;
  }
  if (from.x === to.x && from.y === to.y) return undefined;
  const start = `M${n(from.x)} ${n(from.y)}`;
  if (s.move.kind !== 'arc_cw' && s.move.kind !== 'arc_ccw') {
    return `${start} L${n(to.x)} ${n(to.y)}`;
  }
  const { r, sweep } = arcGeometry(s);
  const large = Math.abs(sweep) > Math.PI + 1e-9 ? 1 : 0;
  // Drawn inside a Y-flipped group, so positive (CCW) sweep keeps SVG's sweep flag 1.
  const flag = sweep > 0 ? 1 : 0;
  return `${start} A${n(r)} ${n(r)} 0 ${large} ${flag} ${n(to.x)} ${n(to.y)}`;
}

/**
 * Deterministic SVG preview of `program` on `machine`'s XY envelope (Y up): the envelope
 * rectangle, cutting moves (class `cut`, solid), XY rapids (class `rapid`, dashed) and plunges
 * (class `plunge`, dotted ring). Self-contained: no scripts, links or external references.
 */
export function toolpathSvg(program: MotionProgram, machine: MachineProfile): string {
  const [x0, x1] = machine.envelope.x;
  const [y0, y1] = machine.envelope.y;
  const w = x1 - x0;
  const h = y1 - y0;
  const r = Math.max(0.5, program.tool.diameter / 4);
  const body: string[] = [];
  for (const s of segments(program.moves)) {
    if (isPlunge(s) && s.to.x !== undefined && s.to.y !== undefined) {
      body.push(`<circle class="plunge" cx="${n(s.to.x)}" cy="${n(s.to.y)}" r="${n(r)}"/>`);
      continue;
    }
    const d = pathData(s);
    if (d === undefined) continue;
    body.push(`<path class="${s.move.kind === 'rapid' ? 'rapid' : 'cut'}" d="${d}"/>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(x0)} ${n(-y1)} ${n(w)} ${n(h)}" width="${n(w)}mm" height="${n(h)}mm">`,
    `<style>${STYLE}</style>`,
    '<g transform="scale(1 -1)">',
    `<rect class="envelope" x="${n(x0)}" y="${n(y0)}" width="${n(w)}" height="${n(h)}"/>`,
    ...body,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
