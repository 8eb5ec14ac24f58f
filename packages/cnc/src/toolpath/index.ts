/**
 * Deterministic toolpath generators (spec/rmos.md §5): ring channels, circular and rectangular
 * pockets, profiles and drill patterns, assembled into the neutral MotionProgram that the
 * G-code posts print. Pure: no fs, no clock, no randomness.
 */
export type {
  CircularPocketOp,
  ContourPocketOp,
  Cutting,
  DrillPatternOp,
  Operation,
  Point,
  ProfileOp,
  RectPocketOp,
  RingChannelOp,
  ToolpathTool,
} from './types.js';
export { buildProgram } from './program.js';
export { MAX_RAMP_DEG, RAMP_DEG } from './rect.js';
export { MAX_MITER } from './polygon.js';
export { MAX_CONTOUR_POINTS } from './profile.js';
export { toolpathSummary } from './summary.js';
export type { ToolpathBounds, ToolpathSummary } from './summary.js';
export { toolpathSvg } from './svg.js';
