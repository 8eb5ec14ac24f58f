import { arcExtremes, arcProblem, arcSweep, type Point } from './arcs.js';
import type { Block } from './block.js';
import type { GcodeBounds, GcodeIssue, GcodeIssueCode } from './issues.js';
import type { MachineProfile, Range } from './types.js';

type Axis = 'x' | 'y' | 'z';
type Position = Record<Axis, number | undefined>;

const MM_PER_INCH = 25.4;
/** Recording stops here; the verdict is already "not ok". */
const MAX_ISSUES = 1000;

/**
 * Modal state machine over blocks (RS274/NGC order of execution within a line: units, feed,
 * speed, spindle, modes, motion, program end). Positions are absolute mm; an axis is
 * undefined until the program gives it a value, and unknown Z fails the rapid check closed.
 */
export class Interpreter {
  readonly issues: GcodeIssue[] = [];
  readonly stats = { rapids: 0, cuts: 0, arcs: 0 };
  ended = false;
  spindleOn = false;
  private line = 0;
  private motion: number | undefined;
  private inches: boolean | undefined;
  private relative: boolean | undefined;
  private rpm: number | undefined;
  private feed: number | undefined;
  private pos: Position = { x: undefined, y: undefined, z: undefined };
  private readonly seen = new Set<GcodeIssueCode>();
  private readonly box: Record<Axis, [number, number] | null> = { x: null, y: null, z: null };

  constructor(
    private readonly machine: MachineProfile,
    private readonly rapidFloor: number,
  ) {}

