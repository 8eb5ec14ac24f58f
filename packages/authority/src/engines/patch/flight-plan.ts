/**
 * Flight-plan: plan the patch read-only, then write one artifact directory per file change into
 * ARTIFACTS_DIR. Everything is checked before the first artifact is written, so a refused patch
 * leaves no artifacts; the workspace is only ever read.
 */
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import { ARTIFACT_FILE, BODY_FILE, buildArtifact, serializeArtifact } from './artifact-format.js';
import { PatchError } from './errors.js';
import { sha256Hex } from './hash.js';
import type { EnginePaths } from './input.js';
import { planPatch } from './planner.js';
import type { ReceiptArtifact } from './receipt.js';
import type { Limits } from './types.js';

/** True when `inner` is `outer` or lies below it (after resolving symlinks). */
function isWithin(outer: string, inner: string): boolean {
  const rel = relative(realpathSync(outer), realpathSync(inner));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** ARTIFACTS_DIR must be a fresh, empty directory outside the workspace (ORCH-1, ENG-2). */
function checkArtifactsDir(paths: EnginePaths): void {
  if (isWithin(paths.workspace, paths.artifactsDir)) {
    throw new PatchError('VALIDATION_FAILED', 'artifacts-dir', 'ARTIFACTS_DIR is in the workspace');
  }
  if (readdirSync(paths.artifactsDir).length !== 0) {
    throw new PatchError('VALIDATION_FAILED', 'artifacts-dir', 'ARTIFACTS_DIR is not empty');
  }
}

/** Plan `patch` against the workspace and write its artifacts; returns the receipt entries. */
export function runFlightPlan(
  paths: EnginePaths,
  patch: string,
  limits: Limits,
): ReceiptArtifact[] {
  checkArtifactsDir(paths);
  const planned = planPatch(paths.workspace, patch, limits);
  return planned.map((change) => {
    const json = Buffer.from(serializeArtifact(buildArtifact(change)), 'utf8');
    const body = Buffer.from(change.patch.section, 'utf8');
    const dir = join(paths.artifactsDir, change.name);
    mkdirSync(dir, { mode: 0o755 });
    // 'wx': never follow or reuse anything already there.
    writeFileSync(join(dir, ARTIFACT_FILE), json, { flag: 'wx', mode: 0o644 });
    writeFileSync(join(dir, BODY_FILE), body, { flag: 'wx', mode: 0o644 });
    return {
      name: change.name,
      role: 'evidence',
      path: change.name,
      hash: sha256Hex(body),
      size: json.length + body.length,
    };
  });
}
