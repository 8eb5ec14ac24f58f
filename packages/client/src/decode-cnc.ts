/** Decoders of the RMOS answers: job views, feasibility, releases, overrides. */
import {
  CNC_NORMALIZED_JOB_SCHEMA,
  conforms,
  RISK_LEVELS,
  wireProblem,
} from '@clearance/protocol/portable';
import type {
  FeasibilityCheck,
  FeasibilityCore,
  JobFeasibility,
  JobRelease,
  NormalizedJob,
  OverrideRecord,
  RuleInfo,
} from './cnc-types.js';
import { decodeDetails, decodeRun } from './decode.js';
import {
  bool,
  invalid,
  list,
  opt,
  optNum,
  optStr,
  record,
  str,
  strOrNull,
  strList,
  type UnknownRecord,
} from './json.js';
import type { JobView } from './types.js';

function oneOf<T extends string>(o: UnknownRecord, key: string, values: readonly T[]): T {
  const v = o[key];
  const found = values.find((x) => x === v);
  return found ?? invalid(key);
}

/** The normalised job of a job view: it must conform to the CNC wire contract's schema. */
export function decodeJob(value: unknown): NormalizedJob {
  if (conforms(CNC_NORMALIZED_JOB_SCHEMA, value)) return value;
  return invalid(`job${wireProblem(CNC_NORMALIZED_JOB_SCHEMA, value) ?? ''}`);
}

function decodeRule(value: unknown): RuleInfo {
  const o = record(value, 'rule');
  return {
    id: str(o, 'id'),
    level: str(o, 'level'),
    summary: str(o, 'summary'),
    explanation: str(o, 'explanation'),
    fix_hint: str(o, 'fix_hint'),
  };
}

function decodeCore(o: UnknownRecord): FeasibilityCore {
  return {
    risk_level: oneOf(o, 'risk_level', RISK_LEVELS),
    blocking: bool(o, 'blocking'),
    rules_triggered: strList(o, 'rules_triggered'),
    blocking_reasons: strList(o, 'blocking_reasons'),
    warnings: strList(o, 'warnings'),
    constraints: strList(o, 'constraints'),
    hash: str(o, 'hash'),
  };
}

/** POST /api/rmos/feasibility. */
export function decodeFeasibilityCheck(value: unknown): FeasibilityCheck {
  const o = record(value, 'feasibility');
  return {
    ...decodeCore(o),
    explanations: list(o, 'explanations', decodeRule),
    stripped: strList(o, 'stripped'),
    ...opt('job_hash', optStr(o, 'job_hash')),
  };
}

function decodeJobFeasibility(value: unknown): JobFeasibility {
  const o = record(value, 'feasibility');
  const e = record(o['explanation'], 'explanation');
  return {
    ...decodeCore(o),
    explanation: { summary: str(e, 'summary'), rules: list(e, 'rules', decodeRule) },
  };
}

function decodeRelease(value: unknown): JobRelease {
  const o = record(value, 'release');
  return {
    gcode_sha256: str(o, 'gcode_sha256'),
    gcode_url: str(o, 'gcode_url'),
    gcode_file: str(o, 'gcode_file'),
    preview_svg: str(o, 'preview_svg'),
    preview_sha256: str(o, 'preview_sha256'),
    toolpaths_sha256: str(o, 'toolpaths_sha256'),
    ...opt('gcode_lines', optNum(o, 'gcode_lines')),
  };
}

/** An override record. */
export function decodeOverride(value: unknown): OverrideRecord {
  const o = record(value, 'override');
  return {
    run_id: str(o, 'run_id'),
    workflow_id: str(o, 'workflow_id'),
    scope: str(o, 'scope'),
    original_risk: str(o, 'original_risk'),
    reason: str(o, 'reason'),
    supervisor: str(o, 'supervisor'),
    created_at: str(o, 'created_at'),
  };
}

function nullable<T>(value: unknown, decode: (v: unknown) => T): T | null {
  return value === undefined || value === null ? null : decode(value);
}

/** GET /api/rmos/jobs/{id}, POST /api/rmos/jobs. */
export function decodeJobView(value: unknown): JobView {
  const o = record(value, 'job view');
  return {
    workflow: decodeDetails(o['workflow']),
    job: nullable(o['job'], decodeJob),
    job_hash: strOrNull(o, 'job_hash'),
    feasibility: nullable(o['feasibility'], decodeJobFeasibility),
    override: nullable(o['override'], decodeOverride),
    runs: list(o, 'runs', decodeRun),
    release: nullable(o['release'], decodeRelease),
    ...opt('stripped', o['stripped'] === undefined ? undefined : strList(o, 'stripped')),
  };
}
