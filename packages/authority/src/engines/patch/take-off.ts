/**
 * Take-off: apply exactly the approved artifacts. Each artifact.json is parsed strictly, its
 * body.data re-parsed and matched against it, and the change re-evaluated against the CURRENT
 * workspace (path policy again, old content and mode as planned, new content as planned). Only
 * when every artifact passes is anything written.
 */
import { parseArtifact } from './artifact-format.js';
import type { FileChangeArtifact } from './artifact-format.js';
import { readArtifacts } from './artifact-reader.js';
import type { ArtifactFiles } from './artifact-reader.js';
import { parsePatch } from './diff-parser.js';
import { PatchError } from './errors.js';
import { evaluateChange } from './evaluate.js';
import { applyChanges } from './applier.js';
import type { ApplyChange } from './applier.js';
import { checkTargetSet } from './path-policy.js';
import type { FilePatch, Limits } from './types.js';

function integrity(name: string, why: string): PatchError {
  return new PatchError('ARTIFACT_INTEGRITY', 'mismatch', `${name}: ${why}`);
}

/** The single file patch in a body, which must describe exactly what artifact.json says. */
function bodyPatch(files: ArtifactFiles, artifact: FileChangeArtifact): FilePatch {
  let parsed: FilePatch[];
  try {
    parsed = parsePatch(new TextDecoder('utf-8', { fatal: true }).decode(files.body));
  } catch (err) {
    throw new PatchError('ARTIFACT_INTEGRITY', 'body', `${files.name}: body.data does not parse`, {
      cause: err,
    });
  }
  const [patch, ...rest] = parsed;
  if (patch === undefined || rest.length > 0)
    throw integrity(files.name, 'body must hold one file');
  const { metadata } = artifact;
  const same =
    patch.path === metadata.path &&
    patch.action === artifact.action &&
    patch.additions === metadata.additions &&
    patch.deletions === metadata.deletions;
  if (!same) throw integrity(files.name, 'body.data does not match artifact.json');
  return patch;
}

function verifyOne(workspace: string, files: ArtifactFiles, limits: Limits): ApplyChange {
  const artifact = parseArtifact(files.json);
  const patch = bodyPatch(files, artifact);
  const { metadata } = artifact;
  const expected = { oldSha256: metadata.old_sha256, oldMode: metadata.old_mode };
  const change = evaluateChange(workspace, patch, limits, expected);
  if (change.newSha256 !== metadata.new_sha256 || change.newMode !== metadata.new_mode) {
    throw integrity(files.name, 'result differs from the approved new_sha256/new_mode');
  }
  return {
    name: files.name,
    path: patch.path,
    action: patch.action,
    newContent: change.newContent,
    newMode: change.newMode,
    newSha256: change.newSha256,
  };
}

/** Verify every approved artifact against the workspace, then apply them all; returns the count. */
export function runTakeOff(workspace: string, artifactsDir: string, limits: Limits): number {
  const artifacts = readArtifacts(artifactsDir, limits.maxPatchBytes);
  const changes = artifacts.map((files) => verifyOne(workspace, files, limits));
  checkTargetSet(changes.map((change) => change.path));
  applyChanges(workspace, changes);
  return changes.length;
}
