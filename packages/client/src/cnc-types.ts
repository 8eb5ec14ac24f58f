/**
 * The CNC job model as the public API speaks it (README "CNC jobs (RMOS)"). The client may not
 * import @clearance/cnc, so the wire shapes are restated here; the server remains the judge.
 */

/** A point in the XY plane. */
export interface Point2 {
  readonly x: number;
  readonly y: number;
}

/** Cutter geometry. */
export interface JobTool {
  readonly type: 'flat' | 'ball' | 'vbit' | 'drill';
  readonly diameter: number;
  readonly flutes: number;
  readonly flute_length: number;
  readonly stickout: number;
}

/** Material hardness classes. */
export type MaterialHardness = 'soft' | 'medium' | 'hard' | 'very-hard' | 'extreme' | 'unknown';

/** Stock material. */
export interface JobMaterial {
  readonly id: string;
  readonly hardness: MaterialHardness;
  readonly thickness: number;
  readonly resinous: boolean;
}

/** Cutting parameters shared by every operation. */
export interface JobCutting {
  readonly stepover: number;
  readonly stepdown: number;
  readonly final_depth: number;
  readonly feed_xy: number;
  readonly feed_z: number;
  readonly rpm: number;
  readonly safe_z: number;
  readonly climb: boolean;
  readonly coolant?: boolean | null;
}

/** Stock rectangle (lower-left corner + size). */
export interface JobStock {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
}

/** Which side of a contour the tool runs on. */
export type ProfileSide = 'inside' | 'outside' | 'on';

/** One operation, as sent (`dxf`) or as normalised (`contour_pocket`, explicit optionals). */
export type JobOperation =
  | {
      readonly kind: 'rosette';
      readonly cx: number;
      readonly cy: number;
      readonly rings: readonly { readonly inner_radius: number; readonly outer_radius: number }[];
    }
  | {
      readonly kind: 'circular_pocket';
      readonly cx: number;
      readonly cy: number;
      readonly radius: number;
    }
  | {
      readonly kind: 'rect_pocket';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly length: number;
      readonly corner_radius?: number;
    }
  | { readonly kind: 'profile'; readonly contour: readonly Point2[]; readonly side: ProfileSide }
  | { readonly kind: 'contour_pocket'; readonly contour: readonly Point2[] }
  | { readonly kind: 'drill'; readonly points: readonly Point2[]; readonly peck?: number | null }
  | {
      readonly kind: 'dxf';
      readonly dxf: string;
      readonly layer?: string;
      readonly as: 'pocket' | 'profile';
      readonly side?: ProfileSide;
    };

/** A CNC job as a client proposes it (lengths in `units`). */
export interface CncJob {
  readonly units: 'mm' | 'inch';
  readonly machine: string;
  readonly tool: JobTool;
  readonly material: JobMaterial;
  readonly cutting: JobCutting;
  readonly operations: readonly JobOperation[];
  readonly stock?: JobStock | null;
}

/** A risk level: the three buckets, or a fail-closed UNKNOWN/ERROR (always blocking). */
export type RiskLevel = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | 'ERROR';

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
