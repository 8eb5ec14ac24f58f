/**
 * Flight-plan: parse and normalize the client job, then write ONE artifact, `job` (the canonical
 * normalized job). No toolpaths: those are generated only in take-off, after approval. The
 * workspace is never touched; ARTIFACTS_DIR must be fresh, empty and outside the workspace.
 */
import { cncRequestHash, normalizeJob, parseJob } from '@clearance/cnc';
import type { EngineArtifact } from '@clearance/protocol';

import { checkArtifactsDir } from '../kit/input.js';
import type { EnginePaths } from '../kit/input.js';
import { writeJobArtifact } from './artifact.js';
import type { CncInput } from './input.js';

/** Normalize the job and write the job artifact; returns its receipt entry and operation count. */
export function runFlightPlan(
  paths: EnginePaths,
  input: CncInput,
): { artifact: EngineArtifact; operations: number } {
  checkArtifactsDir(paths);
  // parseJob/normalizeJob throw VALIDATION_FAILED with a JSON pointer for an invalid job.
  const job = normalizeJob(parseJob(input.job));
  const artifact = writeJobArtifact(paths.artifactsDir, job, cncRequestHash(input.job));
  return { artifact, operations: job.operations.length };
}
