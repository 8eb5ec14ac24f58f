/**
 * The CNC job model as the public API speaks it (README "CNC jobs (RMOS)"): the job shapes are the
 * CNC wire contract of `@clearance/protocol` (the one declaration the server and the authority's
 * parser are held to; imported as types only, so nothing of the main face reaches the browser
 * bundle); the feasibility, release and override answers are typed here.
 */
import type {
  CncJob,
  JobOperation as SentOperation,
  NormalizedJob,
  NormalizedOperation,
  RiskLevel,
} from '@clearance/protocol/portable';

export type {
  CncJob,
  JobCutting,
  JobMaterial,
  JobStock,
  JobTool,
  MaterialHardness,
  NormalizedJob,
  NormalizedOperation,
  Point2,
  ProfileSide,
  RiskLevel,
} from '@clearance/protocol/portable';

/** One operation, as sent (`dxf`) or as normalised (`contour_pocket`, explicit optionals). */
export type JobOperation = SentOperation | NormalizedOperation;

/** A job as sent or as the authority shows it (drawings and parameter tables take either). */
export type AnyJob = CncJob | NormalizedJob;

/** The registry entry of one feasibility rule. */
export interface RuleInfo {
  readonly id: string;
  readonly level: string;
  readonly summary: string;
  readonly explanation: string;
  readonly fix_hint: string;
}

/** What feasibility results share. */
export interface FeasibilityCore {
  readonly risk_level: RiskLevel;
  readonly blocking: boolean;
  /** Rule ids in evaluation order, duplicates kept. */
  readonly rules_triggered: readonly string[];
  readonly blocking_reasons: readonly string[];
  readonly warnings: readonly string[];
  readonly constraints: readonly string[];
  readonly hash: string;
}

/** POST /api/rmos/feasibility. */
export interface FeasibilityCheck extends FeasibilityCore {
  readonly explanations: readonly RuleInfo[];
  /** Client-sent verdict fields the server removed. */
  readonly stripped: readonly string[];
  readonly job_hash?: string;
}

/** The feasibility shown with a job. */
export interface JobFeasibility extends FeasibilityCore {
  readonly explanation: { readonly summary: string; readonly rules: readonly RuleInfo[] };
}

/** Released outputs of a completed job. */
export interface JobRelease {
  readonly gcode_sha256: string;
  readonly gcode_url: string;
  readonly gcode_file: string;
  readonly preview_svg: string;
  readonly preview_sha256: string;
  readonly toolpaths_sha256: string;
  readonly gcode_lines?: number;
}

/** A supervisor override record. */
export interface OverrideRecord {
  readonly run_id: string;
  readonly workflow_id: string;
  readonly scope: string;
  readonly original_risk: string;
  readonly reason: string;
  readonly supervisor: string;
  readonly created_at: string;
}
