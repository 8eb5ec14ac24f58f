/**
 * The neutral motion program model and machine profiles (spec/rmos.md §5). All lengths are
 * millimetres, feeds mm/min, spindle speeds rpm. Nothing here knows about a G-code dialect.
 */

/** One motion. Absent axes keep their current value; `i`/`j` are arc centre offsets. */
export interface Move {
  readonly kind: 'rapid' | 'linear' | 'arc_cw' | 'arc_ccw';
  readonly x?: number;
  readonly y?: number;
  readonly z?: number;
  /** Arc centre X offset from the start point (arcs only). */
  readonly i?: number;
  /** Arc centre Y offset from the start point (arcs only). */
  readonly j?: number;
  /** Feed for this and later cutting moves, mm/min. Ignored on rapids. */
  readonly f?: number;
}

/** Identity stamped into the header comments; never a wall-clock time. */
export interface ProgramHeader {
  readonly title: string;
  readonly workflow_id: string;
  readonly job_hash: string;
  readonly request_hash: string;
  /** Engine/toolchain/post versions, e.g. `{ post: 'gcode-post@1' }`; emitted in key order. */
  readonly versions: Readonly<Record<string, string>>;
}

/** A complete single-tool program. The post adds units, modes, spindle and footer. */
export interface MotionProgram {
  readonly header: ProgramHeader;
  readonly units: 'mm';
  readonly tool: { readonly number: number; readonly diameter: number };
  readonly spindle_rpm: number;
  /** Clearance height: the program starts and ends here. */
  readonly safe_z: number;
  readonly coolant?: boolean;
  readonly moves: readonly Move[];
}

/** The supported controller dialects. */
export type Dialect = 'grbl' | 'linuxcnc' | 'fanuc';

/** Every dialect, in a stable order. */
export const DIALECTS: readonly Dialect[] = Object.freeze(['grbl', 'linuxcnc', 'fanuc']);

/** Closed interval [min, max]. */
export type Range = readonly [number, number];

/** Work envelope per axis, mm (work coordinates are taken to equal machine coordinates). */
export interface Envelope {
  readonly x: Range;
  readonly y: Range;
  readonly z: Range;
}

/** What the validator needs to know about a machine. */
export interface MachineProfile {
  readonly id: string;
  readonly dialect: Dialect;
  readonly envelope: Envelope;
  readonly min_rpm: number;
  readonly max_rpm: number;
  readonly max_feed_xy: number;
  readonly max_feed_z: number;
  /** Z of the stock top; rapids in XY must stay above it (plus a margin). */
  readonly stock_top_z: number;
}
