/**
 * The TypeScript shapes of the CNC wire contract (`cnc-wire.ts`): the job model of spec/rmos.md
 * §5.2 — what a client asks the authority to cut. Lengths are in the job's `units` on input; a
 * `NormalizedJob` is always millimetres and mm/min. `@clearance/cnc` re-exports these.
 */
import type {
  DXF_AS,
  MATERIAL_HARDNESSES,
  OVERRIDE_SCOPES,
  PROFILE_SIDES,
  RISK_LEVELS,
  TOOL_TYPES,
  UNITS,
} from './cnc-wire.js';

/** Material hardness class. `unknown` is explicit and blocks (F024). */
export type MaterialHardness = (typeof MATERIAL_HARDNESSES)[number];
/** Which side of a contour the tool runs on. */
export type ProfileSide = (typeof PROFILE_SIDES)[number];
/** Risk level. */
export type RiskLevel = (typeof RISK_LEVELS)[number];
/** Override scope. */
export type OverrideScope = (typeof OVERRIDE_SCOPES)[number];

/** A point in the XY plane. */
export interface Point2 {
  readonly x: number;
  readonly y: number;
}

/** Cutter geometry. `flute_length` and `stickout` feed F026/F029/F033. */
export interface JobTool {
  readonly type: (typeof TOOL_TYPES)[number];
  readonly diameter: number;
  /** Positive integer. */
  readonly flutes: number;
  readonly flute_length: number;
  readonly stickout: number;
}

/** Stock material. */
export interface JobMaterial {
  readonly id: string;
  readonly hardness: MaterialHardness;
  readonly thickness: number;
  readonly resinous: boolean;
}

/** Cutting parameters shared by every operation of the job. */
export interface JobCutting {
  /** Fraction of the tool diameter, in (0, 1]. */
  readonly stepover: number;
  readonly stepdown: number;
  /** Positive depth below the stock top (Z = 0). */
  readonly final_depth: number;
  /** Units per minute. */
  readonly feed_xy: number;
  readonly feed_z: number;
  readonly rpm: number;
  readonly safe_z: number;
  readonly climb: boolean;
  readonly coolant?: boolean;
}

/** Rectangle of stock in the XY plane (lower-left corner + size). */
export interface JobStock {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
}

/** One ring channel of a rosette; `inner_radius < outer_radius`. */
export interface RosetteRing {
  readonly inner_radius: number;
  readonly outer_radius: number;
}

/** Concentric ring channels around (cx, cy). */
export interface RosetteOperation {
  readonly kind: 'rosette';
  readonly cx: number;
  readonly cy: number;
  readonly rings: readonly RosetteRing[];
}

/** Circular pocket cleared to `final_depth`. */
export interface CircularPocketOperation {
  readonly kind: 'circular_pocket';
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
}

/** Axis-aligned rectangular pocket, lower-left corner (x, y). */
export interface RectPocketOperation {
  readonly kind: 'rect_pocket';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
  readonly corner_radius?: number;
}

/** Profile cut along a closed contour (implicitly closed: last point joins the first). */
export interface ProfileOperation {
  readonly kind: 'profile';
  readonly contour: readonly Point2[];
  readonly side: ProfileSide;
}

/** Pocket bounded by a closed contour (only produced from DXF geometry). */
export interface ContourPocketOperation {
  readonly kind: 'contour_pocket';
  readonly contour: readonly Point2[];
}

/** Drilled holes; `peck` is the peck depth when pecking. */
export interface DrillOperation {
  readonly kind: 'drill';
  readonly points: readonly Point2[];
  readonly peck?: number;
}

/**
 * Geometry from an ASCII DXF file, resolved into contours (see `resolveDxf`): each closed loop
 * becomes a `contour_pocket` (`as: 'pocket'`) or a `profile` with `side` (default `on`).
 */
export interface DxfOperation {
  readonly kind: 'dxf';
  readonly dxf: string;
  readonly layer?: string;
  readonly as: (typeof DXF_AS)[number];
  readonly side?: ProfileSide;
}

/** Operations a client may send. */
export type JobOperation =
  | RosetteOperation
  | CircularPocketOperation
  | RectPocketOperation
  | ProfileOperation
  | DrillOperation
  | DxfOperation;

/** A validated job as sent by the client (units as given). */
export interface CncJob {
  readonly units: (typeof UNITS)[number];
  /** Machine profile id, see `machineProfile`. */
  readonly machine: string;
  readonly tool: JobTool;
  readonly material: JobMaterial;
  readonly cutting: JobCutting;
  readonly operations: readonly JobOperation[];
  readonly stock?: JobStock;
}

/** Operations after normalization: DXF resolved, every optional field explicit. */
export type NormalizedOperation =
  | RosetteOperation
  | CircularPocketOperation
  | (Omit<RectPocketOperation, 'corner_radius'> & { readonly corner_radius: number })
  | ProfileOperation
  | ContourPocketOperation
  | { readonly kind: 'drill'; readonly points: readonly Point2[]; readonly peck: number | null };

/** Deterministic, millimetre-only job: the hashed artifact (`jobHash`). */
export interface NormalizedJob {
  readonly units: 'mm';
  readonly machine: string;
  readonly tool: JobTool;
  readonly material: JobMaterial;
  readonly cutting: Omit<JobCutting, 'coolant'> & { readonly coolant: boolean | null };
  readonly operations: readonly NormalizedOperation[];
  readonly stock: JobStock | null;
  /** The DXF layer when the job's DXF operations name exactly one layer, else null. */
  readonly layer: string | null;
}
