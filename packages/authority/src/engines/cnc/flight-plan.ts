/**
 * Flight-plan: parse and normalize the client job, then write ONE artifact, `job` (the canonical
 * normalized job). No toolpaths: those are generated only in take-off, after approval. The
 * workspace is never touched; ARTIFACTS_DIR must be fresh, empty and outside the workspace.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';

import { cncRequestHash, normalizeJob, parseJob } from '@clearance/cnc';
import type { EngineArtifact } from '@clearance/protocol';

import { writeJobArtifact } from './artifact.js';
import { refusal } from './errors.js';
import type { CncInput, EnginePaths } from './input.js';

/** True when `inner` is `outer` or lies below it (after resolving symlinks). */
function isWithin(outer: string, inner: string): boolean {
  const rel = relative(realpathSync(outer), realpathSync(inner));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** ARTIFACTS_DIR must be a fresh, empty directory outside the workspace (ORCH-1, ENG-2). */
function checkArtifactsDir(paths: EnginePaths): void {
  if (isWithin(paths.workspace, paths.artifactsDir)) {
    refusal('VALIDATION_FAILED', 'artifacts-dir', 'ARTIFACTS_DIR is in the workspace');
  }
  if (readdirSync(paths.artifactsDir).length !== 0) {
    refusal('VALIDATION_FAILED', 'artifacts-dir', 'ARTIFACTS_DIR is not empty');
  }
}

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
