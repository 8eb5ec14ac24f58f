/**
 * Flight-plan planning: the whole patch checked against the workspace, in memory. Nothing is
 * written; either every file change is valid or the first refusal is thrown.
 */
import { PatchError } from './errors.js';
import { evaluateChange } from './evaluate.js';
import { parsePatch } from './diff-parser.js';
import type { EvaluatedChange, Limits } from './types.js';

/** Artifact name of the n-th (1-based) change: change-0001, change-0002, … */
export function changeName(ordinal: number): string {
  return `change-${String(ordinal).padStart(4, '0')}`;
}

/** A planned change with its artifact name. */
export type PlannedChange = EvaluatedChange & { readonly name: string };

/** Parse `patch`, check it against `workspace` and compute every resulting file. */
export function planPatch(workspace: string, patch: string, limits: Limits): PlannedChange[] {
  if (Buffer.byteLength(patch, 'utf8') > limits.maxPatchBytes) {
    throw new PatchError('PATCH_TOO_LARGE', 'patch-too-large', 'patch exceeds max_patch_bytes');
  }
  return parsePatch(patch).map((file, index) => ({
    ...evaluateChange(workspace, file, limits),
    name: changeName(index + 1),
  }));
}
