/**
 * The CNC job on the wire (README "CNC jobs (RMOS)"), declared once for every consumer: the
 * server's JSON schemas, the client's decoders and the console's form checks. The authority is the
 * judge — `@clearance/cnc`'s `parseJob` and the override service — and a golden test holds this
 * declaration to what they accept. It and `wire-schema.ts` import nothing else at run time, so it
 * is also the browser-safe face `@clearance/protocol/portable` the console bundle may carry (the
 * main face needs node:crypto). Every list is frozen: a shared contract cannot be widened at run
 * time.
 */
import type { CncJob, NormalizedJob } from './cnc-wire-types.js';
import type { TypedSchema, WireSchema } from './wire-schema.js';

export { conforms, wireProblem } from './wire-schema.js';
export type { TypedSchema, WireSchema } from './wire-schema.js';

/** Length units of a job as sent. */
export const UNITS = Object.freeze(['mm', 'inch'] as const);
/** Cutter types. */
export const TOOL_TYPES = Object.freeze(['flat', 'ball', 'vbit', 'drill'] as const);
/** Material hardness classes. */
export const MATERIAL_HARDNESSES = Object.freeze([
  'soft',
  'medium',
  'hard',
  'very-hard',
  'extreme',
  'unknown',
] as const);
/** Which side of a contour the tool runs on. */
export const PROFILE_SIDES = Object.freeze(['inside', 'outside', 'on'] as const);
/** How DXF loops are cut. */
export const DXF_AS = Object.freeze(['pocket', 'profile'] as const);
/** Risk levels: the three buckets, or a fail-closed UNKNOWN/ERROR (always blocking). */
export const RISK_LEVELS = Object.freeze(['GREEN', 'YELLOW', 'RED', 'UNKNOWN', 'ERROR'] as const);
/** Which risk a supervisor override unlocks. */
export const OVERRIDE_SCOPES = Object.freeze(['YELLOW', 'RED'] as const);
/** Shortest and longest accepted override reason, counted after trimming (UTF-16 units). */
export const OVERRIDE_REASON = Object.freeze({ min: 10, max: 2000 });
/** Operation kinds a client may send. */
export const OPERATION_KINDS = Object.freeze([
  'rosette',
  'circular_pocket',
  'rect_pocket',
  'profile',
  'drill',
  'dxf',
] as const);

/** Operation kinds of a normalised job (DXF resolved into contour pockets and profiles). */
export const NORMALIZED_OPERATION_KINDS = Object.freeze([
  'rosette',
  'circular_pocket',
  'rect_pocket',
  'profile',
  'contour_pocket',
  'drill',
] as const);

/** Size limits of a job: bound the work an untrusted job can make the authority do. */
export const JOB_LIMITS = Object.freeze({
  operations: 1000,
  rings: 200,
  drill_points: 10_000,
  /** Per contour, and in total over the job (DXF loops included). */
  contour_points: 100_000,
  /** DXF text size in UTF-8 bytes (16 MiB). */
  dxf_bytes: 16 * 1024 * 1024,
  /** Machine id, material id, DXF layer. */
  string_chars: 256,
});

/**
 * Top-level keys that carry a verdict; a client never supplies those (spec/rmos.md §11.3, RMOS
 * S1): the job parser refuses them, the server strips and reports them.
 */
export const CLIENT_VERDICT_KEYS: readonly string[] = Object.freeze([
  'feasibility',
  'safety',
  'decision',
  'risk_level',
  'score',
  'rules_triggered',
  'source',
]);

// The JSON schemas (the subset `wireProblem` reads). `additionalProperties: false` everywhere: an
// unknown key is refused, never dropped. What a schema cannot say (the machine's feed and rpm
// range, overlapping rings, contour area, DXF geometry) only the authority checks.
const num: WireSchema = { type: 'number' };
const positive: WireSchema = { type: 'number', exclusiveMinimum: 0 };
const nonNegative: WireSchema = { type: 'number', minimum: 0 };
const bool: WireSchema = { type: 'boolean' };
const text: WireSchema = { type: 'string', maxLength: JOB_LIMITS.string_chars };
const oneOf = (values: readonly string[]): WireSchema => ({ type: 'string', enum: values });
const nullable = (schema: WireSchema): WireSchema => ({ oneOf: [{ type: 'null' }, schema] });
const list = (items: WireSchema, minItems: number, maxItems: number): WireSchema => ({
  type: 'array',
  minItems,
  maxItems,
  items,
});

function object(
  properties: Record<string, WireSchema>,
  optional: readonly string[] = [],
): WireSchema {
  const required = Object.keys(properties).filter((k) => !optional.includes(k));
  return { type: 'object', additionalProperties: false, required, properties };
}

/**
 * The parts of a job. `sent` carries the value rules of the request edge; the normalised job read
 * back is checked for shape only (its values were checked when it was sent).
 */
