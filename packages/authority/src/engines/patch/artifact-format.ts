/**
 * The `file_change` artifact: building it, writing it as canonical JSON (the protocol's RFC 8785
 * canonicaliser), and reading it back strictly. Reading requires the bytes to equal the canonical
 * serialisation of what was parsed, which rejects duplicate keys, unknown keys, reordering and
 * any other variation.
 */
import { canonicalize, ClearanceError, isSha256Hex } from '@clearance/protocol';

import { isRecord } from '../kit/input.js';
import { PatchError } from './errors.js';
import type { ChangeAction, EvaluatedChange, GitMode } from './types.js';

export const ARTIFACT_TYPE = 'file_change';
export const ARTIFACT_MIME = 'text/x-diff';
export const BODY_FILE = 'body.data';
export const ARTIFACT_FILE = 'artifact.json';

/** `metadata` of a file_change artifact. */
export type FileChangeMetadata = {
  readonly path: string;
  readonly old_sha256: string | null;
  readonly new_sha256: string | null;
  readonly old_mode: GitMode | null;
  readonly new_mode: GitMode | null;
  readonly additions: number;
  readonly deletions: number;
};

/** The content of artifact.json (schema `Artifact`, no extra keys). */
export type FileChangeArtifact = {
  readonly artifact_type: typeof ARTIFACT_TYPE;
  readonly action: ChangeAction;
  readonly target: string;
  readonly mime: typeof ARTIFACT_MIME;
  readonly body_file: typeof BODY_FILE;
  readonly metadata: FileChangeMetadata;
};

/** The artifact describing one evaluated change. */
export function buildArtifact(change: EvaluatedChange): FileChangeArtifact {
  const { patch } = change;
  return {
    artifact_type: ARTIFACT_TYPE,
    action: patch.action,
    target: patch.path,
    mime: ARTIFACT_MIME,
    body_file: BODY_FILE,
    metadata: {
      path: patch.path,
      old_sha256: change.oldSha256,
      new_sha256: change.newSha256,
      old_mode: change.oldMode,
      new_mode: change.newMode,
      additions: patch.additions,
      deletions: patch.deletions,
    },
  };
}

/** The exact bytes of artifact.json for `artifact`. */
export function serializeArtifact(artifact: FileChangeArtifact): string {
  return canonicalize(artifact);
}

function bad(reason: string, why: string): PatchError {
  return new PatchError('ARTIFACT_INVALID', reason, `artifact.json: ${why}`);
}

function exactKeys(value: Record<string, unknown>, keys: readonly string[], what: string): void {
  const actual = Object.keys(value).sort();
  if (actual.join('\u0000') !== [...keys].sort().join('\u0000')) throw bad('keys', `${what} keys`);
}

function shaOrNull(value: unknown): string | null {
  if (value === null) return null;
  if (isSha256Hex(value)) return value;
  throw bad('metadata', 'sha256 must be lowercase hex or null');
}

function modeOrNull(value: unknown): GitMode | null {
  if (value === null || value === '100644' || value === '100755') return value;
  throw bad('metadata', 'mode must be 100644, 100755 or null');
}

function count(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw bad('metadata', 'additions/deletions must be non-negative integers');
}

function action(value: unknown): ChangeAction {
  if (value === 'create' || value === 'modify' || value === 'delete') return value;
  throw bad('action', 'action must be create, modify or delete');
}

function parseMetadata(value: unknown, act: ChangeAction): FileChangeMetadata {
  if (!isRecord(value)) throw bad('metadata', 'metadata must be an object');
  exactKeys(
    value,
    ['path', 'old_sha256', 'new_sha256', 'old_mode', 'new_mode', 'additions', 'deletions'],
    'metadata',
  );
  const path = value['path'];
  if (typeof path !== 'string') throw bad('metadata', 'metadata.path must be a string');
  const metadata = {
    path,
    old_sha256: shaOrNull(value['old_sha256']),
    new_sha256: shaOrNull(value['new_sha256']),
    old_mode: modeOrNull(value['old_mode']),
    new_mode: modeOrNull(value['new_mode']),
    additions: count(value['additions']),
    deletions: count(value['deletions']),
  };
  // The old side is null exactly for a create, the new side exactly for a delete.
  const hasOld = metadata.old_sha256 !== null;
  const hasNew = metadata.new_sha256 !== null;
  const consistent =
    hasOld === (metadata.old_mode !== null) &&
    hasNew === (metadata.new_mode !== null) &&
    hasOld === (act !== 'create') &&
    hasNew === (act !== 'delete');
  if (!consistent) throw bad('metadata', `metadata does not fit action ${act}`);
  return metadata;
}

/** Parse artifact.json bytes strictly: UTF-8, exact shape, and byte-identical re-serialisation. */
export function parseArtifact(bytes: Uint8Array): FileChangeArtifact {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (err) {
    throw new PatchError('ARTIFACT_INVALID', 'json', 'artifact.json is not UTF-8 JSON', {
      cause: err,
    });
  }
  if (!isRecord(value)) throw bad('json', 'not an object');
  exactKeys(
    value,
    ['artifact_type', 'action', 'target', 'mime', 'body_file', 'metadata'],
    'artifact',
  );
  const act = action(value['action']);
  const target = value['target'];
  if (
    value['artifact_type'] !== ARTIFACT_TYPE ||
    value['mime'] !== ARTIFACT_MIME ||
    value['body_file'] !== BODY_FILE
  ) {
    throw bad('type', 'not a file_change artifact with body.data');
  }
  const metadata = parseMetadata(value['metadata'], act);
  if (typeof target !== 'string' || target !== metadata.path)
    throw bad('target', 'target must equal metadata.path');
  const artifact: FileChangeArtifact = {
    artifact_type: ARTIFACT_TYPE,
    action: act,
    target,
    mime: ARTIFACT_MIME,
    body_file: BODY_FILE,
    metadata,
  };
  let canonical: string;
  try {
    canonical = serializeArtifact(artifact);
  } catch (err) {
    // A string the canonicaliser refuses (a lone surrogate) has no canonical form at all.
    if (!(err instanceof ClearanceError)) throw err;
    throw bad('not-canonical', 'not in canonical form');
  }
  if (canonical !== text) throw bad('not-canonical', 'not in canonical form');
  return artifact;
}
