/** The TypeScript shapes of the CNC wire declarations in `cnc-wire.ts` (types only). */
import type {
  DXF_AS,
  MATERIAL_HARDNESSES,
  OVERRIDE_SCOPES,
  PROFILE_SIDES,
  RISK_LEVELS,
  TOOL_TYPES,
  UNITS,
} from './cnc-wire.js';

/** Material hardness class. */
export type MaterialHardness = (typeof MATERIAL_HARDNESSES)[number];
/** Profile side. */
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

/** Cutter geometry. */
export interface JobTool {
  readonly type: (typeof TOOL_TYPES)[number];
  readonly diameter: number;
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

/** Cutting parameters shared by every operation (`coolant` optional as sent). */
export interface JobCutting {
  readonly stepover: number;
  readonly stepdown: number;
  readonly final_depth: number;
  readonly feed_xy: number;
  readonly feed_z: number;
  readonly rpm: number;
  readonly safe_z: number;
  readonly climb: boolean;
  readonly coolant?: boolean;
}

/** Stock rectangle (lower-left corner + size). */
export interface JobStock {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
}

type Rosette = {
  readonly kind: 'rosette';
  readonly cx: number;
  readonly cy: number;
  readonly rings: readonly { readonly inner_radius: number; readonly outer_radius: number }[];
};
type Circular = {
  readonly kind: 'circular_pocket';
  readonly cx: number;
  readonly cy: number;
  readonly radius: number;
};
type Rect = {
  readonly kind: 'rect_pocket';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly length: number;
};
type Profile = {
  readonly kind: 'profile';
  readonly contour: readonly Point2[];
  readonly side: ProfileSide;
};
type Drill = { readonly kind: 'drill'; readonly points: readonly Point2[] };

/** One operation as sent. */
export type JobOperation =
  | Rosette
  | Circular
  | (Rect & { readonly corner_radius?: number })
  | Profile
  | (Drill & { readonly peck?: number })
  | {
      readonly kind: 'dxf';
      readonly dxf: string;
      readonly layer?: string;
      readonly as: (typeof DXF_AS)[number];
      readonly side?: ProfileSide;
    };

/** One operation as normalised: DXF resolved into contours, every optional explicit. */
export type NormalizedOperation =
  | Rosette
  | Circular
  | (Rect & { readonly corner_radius: number })
  | Profile
  | { readonly kind: 'contour_pocket'; readonly contour: readonly Point2[] }
  | (Drill & { readonly peck: number | null });

/** A CNC job as a client proposes it (lengths in `units`). */
export interface CncJob {
  readonly units: (typeof UNITS)[number];
  readonly machine: string;
  readonly tool: JobTool;
  readonly material: JobMaterial;
  readonly cutting: JobCutting;
  readonly operations: readonly JobOperation[];
  readonly stock?: JobStock;
}

/** The normalised job the authority hashes and shows (millimetres). */
export interface NormalizedJob {
  readonly units: 'mm';
  readonly machine: string;
  readonly tool: JobTool;
  readonly material: JobMaterial;
  readonly cutting: Omit<JobCutting, 'coolant'> & { readonly coolant: boolean | null };
  readonly operations: readonly NormalizedOperation[];
  readonly stock: JobStock | null;
  readonly layer: string | null;
}
