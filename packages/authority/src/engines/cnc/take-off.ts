/**
 * Take-off: read the approved job artifact (the restored read-only copy), check it was planned
 * for this very request, generate toolpaths and G-code, validate the program, and only when it
 * passes write exactly three files to the output directory. The workspace is never touched.
 */
import { lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { CNC_ENGINE_VERSION, cncRequestHash, manufactureJob } from '@clearance/cnc';
import type { ManufactureResult } from '@clearance/cnc';

import { readJobArtifact } from './artifact.js';
import { refusal } from '../kit/errors.js';
import { gcodeRefusal } from './errors.js';
import type { CncInput } from './input.js';

/** File names take-off writes besides the G-code file. */
export const TOOLPATHS_FILE = 'toolpaths.json';
export const PREVIEW_FILE = 'preview.svg';

function checkOutputDir(dir: string): void {
  let empty = false;
  try {
    empty = lstatSync(dir).isDirectory() && readdirSync(dir).length === 0;
  } catch {
    // Reported below: a missing output directory is refused like a non-empty one.
  }
  if (!empty)
    refusal('VALIDATION_FAILED', 'output-dir', 'output directory is not an empty directory');
}

/**
 * Manufacture the approved job into `outputDir`; returns the result. Refused: an artifact that
 * does not parse or does not match (ARTIFACT_INVALID / ARTIFACT_INTEGRITY), a request other than
 * the planned one (ARTIFACT_INTEGRITY), and a program the validator rejects (VALIDATION_FAILED
 * listing the issue codes; nothing written).
 */
export function runTakeOff(
  artifactsDir: string,
  outputDir: string,
  input: CncInput,
): ManufactureResult {
  const { job, metadata } = readJobArtifact(artifactsDir);
  const requestHash = cncRequestHash(input.job);
  if (metadata.request_hash !== requestHash) {
    refusal(
      'ARTIFACT_INTEGRITY',
      'request-mismatch',
      'the job artifact was planned for another request',
    );
  }
  const result = manufactureJob(job, {
    workflow_id: input.workflowId,
    request_hash: requestHash,
    engine_version: CNC_ENGINE_VERSION,
  });
  if (!result.validation.ok) {
    const codes = [...new Set(result.validation.issues.map((i) => i.code))].sort();
    throw gcodeRefusal(codes);
  }
  checkOutputDir(outputDir);
  const files: readonly [string, string][] = [
    [result.gcode_file, result.gcode],
    [TOOLPATHS_FILE, result.toolpaths_json],
    [PREVIEW_FILE, result.preview_svg],
  ];
  for (const [name, text] of files) {
    writeFileSync(join(outputDir, name), text, { flag: 'wx', mode: 0o644 });
  }
  return result;
}
