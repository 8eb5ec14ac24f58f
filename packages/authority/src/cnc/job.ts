/**
 * The cnc job as the authority sees it: read back from the job artifact the engine wrote in
 * flight-plan, proven to be exactly the normalisation of what the client asked for, and assessed
 * by the authority's own feasibility computation (spec/rmos.md §3.2). Pure; never trusts the
 * engine's copy on its own.
 */
import {
  canonicalize,
  ClearanceError,
  hasCode,
  parseJsonStrict,
  type JsonObject,
} from '@clearance/protocol';
import {
  CNC_JOB_ARTIFACT_TYPE,
  evaluateFeasibility,
  FEASIBILITY_ENGINE_VERSION,
  feasibilityHash,
  feasibilityInputOf,
  jobHash,
  MAX_CONTOUR_POINTS,
  normalizeJob,
  parseJob,
  parseNormalizedJob,
  type FeasibilityOutcome,
  type NormalizedJob,
} from '@clearance/cnc';

/** The registry id of the built-in manufacturing engine. */
export const CNC_ENGINE_ID = 'cnc';

/** A job read back and checked. */
export interface CheckedJob {
  readonly job: NormalizedJob;
  readonly jobHash: string;
}

/** Why a job artifact was refused (policy ids under `cnc-feasibility/`). */
export type JobProblem =
  | { readonly rule: 'job-missing'; readonly reason: string }
  | { readonly rule: 'job-invalid'; readonly reason: string }
  | { readonly rule: 'job-mismatch'; readonly reason: string };

/** What the client asked for: `config.job`, parsed and normalised (CNC_JOB_INVALID otherwise). */
export function requestedJob(config: JsonObject): NormalizedJob {
  const keys = Object.keys(config);
  if (keys.length !== 1 || keys[0] !== 'job') {
    throw new ClearanceError('CNC_JOB_INVALID', 'a cnc request is exactly { "job": {...} }');
  }
  try {
    const job = normalizeJob(parseJob(config['job']));
    // The toolpath generators cut contours of at most MAX_CONTOUR_POINTS points: refuse a longer
    // DXF loop now rather than after approval, at take-off.
    job.operations.forEach((op, i) => {
      if ('contour' in op && op.contour.length > MAX_CONTOUR_POINTS) {
        throw new ClearanceError(
          'CNC_JOB_INVALID',
          `operation ${i}: contour has ${op.contour.length} points (at most ${MAX_CONTOUR_POINTS})`,
          { detail: { pointer: `/operations/${i}` } },
        );
      }
    });
    return job;
  } catch (err) {
    if (!hasCode(err)) throw err;
    throw new ClearanceError('CNC_JOB_INVALID', err.message, {
      cause: err,
      ...(err.detail === undefined ? {} : { detail: err.detail }),
    });
  }
}

/**
 * Check the engine's job artifact body against the request: it must parse as a normalized job
 * and be canonically identical to the authority's own normalisation of `config.job`.
 */
export function checkJobBody(
  bodyText: string | undefined,
  config: JsonObject,
): CheckedJob | JobProblem {
  if (bodyText === undefined) return { rule: 'job-missing', reason: 'job artifact has no body' };
  let job: NormalizedJob;
  try {
    job = parseNormalizedJob(parseJsonStrict(bodyText));
  } catch (err) {
    if (!hasCode(err)) throw err;
    return { rule: 'job-invalid', reason: `job artifact is not a normalized job: ${err.code}` };
  }
  let expected: NormalizedJob;
  try {
    expected = requestedJob(config);
  } catch (err) {
    if (!hasCode(err)) throw err;
    return { rule: 'job-invalid', reason: `the requested job is invalid: ${err.message}` };
  }
  if (canonicalize(job) !== canonicalize(expected)) {
    return { rule: 'job-mismatch', reason: 'job artifact differs from the requested job' };
  }
  return { job, jobHash: jobHash(job) };
}

/** Exactly one artifact of the job type, found by `type` among `items`. */
export function onlyJobArtifact<T extends { readonly artifact_type: string }>(
  items: readonly T[],
): T | JobProblem {
  const jobs = items.filter((a) => a.artifact_type === CNC_JOB_ARTIFACT_TYPE);
  const [only, ...rest] = jobs;
  if (only === undefined || rest.length > 0 || items.length !== 1) {
    return {
      rule: 'job-missing',
      reason: `a cnc plan holds exactly one ${CNC_JOB_ARTIFACT_TYPE} artifact (found ${jobs.length} of ${items.length})`,
    };
  }
  return only;
}

/** True for a {@link JobProblem}. */
export function isJobProblem(v: object): v is JobProblem {
  return 'rule' in v && 'reason' in v;
}

/**
 * The authority's feasibility of a job: never throws, never GREEN on error. A job the mapping
 * refuses is UNKNOWN; an unexpected failure is ERROR.
 */
export function assessJob(job: NormalizedJob): FeasibilityOutcome {
  try {
    return evaluateFeasibility(feasibilityInputOf(job));
  } catch (err) {
    const known = hasCode(err);
    const message = known ? err.message : 'feasibility evaluation failed';
    return {
      risk_level: known ? 'UNKNOWN' : 'ERROR',
      blocking: true,
      rules_triggered: [],
      blocking_reasons: [`feasibility could not be evaluated: ${message}`],
      warnings: [],
      constraints: [],
      engine_version: FEASIBILITY_ENGINE_VERSION,
      details: null,
      error: { code: known ? err.code : 'INTERNAL', message, pointer: null },
    };
  }
}

/** The feasibility hash of an assessment (timestamp-free, RFC 8785, domain-tagged). */
export function assessmentHash(outcome: FeasibilityOutcome): string {
  return feasibilityHash(outcome);
}
