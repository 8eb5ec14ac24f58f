/**
 * Flight-plan: plan the patch read-only, then write one artifact directory per file change into
 * ARTIFACTS_DIR. Everything is checked before the first artifact is written, so a refused patch
 * leaves no artifacts; the workspace is only ever read.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Hb } from '@clearance/protocol';
import type { EngineArtifact } from '@clearance/protocol';

import { checkArtifactsDir } from '../kit/input.js';
import type { EnginePaths } from '../kit/input.js';
import { ARTIFACT_FILE, BODY_FILE, buildArtifact, serializeArtifact } from './artifact-format.js';
import { planPatch } from './planner.js';
import type { Limits } from './types.js';

/** Plan `patch` against the workspace and write its artifacts; returns the receipt entries. */
export function runFlightPlan(paths: EnginePaths, patch: string, limits: Limits): EngineArtifact[] {
  checkArtifactsDir(paths);
  const planned = planPatch(paths.workspace, patch, limits);
  return planned.map((change): EngineArtifact => {
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
      hash: Hb(body),
      size: json.length + body.length,
    };
  });
}
