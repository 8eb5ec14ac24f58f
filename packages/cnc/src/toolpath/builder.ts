import type { Move } from '../gcode/index.js';
import { invalid } from './checks.js';
import { r4 } from './round.js';
import type { Cutting } from './types.js';

/** Most moves one program may hold: far below the validator's line cap, bounds memory. */
export const MAX_MOVES = 1_000_000;

/**
 * Accumulates moves while tracking the tool position, and enforces the safety rules in one
 * place: an XY rapid always retracts to safe Z first, and every coordinate is rounded.
 */
export class MoveBuilder {
  private readonly list: Move[] = [];
  private x: number | undefined;
  private y: number | undefined;
  private z: number | undefined;

  constructor(private readonly cutting: Cutting) {}

  /** The moves so far. */
  get moves(): readonly Move[] {
    return this.list;
  }

  private push(move: Move): void {
    if (this.list.length >= MAX_MOVES) throw invalid(`program over ${MAX_MOVES} moves`);
    this.list.push(move);
  }

  /** Rapid straight up to safe Z unless already there (the first move of every program). */
  retract(): void {
    const safe = r4(this.cutting.safe_z);
    if (this.z === safe) return;
    this.push({ kind: 'rapid', z: safe });
    this.z = safe;
  }

  /** Rapid to (x, y) at safe Z, retracting first. */
  rapidXY(x: number, y: number): void {
    this.retract();
    const [rx, ry] = [r4(x), r4(y)];
    if (rx === this.x && ry === this.y) return;
    this.push({ kind: 'rapid', x: rx, y: ry });
    [this.x, this.y] = [rx, ry];
  }

  /** Straight vertical feed to `z` at the plunge feed. */
  plunge(z: number): void {
    const rz = r4(z);
    if (rz === this.z) return;
    this.push({ kind: 'linear', z: rz, f: this.cutting.feed_z });
    this.z = rz;
  }

  /** Linear cut to (x, y, z); zero-length moves are dropped. */
  line(x: number, y: number, z: number = this.z ?? 0, f: number = this.cutting.feed_xy): void {
    const [rx, ry, rz] = [r4(x), r4(y), r4(z)];
    if (rx === this.x && ry === this.y && rz === this.z) return;
    const move: Move = { kind: 'linear', x: rx, y: ry, z: rz, f };
    this.push(move);
    [this.x, this.y, this.z] = [rx, ry, rz];
  }

  /** Arc to (x, y, z) about (cx, cy); a Z change makes it a helix. */
  arc(ccw: boolean, x: number, y: number, z: number, cx: number, cy: number): void {
    const [rx, ry, rz] = [r4(x), r4(y), r4(z)];
    const i = r4(cx - (this.x ?? 0));
    const j = r4(cy - (this.y ?? 0));
    const kind = ccw ? 'arc_ccw' : 'arc_cw';
    this.push({ kind, x: rx, y: ry, z: rz, i, j, f: this.cutting.feed_xy });
    [this.x, this.y, this.z] = [rx, ry, rz];
  }

  /**
   * Full circle of radius r about (cx, cy) starting and ending at (cx + r, cy), descending from
   * the current Z to `z` (a helix when they differ). Two half arcs: controllers disagree on
   * start == end arcs.
   */
  circle(ccw: boolean, cx: number, cy: number, r: number, z: number): void {
    const z0 = this.z ?? z;
    this.arc(ccw, cx - r, cy, (z0 + z) / 2, cx, cy);
    this.arc(ccw, cx + r, cy, z, cx, cy);
  }

  /**
   * Helix of radius r about (cx, cy) from the current Z down to `z`, starting and ending at
   * (cx + r, cy), with as many full turns as keep the descent at most `slope` mm per mm.
   */
  helix(ccw: boolean, cx: number, cy: number, r: number, z: number, slope: number): void {
    const z0 = this.z ?? z;
    const turns = Math.max(1, Math.ceil((z0 - z) / (slope * 2 * Math.PI * r) - 1e-9));
    for (let k = 1; k <= turns; k += 1) this.circle(ccw, cx, cy, r, z0 + ((z - z0) * k) / turns);
  }

  /** Current Z (undefined before the first move). */
  get currentZ(): number | undefined {
    return this.z;
  }
}
