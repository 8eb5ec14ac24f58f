/**
 * @clearance/cnc — the manufacturing domain, pure: job model, feasibility rules F001–F041,
 * toolpaths, post-processors and the G-code validator.
 */
export {
  evaluateFeasibility,
  evaluateRules,
  FEASIBILITY_HASH_DOMAIN,
  feasibilityHash,
  safeEvaluate,
} from './feasibility/engine.js';
export type { TimestampedOutcome } from './feasibility/engine.js';
export { explainFeasibility, feasibilitySummary } from './feasibility/explain.js';
export type { FeasibilityExplanation } from './feasibility/explain.js';
export { FEASIBILITY_INPUT_KEYS, parseFeasibilityInput } from './feasibility/parse.js';
export { FEASIBILITY_RULES, feasibilityRule } from './feasibility/registry.js';
export type { FeasibilityRuleInfo } from './feasibility/registry.js';
export { FEASIBILITY_ENGINE_VERSION, MATERIAL_HARDNESSES } from './feasibility/types.js';
export type {
  FeasibilityBbox,
  FeasibilityDetails,
  FeasibilityFailure,
  FeasibilityInput,
  FeasibilityOutcome,
  FeasibilityResult,
  FeasibilityRiskLevel,
  FeasibilityRuleId,
  MaterialHardness,
  RuleHit,
  RuleLevel,
} from './feasibility/types.js';
// G-code: machine profiles, post-processing and the validator.
export {
  circleMoves,
  DEFAULT_MACHINE_ID,
  MACHINE_IDS,
  machineProfile,
  postProcess,
  renderValidation,
  validateGcode,
} from './gcode/index.js';
export type { MachineProfile } from './gcode/index.js';
// The job model (its wire shape is declared once in @clearance/protocol's CNC wire contract).
export { feasibilityInputOf, jobHash, normalizeJob, parseJob } from './job/index.js';
export type { NormalizedJob } from '@clearance/protocol/portable';
// Manufacturing: toolpaths to released G-code, version stamps.
export {
  CNC_ENGINE_VERSION,
  CNC_JOB_ARTIFACT_TYPE,
  CNC_TOOLCHAIN_VERSION,
  cncRequestHash,
  manufactureJob,
  parseNormalizedJob,
  postProcessorVersion,
} from './manufacture/index.js';
export type { ManufactureResult } from './manufacture/index.js';
export {
  buildProgram,
  MAX_MITER,
  MAX_RAMP_DEG,
  MAX_CONTOUR_POINTS,
  RAMP_DEG,
  toolpathSummary,
  toolpathSvg,
} from './toolpath/index.js';
export type {
  CircularPocketOp,
  ContourPocketOp,
  Cutting,
  DrillPatternOp,
  Operation as ToolpathOperation,
  Point,
  ProfileOp,
  RectPocketOp,
  RingChannelOp,
  ToolpathBounds,
  ToolpathSummary,
  ToolpathTool,
} from './toolpath/index.js';
