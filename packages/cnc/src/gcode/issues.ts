import type { Range } from './types.js';

/** Stable issue codes of `validateGcode`; tests and callers match on these, not on messages. */
export const GCODE_ISSUE_CODES = Object.freeze([
  'UNITS_NOT_SET',
  'ABSOLUTE_NOT_SET',
  'RELATIVE_MODE',
  'SPINDLE_OFF_WHILE_CUTTING',
  'RPM_OUT_OF_RANGE',
  'OUT_OF_ENVELOPE',
  'FEED_MISSING',
  'FEED_OUT_OF_RANGE',
  'ARC_INCONSISTENT',
  'RAPID_BELOW_SAFE_Z',
  'NO_SPINDLE_STOP',
  'NO_PROGRAM_END',
  'UNKNOWN_WORD',
  'TOO_LONG',
] as const);

/** One of `GCODE_ISSUE_CODES`. */
export type GcodeIssueCode = (typeof GCODE_ISSUE_CODES)[number];

/** A finding; `line` is 1-based, 0 for the program as a whole. */
export interface GcodeIssue {
  readonly line: number;
  readonly code: GcodeIssueCode;
  readonly message: string;
}

/** Extent of the tool centre per axis (arcs included), mm; null when the axis never had a value. */
export interface GcodeBounds {
  readonly x: Range | null;
  readonly y: Range | null;
  readonly z: Range | null;
}

/** Counts: text lines, G0 moves, G1 moves, G2/G3 moves. */
export interface GcodeStats {
  readonly lines: number;
  readonly rapids: number;
  readonly cuts: number;
  readonly arcs: number;
}

/** Verdict of `validateGcode`: `ok` exactly when `issues` is empty. */
export interface GcodeValidation {
  readonly ok: boolean;
  readonly issues: readonly GcodeIssue[];
  readonly bounds: GcodeBounds;
  readonly stats: GcodeStats;
}
