/**
 * The browser-safe face of @clearance/protocol (no `node:` imports, no schema file): what the
 * client and the console share with the authority without pulling in Node-only code — the hash
 * domain registry and the CNC wire contract. Everything here is also on the main face.
 */
export { HASH_DOMAINS } from './hash-domains.js';
export type { HashDomain, HashDomainName } from './hash-domains.js';
export {
  CLIENT_VERDICT_KEYS,
  CNC_JOB_SCHEMA,
  CNC_NORMALIZED_JOB_SCHEMA,
  CNC_OVERRIDE_BODY_SCHEMA,
  conforms,
  DXF_AS,
  JOB_LIMITS,
  MATERIAL_HARDNESSES,
  NORMALIZED_OPERATION_KINDS,
  OPERATION_KINDS,
  OVERRIDE_REASON,
  OVERRIDE_REASON_PATTERN,
  OVERRIDE_REASON_WIRE_MAX,
  OVERRIDE_SCOPES,
  overrideReasonAccepted,
  PROFILE_SIDES,
  RISK_LEVELS,
  TOOL_TYPES,
  UNITS,
  wireProblem,
} from './cnc-wire.js';
export type {
  CircularPocketOperation,
  CncJob,
  ContourPocketOperation,
  DrillOperation,
  DxfOperation,
  JobCutting,
  JobMaterial,
  JobOperation,
  JobStock,
  JobTool,
  MaterialHardness,
  NormalizedJob,
  NormalizedOperation,
  OverrideScope,
  Point2,
  ProfileOperation,
  ProfileSide,
  RectPocketOperation,
  RiskLevel,
  RosetteOperation,
  RosetteRing,
} from './cnc-wire-types.js';
export type { TypedSchema, WireSchema } from './cnc-wire.js';
export { STATES } from './types/orchestrator.js';
