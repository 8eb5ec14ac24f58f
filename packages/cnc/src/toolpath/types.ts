/**
 * Inputs of the toolpath generators. Lengths in mm, feeds mm/min; Z = 0 is the stock top and
 * depths are given as positive numbers below it.
 */

/** The cutter. `number` is the tool slot printed as T-word (default 1). */
export interface ToolpathTool {
  readonly diameter: number;
  readonly type: 'flat' | 'ball' | 'vbit' | 'drill';
  readonly number?: number;
}

/** Cutting parameters shared by every operation of a program. */
export interface Cutting {
  /** Lateral step as a fraction of the tool diameter, 0 < stepover ≤ 1. */
  readonly stepover: number;
  /** Depth per pass, > 0. */
  readonly stepdown: number;
  /** Final depth below the stock top, > 0 (the deepest Z is −final_depth). */
  readonly final_depth: number;
  readonly feed_xy: number;
  readonly feed_z: number;
  readonly rpm: number;
  /** Clearance height above the stock, > 0: every XY rapid happens here. */
  readonly safe_z: number;
  /** Climb milling (true) or conventional (false); assumes a clockwise (M3) spindle. */
  readonly climb: boolean;
}

/** A point in the XY plane. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

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
export interface ContourPocketOp {
  readonly kind: 'contour_pocket';
  readonly contour: readonly Point[];
}

/** Holes at `points`, optionally pecked `peck` mm at a time. */
export interface DrillPatternOp {
  readonly kind: 'drill_pattern';
  readonly points: readonly Point[];
  readonly peck?: number;
}

/** One operation of a program. */
export type Operation =
  RingChannelOp | CircularPocketOp | RectPocketOp | ProfileOp | ContourPocketOp | DrillPatternOp;
