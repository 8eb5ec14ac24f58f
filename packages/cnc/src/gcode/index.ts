/**
 * G-code side of the manufacturing authority: the neutral motion program model, built-in machine
 * profiles, post-processors (GRBL, LinuxCNC, FANUC) and the validator every program passes
 * before release. Pure: no fs, no clock.
 */
export type {
  Dialect,
  Envelope,
  MachineProfile,
  MotionProgram,
  Move,
  ProgramHeader,
  Range,
} from './types.js';
export { DIALECTS } from './types.js';
export { DEFAULT_MACHINE_ID, MACHINE_IDS, machineProfile } from './machines.js';
export { formatNumber } from './format.js';
export { postProcess } from './post.js';
export type { PostOptions } from './post.js';
export { circleMoves } from './circle.js';
export { ARC_TOLERANCE } from './arcs.js';
export { GCODE_ISSUE_CODES } from './issues.js';
export type {
  GcodeBounds,
  GcodeIssue,
  GcodeIssueCode,
  GcodeStats,
  GcodeValidation,
} from './issues.js';
export {
  MAX_LINE_LENGTH,
  MAX_PROGRAM_CHARS,
  MAX_PROGRAM_LINES,
  validateGcode,
} from './validate.js';
export type { ValidateOptions } from './validate.js';
export { renderValidation } from './report.js';