function parts(sent: boolean) {
  const [pos, nonNeg, min1, min3] = sent ? [positive, nonNegative, 1, 3] : [num, num, 0, 0];
  const point = object({ x: num, y: num });
  const contour = list(point, min3, JOB_LIMITS.contour_points);
  return {
    tool: object({
      type: oneOf(TOOL_TYPES),
      diameter: pos,
      flutes: sent ? { type: 'integer', exclusiveMinimum: 0 } : num,
      flute_length: pos,
      stickout: pos,
    }),
    material: object({
      id: sent ? { ...text, minLength: 1 } : text,
      hardness: oneOf(MATERIAL_HARDNESSES),
      thickness: pos,
      resinous: bool,
    }),
    cutting: {
      stepover: sent ? { type: 'number', exclusiveMinimum: 0, maximum: 1 } : num,
      stepdown: pos,
      final_depth: pos,
      feed_xy: pos,
      feed_z: pos,
      rpm: pos,
      safe_z: pos,
      climb: bool,
    } satisfies Record<string, WireSchema>,
    stock: object({ x: num, y: num, width: pos, length: pos }),
    rosette: object({
      kind: oneOf(['rosette']),
      cx: num,
      cy: num,
      rings: list(object({ inner_radius: nonNeg, outer_radius: pos }), min1, JOB_LIMITS.rings),
    }),
    circular: object({ kind: oneOf(['circular_pocket']), cx: num, cy: num, radius: pos }),
    rect: {
      kind: oneOf(['rect_pocket']),
      x: num,
      y: num,
      width: pos,
      length: pos,
      corner_radius: nonNeg,
    },
    profile: object({ kind: oneOf(['profile']), contour, side: oneOf(PROFILE_SIDES) }),
    contour,
    drill: {
      kind: oneOf(['drill']),
      points: list(point, min1, JOB_LIMITS.drill_points),
      peck: pos,
    },
  };
}

const sent = parts(true);
const shown = parts(false);

/** The job a client sends (`POST /api/rmos/jobs {job}`), lengths in its `units`. */
export const CNC_JOB_SCHEMA: TypedSchema<CncJob> = object(
  {
    units: oneOf(UNITS),
    machine: text,
    tool: sent.tool,
    material: sent.material,
    cutting: object({ ...sent.cutting, coolant: bool }, ['coolant']),
    operations: list(
      {
        oneOf: [
          sent.rosette,
          sent.circular,
          object(sent.rect, ['corner_radius']),
          sent.profile,
          object(sent.drill, ['peck']),
          object(
            {
              kind: oneOf(['dxf']),
              dxf: { type: 'string' },
              layer: text,
              as: oneOf(DXF_AS),
              side: oneOf(PROFILE_SIDES),
            },
            ['layer', 'side'],
          ),
        ],
      },
      1,
      JOB_LIMITS.operations,
    ),
    stock: sent.stock,
  },
  ['stock'],
);

/** The normalised job the authority shows (millimetres, DXF resolved, every optional explicit). */
export const CNC_NORMALIZED_JOB_SCHEMA: TypedSchema<NormalizedJob> = object({
  units: oneOf(['mm']),
  machine: text,
  tool: shown.tool,
  material: shown.material,
  cutting: object({ ...shown.cutting, coolant: nullable(bool) }),
  operations: list(
    {
      oneOf: [
        shown.rosette,
        shown.circular,
        object(shown.rect),
        shown.profile,
        object({ kind: oneOf(['contour_pocket']), contour: shown.contour }),
        object({ ...shown.drill, peck: nullable(num) }),
      ],
    },
    0,
    // A DXF operation becomes one operation per loop.
    JOB_LIMITS.operations * JOB_LIMITS.rings,
  ),
  stock: nullable(shown.stock),
  layer: nullable(text),
});

/**
 * The override reason as one pattern: optional blanks, then `min..max` characters that start and
 * end with a non-blank, then optional blanks — the authority's trimmed-length rule. Compiled
 * without the `u` flag (the server's ajv too), so it counts UTF-16 units as `String.length` does.
 */
export const OVERRIDE_REASON_PATTERN = `^\\s*\\S[\\s\\S]{${OVERRIDE_REASON.min - 2},${OVERRIDE_REASON.max - 2}}\\S\\s*$`;

/**
 * The longest reason the edge lets through to the authority. Whether a reason is acceptable is the
 * authority's judgement ({@link overrideReasonAccepted}), made after the role and job checks so
 * that every refused attempt — a short reason from an agent included — is answered in that order
 * and recorded as a BLOCKED override run; the edge only bounds what it will carry.
 */
export const OVERRIDE_REASON_WIRE_MAX = 2 * OVERRIDE_REASON.max;

/** `POST /api/rmos/jobs/:id/override` (the shape; the reason rule is the authority's). */
export const CNC_OVERRIDE_BODY_SCHEMA: WireSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: { type: 'string', maxLength: OVERRIDE_REASON_WIRE_MAX },
    scope: { type: 'string', enum: [...OVERRIDE_SCOPES] },
    acknowledge_risk: bool,
  },
};

/** Whether the authority accepts `reason` as an override reason (its trimmed length in bounds). */
export function overrideReasonAccepted(reason: string): boolean {
  return new RegExp(OVERRIDE_REASON_PATTERN).test(reason);
}
