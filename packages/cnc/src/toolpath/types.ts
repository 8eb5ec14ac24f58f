/**
 * Inputs of the toolpath generators. Lengths in mm, feeds mm/min; Z = 0 is the stock top and
 * depths are given as positive numbers below it.
 */
import type { ContourPocketOperation, JobCutting, Point2 } from '@clearance/protocol/portable';

/** The cutter. `number` is the tool slot printed as T-word (default 1). */
export interface ToolpathTool {
  readonly diameter: number;
  readonly type: 'flat' | 'ball' | 'vbit' | 'drill';
  readonly number?: number;
}

/**
 * Cutting parameters shared by every operation of a program: the job's (CNC wire contract), here
 * in mm and mm/min. `final_depth` is below the stock top (the deepest Z is −final_depth), every XY
 * rapid happens at `safe_z`, and `climb` assumes a clockwise (M3) spindle.
 */
export type Cutting = Omit<JobCutting, 'coolant'>;

/** A point in the XY plane. */
export type Point = Point2;

/** Annular channel between two concentric circles. */
export interface RingChannelOp {
  readonly kind: 'ring_channel';
  readonly cx: number;
  readonly cy: number;
  readonly inner_radius: number;
  readonly outer_radius: number;
}

/** Circular pocket cleared from the centre outwards. */
export interface CircularPocketOp {
  readonly kind: 'circular_pocket';
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
}

/** Axis-aligned rectangular pocket: corner (x, y), `width` along X, `length` along Y. */
export interface RectPocketOp {
  readonly kind: 'rect_pocket';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
}

/** Closed polygon contour (first point not repeated) cut inside, outside or on the line. */
export interface ProfileOp {
  readonly kind: 'profile';
  readonly contour: readonly Point[];
  readonly side: 'inside' | 'outside' | 'on';
}

/**
 * Pocket bounded by a closed polygon contour (first point not repeated), cleared by successive
 * inward offsets; the last pass runs at the tool radius from the wall.
 */
export type ContourPocketOp = ContourPocketOperation;

/** Holes at `points`, optionally pecked `peck` mm at a time. */
export interface DrillPatternOp {
  readonly kind: 'drill_pattern';
  readonly points: readonly Point[];
  readonly peck?: number;
}

/** One operation of a program. */
export type Operation =
  RingChannelOp | CircularPocketOp | RectPocketOp | ProfileOp | ContourPocketOp | DrillPatternOp;
