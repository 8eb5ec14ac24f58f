/**
 * Reading one artifact directory `<name>/` (artifact.json plus an optional body.data) from a
 * directory the authority does not trust: an engine's ARTIFACTS_DIR or a restored copy.
 * Shared by collection (§4.2.2) and by re-hashing a restored copy (§4.2.4 V4/V5).
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, parseJsonStrict, validate } from '@clearance/protocol';
import type { Artifact, ErrorCode, JsonValue } from '@clearance/protocol';
import { artifactError, readConfinedFile } from './safe-read.js';

/** The metadata file of every artifact. */
export const ARTIFACT_JSON = 'artifact.json';
/** The only accepted `body_file` value and body file name (artifact.md §2). */
export const BODY_DATA = 'body.data';

const MAX_META_DEPTH = 64;
const nameDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Byte caps for one artifact read. */
export interface ReadCaps {
  /** Most bytes of artifact.json. */
  readonly metaBytes: number;
  /** Most bytes of artifact.json and body.data together. */
  readonly artifactBytes: number;
}

/** The bytes and parsed metadata of one artifact directory. */
export interface ArtifactFiles {
  readonly artifact: Artifact;
  readonly metaBytes: Buffer;
  readonly body: Buffer | null;
}

function isArtifact(value: unknown): value is Artifact {
  return validate('Artifact', value).ok;
}

/**
 * Parse artifact.json strictly (duplicate keys, lone surrogates and unsafe integers fail), validate
 * it as `#/definitions/Artifact` (an extra field such as `role` fails, G-1) and apply the body
 * rules: `body` and `body_file` are exclusive (G-45) and `body_file` must be exactly `body.data`.
 */
export function parseArtifactJson(bytes: Uint8Array, name: string, code: ErrorCode): Artifact {
  let value: JsonValue;
  try {
    value = parseJsonStrict(bytes, { maxLength: bytes.length, maxDepth: MAX_META_DEPTH });
  } catch (cause) {
    if (!(cause instanceof ClearanceError)) throw cause;
    return artifactError(code, name, 'json', 'artifact.json is not strict JSON', cause);
  }
  if (!isArtifact(value)) {
    return artifactError(code, name, 'schema', 'artifact.json is not an Artifact');
  }
  if (value.body_file !== undefined && Object.hasOwn(value, 'body')) {
    artifactError(code, name, 'body-and-body-file', 'both body and body_file');
  }
  if (value.body_file !== undefined && value.body_file !== BODY_DATA) {
    artifactError(code, name, 'body-file', `body_file must be "${BODY_DATA}"`);
  }
  return value;
}

/** File names in `dir`, decoded; a name that is not UTF-8 fails with `code`. */
export async function listNames(dir: string, name: string, code: ErrorCode): Promise<string[]> {
  const raw = await readdir(dir, { encoding: 'buffer' }).catch((cause: unknown) =>
    artifactError(code, name, 'unreadable', 'directory cannot be listed', cause),
  );
  return raw.map((r) => {
    try {
      return nameDecoder.decode(r);
    } catch (cause) {
      return artifactError(code, name, 'bad-name', 'file name is not UTF-8', cause);
    }
  });
}

/**
 * Read `<dir>` (the directory of artifact `name`, already checked to be a real directory):
 * exactly artifact.json, plus body.data iff `body_file` is set; both regular files within `caps`.
 */
export async function readArtifactFiles(
  dir: string,
  name: string,
  caps: ReadCaps,
  code: ErrorCode,
): Promise<ArtifactFiles> {
  const fail = (reason: string, message: string): never =>
    artifactError(code, name, reason, message);
  const files = await listNames(dir, name, code);
  for (const file of files) {
    if (file !== ARTIFACT_JSON && file !== BODY_DATA) fail('unexpected-file', 'unexpected file');
    const st = await lstat(join(dir, file)).catch(() =>
      fail('unreadable', `${file} is unreadable`),
    );
    if (!st.isFile()) fail('not-regular-file', `${file} is not a regular file`);
  }
  if (!files.includes(ARTIFACT_JSON)) fail('missing-artifact-json', 'artifact.json is missing');
  const metaCap = Math.min(caps.metaBytes, caps.artifactBytes);
  const metaBytes = await readConfinedFile(join(dir, ARTIFACT_JSON), metaCap, { code, name });
  const artifact = parseArtifactJson(metaBytes, name, code);
  const wantsBody = artifact.body_file !== undefined;
  if (wantsBody !== files.includes(BODY_DATA)) {
    fail('body-mismatch', wantsBody ? 'body.data is missing' : 'body.data is not declared');
  }
  const body = wantsBody
    ? await readConfinedFile(join(dir, BODY_DATA), caps.artifactBytes - metaBytes.length, {
        code,
        name,
      })
    : null;
  return { artifact, metaBytes, body };
}