  /** Record an issue at the current line. */
  issue(code: GcodeIssueCode, message: string, line = this.line): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ line, code, message });
  }

  private once(code: GcodeIssueCode, message: string): void {
    if (this.seen.has(code)) return;
    this.seen.add(code);
    this.issue(code, message);
  }

  /** Motion extents so far. */
  bounds(): GcodeBounds {
    return { x: this.box.x, y: this.box.y, z: this.box.z };
  }

  /** Execute one block of line `line`. */
  run(block: Block, line: number): void {
    this.line = line;
    const { g, m, values } = block;
    if (this.ended) this.issue('NO_PROGRAM_END', 'commands after the program end');
    // Units apply to every word of their own block (as LinuxCNC reads them), so they go first.
    if (g.has(20) || g.has(21)) this.inches = g.has(20);
    const f = values.get('F');
    if (f !== undefined) this.setFeed(f);
    this.spindle(m, values.get('S'));
    if (g.has(90)) this.relative = false;
    if (g.has(91)) {
      this.relative = true;
      this.issue('RELATIVE_MODE', 'G91 incremental mode is not allowed');
    }
    for (const code of [0, 1, 2, 3]) if (g.has(code)) this.motion = code;
    this.move(values);
    if (m.has(2) || m.has(30)) this.end();
  }

  private scale(): number {
    return this.inches === true ? MM_PER_INCH : 1;
  }

  private setFeed(f: number): void {
    if (!(f > 0)) this.issue('FEED_OUT_OF_RANGE', `feed F${f} is not positive`);
    this.feed = f * this.scale();
  }

  private spindle(m: ReadonlySet<number>, s: number | undefined): void {
    if (s !== undefined) this.rpm = s;
    if (m.has(5)) this.spindleOn = false;
    if (m.has(3) || m.has(4)) this.spindleOn = true;
    if (this.spindleOn && (s !== undefined || m.has(3) || m.has(4))) {
      const rpm = this.rpm;
      const { min_rpm, max_rpm } = this.machine;
      if (rpm === undefined || rpm < min_rpm || rpm > max_rpm) {
        this.issue(
          'RPM_OUT_OF_RANGE',
          `spindle speed ${rpm ?? 'unset'} outside ${min_rpm}..${max_rpm}`,
        );
      }
    }
  }

  private end(): void {
    if (this.spindleOn) this.issue('NO_SPINDLE_STOP', 'program ends with the spindle on');
    this.ended = true;
  }

  private move(values: ReadonlyMap<string, number>): void {
    const axes = (['x', 'y', 'z'] as const).filter((a) => values.has(a.toUpperCase()));
    const hasCentre = values.has('I') || values.has('J');
    if (axes.length === 0 && !hasCentre) return;
    const motion = this.motion;
    if (motion === undefined) return this.issue('UNKNOWN_WORD', 'axis words without a motion mode');
    if (hasCentre && motion < 2) return this.issue('UNKNOWN_WORD', 'I/J outside an arc move');
    if (this.inches === undefined) this.once('UNITS_NOT_SET', 'motion before G21/G20');
    if (this.relative === undefined) this.once('ABSOLUTE_NOT_SET', 'motion before G90');
    const target = this.target(values);
    if (motion === 0) this.rapid(target);
    else this.cut(motion, target, values);
    for (const a of axes) this.place(a, target[a]);
    this.pos = target;
  }

  private target(values: ReadonlyMap<string, number>): Position {
    const k = this.scale();
    const next = { ...this.pos };
    for (const a of ['x', 'y', 'z'] as const) {
      const v = values.get(a.toUpperCase());
      if (v === undefined) continue;
      const base = this.relative === true ? this.pos[a] : 0;
      next[a] = base === undefined ? undefined : base + v * k;
    }
    return next;
  }

  /** Envelope check and bounds update for one coordinate the tool reaches. */
  private place(axis: Axis, value: number | undefined): void {
    if (value === undefined) return;
    const [lo, hi]: Range = this.machine.envelope[axis];
    if (value < lo || value > hi) {
      const where = `${axis.toUpperCase()}${value}`;
      this.issue('OUT_OF_ENVELOPE', `${where} outside ${lo}..${hi} of ${this.machine.id}`);
    }
    const box = this.box[axis];
    this.box[axis] =
      box === null ? [value, value] : [Math.min(box[0], value), Math.max(box[1], value)];
  }

  private rapid(target: Position): void {
    this.stats.rapids += 1;
    const movesXY = target.x !== this.pos.x || target.y !== this.pos.y;
    const zs = [this.pos.z, target.z];
    if (target.z !== undefined && target.z < this.machine.stock_top_z) {
      this.issue('RAPID_BELOW_SAFE_Z', `rapid down to Z${target.z}, into the stock`);
    } else if (movesXY && zs.some((z) => z === undefined || z < this.rapidFloor)) {
      this.issue('RAPID_BELOW_SAFE_Z', `XY rapid with Z below ${this.rapidFloor} (or unknown)`);
    }
  }

  private cut(motion: number, target: Position, values: ReadonlyMap<string, number>): void {
    if (motion === 1) this.stats.cuts += 1;
    else this.stats.arcs += 1;
    if (!this.spindleOn) this.issue('SPINDLE_OFF_WHILE_CUTTING', `G${motion} with the spindle off`);
    const lengthXY = motion === 1 ? this.linearXY(target) : this.arc(motion, target, values);
    this.checkFeed(target, lengthXY);
  }

  private linearXY(target: Position): number | undefined {
    const { x, y } = this.pos;
    if (x === undefined || y === undefined || target.x === undefined || target.y === undefined) {
      return target.x === x && target.y === y ? 0 : undefined;
    }
    return Math.hypot(target.x - x, target.y - y);
  }

  /** Check the arc and add its extremes to the bounds; returns its XY length when known. */
  private arc(
    motion: number,
    target: Position,
    values: ReadonlyMap<string, number>,
  ): number | undefined {
    const { x, y } = this.pos;
    if (x === undefined || y === undefined || target.x === undefined || target.y === undefined) {
      this.issue('ARC_INCONSISTENT', 'arc from or to an unknown XY position');
      return undefined;
    }
    const k = this.scale();
    const start: Point = { x, y };
    const end: Point = { x: target.x, y: target.y };
    const centre = { x: x + (values.get('I') ?? 0) * k, y: y + (values.get('J') ?? 0) * k };
    const problem = arcProblem(start, end, centre);
    if (problem !== undefined) {
      this.issue('ARC_INCONSISTENT', problem);
      return undefined;
    }
    for (const p of arcExtremes(start, end, centre, motion === 2)) {
      this.place('x', p.x);
      this.place('y', p.y);
    }
    const r = Math.hypot(x - centre.x, y - centre.y);
    return r * arcSweep(start, end, centre, motion === 2);
  }

  private checkFeed(target: Position, lengthXY: number | undefined): void {
    const f = this.feed;
    if (f === undefined) return this.issue('FEED_MISSING', 'cutting move before any F word');
    const { max_feed_xy, max_feed_z } = this.machine;
    const dz = target.z === this.pos.z ? 0 : Math.abs((target.z ?? NaN) - (this.pos.z ?? NaN));
    // Unknown lengths count as the whole feed on that axis (fail closed).
    const zShare =
      dz === 0 ? 0 : lengthXY === undefined || Number.isNaN(dz) ? 1 : dz / Math.hypot(dz, lengthXY);
    if (lengthXY !== 0 && f > max_feed_xy) {
      this.issue('FEED_OUT_OF_RANGE', `XY feed ${f} above ${max_feed_xy}`);
    } else if (f * zShare > max_feed_z) {
      this.issue('FEED_OUT_OF_RANGE', `Z feed ${f * zShare} above ${max_feed_z}`);
    }
  }
}
