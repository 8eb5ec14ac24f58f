/**
 * Unified-diff parser, strict by design. Accepted, per file section:
 * - git style: `diff --git a/P b/P`, then any of `old mode`/`new mode`, `new file mode`,
 *   `deleted file mode`, `index`, then `--- a/P|/dev/null`, `+++ b/P|/dev/null` and hunks (or no
 *   hunks for a mode-only change or an empty file's create/delete);
 * - plain style: `--- a/P|/dev/null` (anything after a TAB is a timestamp), `+++ b/P|/dev/null`, hunks.
 * Refused: text outside a section, renames and copies, binary patches, quoted (C-escaped) paths,
 * paths without the a/ b/ prefixes, modes other than 100644/100755, inconsistent headers, and every
 * hunk irregularity (see hunk-parser.ts). The patch's sections concatenate back to the patch.
 */
import { PatchError } from './errors.js';
import { parseHunks } from './hunk-parser.js';
import { invalid, LineReader } from './line-reader.js';
import { checkPathSyntax, checkTargetSet } from './path-policy.js';
import type { ChangeAction, FilePatch, GitMode, Hunk } from './types.js';

/** Hard cap on the number of files one patch may change. */
export const MAX_FILES = 1000;

const DEV_NULL = '/dev/null';
const GIT_HEADER = 'diff --git ';
const REFUSED_GIT_HEADERS = [
  'similarity index ',
  'dissimilarity index ',
  'rename from ',
  'rename to ',
  'copy from ',
  'copy to ',
];
const INDEX_LINE = /^index [0-9a-f]{4,64}\.\.[0-9a-f]{4,64}(?: ([0-9]{6}))?$/;

function isBinaryMarker(line: string): boolean {
  return line === 'GIT binary patch' || line.startsWith('Binary files ');
}

/** Accept only regular-file modes; a symlink mode could point anywhere, a gitlink is a repo. */
export function parseMode(text: string, index: number, path: string): GitMode {
  if (text === '100644' || text === '100755') return text;
  if (text === '120000') {
    throw new PatchError('PATCH_ESCAPES_WORKSPACE', 'symlink-mode', `${path}: symlink mode`, {
      path,
    });
  }
  if (text === '160000') throw invalid('gitlink-mode', index, 'gitlink (submodule) mode', path);
  throw invalid('mode', index, `unsupported mode ${JSON.stringify(text)}`, path);
}

/** The path in `diff --git a/P b/P`: both sides must name the same path (no renames). */
function parseGitHeaderPath(rest: string, index: number): string {
  if (rest.startsWith('"')) throw invalid('quoted-path', index, 'quoted paths are not supported');
  const half = (rest.length - 5) / 2;
  const path = rest.slice(2, 2 + half);
  if (!Number.isInteger(half) || half < 1 || rest !== `a/${path} b/${path}`) {
    throw invalid('header-path', index, 'malformed diff --git header (renames are not supported)');
  }
  checkPathSyntax(path);
  return path;
}

/** The path of a `---`/`+++` label: /dev/null (null) or `<prefix>P`; a TAB starts a timestamp. */
function parseLabel(line: string, marker: string, prefix: string, index: number): string | null {
  if (!line.startsWith(marker)) throw invalid('file-header', index, `expected "${marker}"`);
  const label = line.slice(marker.length).split('\t')[0] ?? '';
  if (label === DEV_NULL) return null;
  if (label.startsWith('"')) throw invalid('quoted-path', index, 'quoted paths are not supported');
  if (!label.startsWith(prefix)) throw invalid('path-prefix', index, `path must start ${prefix}`);
  const path = label.slice(prefix.length);
  checkPathSyntax(path);
  return path;
}

type Labels = { readonly oldPath: string | null; readonly newPath: string | null };

function parseLabels(reader: LineReader): Labels {
  const index = reader.position;
  const oldPath = parseLabel(reader.next(), '--- ', 'a/', index);
  const newPath = parseLabel(reader.next(), '+++ ', 'b/', index + 1);
  if (oldPath === null && newPath === null) throw invalid('file-header', index, 'both /dev/null');
  if (oldPath !== null && newPath !== null && oldPath !== newPath) {
    throw invalid('rename-unsupported', index, 'renames are not supported', newPath);
  }
  return { oldPath, newPath };
}

function actionOf(labels: Labels): ChangeAction {
  if (labels.oldPath === null) return 'create';
  return labels.newPath === null ? 'delete' : 'modify';
}

function counts(hunks: readonly Hunk[]): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const line of hunks.flatMap((hunk) => hunk.lines)) {
    if (line.kind === '+') additions += 1;
    if (line.kind === '-') deletions += 1;
  }
  return { additions, deletions };
}

function parsePlainSection(reader: LineReader): Omit<FilePatch, 'section'> {
  const labels = parseLabels(reader);
  const path = labels.newPath ?? labels.oldPath ?? '';
  const hunks = parseHunks(reader, path);
  return { path, action: actionOf(labels), oldMode: null, newMode: null, hunks, ...counts(hunks) };
}

/** Extended header lines of a git section; each may appear at most once. */
type HeaderKey = 'old' | 'new' | 'created' | 'deleted' | 'index';
type GitHeaders = ReadonlyMap<HeaderKey, GitMode | null>;

const MODE_HEADERS: readonly (readonly [string, HeaderKey])[] = [
  ['old mode ', 'old'],
  ['new mode ', 'new'],
  ['new file mode ', 'created'],
  ['deleted file mode ', 'deleted'],
];

/** One extended header line as [key, mode], or null when the line is not a header line. */
function parseGitHeader(
  line: string,
  index: number,
  path: string,
): [HeaderKey, GitMode | null] | null {
  const known = MODE_HEADERS.find(([prefix]) => line.startsWith(prefix));
  if (known !== undefined) return [known[1], parseMode(line.slice(known[0].length), index, path)];
  if (line.startsWith('index ')) {
    const match = INDEX_LINE.exec(line);
    if (match === null) throw invalid('index-line', index, 'malformed index line', path);
    return ['index', match[1] === undefined ? null : parseMode(match[1], index, path)];
  }
  if (REFUSED_GIT_HEADERS.some((prefix) => line.startsWith(prefix))) {
    throw invalid('rename-unsupported', index, 'renames and copies are not supported', path);
  }
  if (isBinaryMarker(line))
    throw invalid('binary', index, 'binary patches are not supported', path);
  return null;
}

function readGitHeaders(reader: LineReader, path: string): GitHeaders {
  const headers = new Map<HeaderKey, GitMode | null>();
  for (let line = reader.peek(); line !== null; line = reader.peek()) {
    const index = reader.position;
    const header = parseGitHeader(line, index, path);
    if (header === null) break;
    if (headers.has(header[0])) throw invalid('git-header', index, 'repeated header line', path);
    headers.set(header[0], header[1]);
    reader.next();
  }
  return headers;
}

type Shape = Pick<FilePatch, 'action' | 'oldMode' | 'newMode'>;

/** Action and modes from the extended headers; any inconsistent combination is refused. */
function gitShape(headers: GitHeaders, index: number, path: string): Shape {
  const bad = (why: string): PatchError => invalid('git-header', index, why, path);
  const created = headers.get('created');
  const deleted = headers.get('deleted');
  const oldMode = headers.get('old');
  const newMode = headers.get('new');
  const indexMode = headers.get('index') ?? null;
  const modeChange = oldMode !== undefined || newMode !== undefined;
  if (created !== undefined && deleted !== undefined) throw bad('both created and deleted');
  if ((created !== undefined || deleted !== undefined) && (modeChange || indexMode !== null)) {
    throw bad('mode headers conflict with a create or delete');
  }
  if (created !== undefined) return { action: 'create', oldMode: null, newMode: created };
  if (deleted !== undefined) return { action: 'delete', oldMode: deleted, newMode: null };
  if (!modeChange) return { action: 'modify', oldMode: indexMode, newMode: indexMode };
  if (!oldMode || !newMode || oldMode === newMode || indexMode !== null) {
    throw bad('old mode and new mode must both be given and differ');
  }
  return { action: 'modify', oldMode, newMode };
}

/** The ---/+++ labels of a git section must agree with its header path and its action. */
function checkLabels(labels: Labels, shape: Shape, index: number, path: string): void {
  const expectOld = shape.action === 'create' ? null : path;
  const expectNew = shape.action === 'delete' ? null : path;
  if (labels.oldPath !== expectOld || labels.newPath !== expectNew) {
    throw invalid('file-header', index, '---/+++ do not match the diff --git header', path);
  }
}

function parseGitSection(reader: LineReader): Omit<FilePatch, 'section'> {
  const index = reader.position;
  const path = parseGitHeaderPath(reader.next().slice(GIT_HEADER.length), index);
  const shape = gitShape(readGitHeaders(reader, path), index, path);
  if (reader.peek()?.startsWith('--- ') !== true) {
    // No hunks: only a mode change, or creating/deleting an empty file, needs none.
    if (shape.action === 'modify' && shape.oldMode === shape.newMode) {
      throw invalid('empty-change', index, 'section changes nothing', path);
    }
    return { path, ...shape, hunks: [], additions: 0, deletions: 0 };
  }
  checkLabels(parseLabels(reader), shape, reader.position - 2, path);
  const hunks = parseHunks(reader, path);
  return { path, ...shape, hunks, ...counts(hunks) };
}

/** Refuse the patch as a whole before looking at its lines. */
function checkText(text: string): void {
  if (text.length === 0) throw invalid('empty', 0, 'patch is empty');
  if (text.includes('\u0000')) throw invalid('binary', 0, 'patch contains NUL bytes');
  if (!text.endsWith('\n')) throw invalid('no-final-newline', 0, 'patch must end with a newline');
}

/**
 * Parse a whole unified diff into one FilePatch per file, in patch order. Refuses more than
 * `maxFiles` files, the same target twice and targets nested under one another.
 */
export function parsePatch(text: string, maxFiles: number = MAX_FILES): FilePatch[] {
  checkText(text);
  const reader = new LineReader(text);
  const files: FilePatch[] = [];
  while (!reader.done) {
    const start = reader.position;
    const line = reader.peek() ?? '';
    let parsed: Omit<FilePatch, 'section'>;
    if (line.startsWith(GIT_HEADER)) parsed = parseGitSection(reader);
    else if (line.startsWith('--- ')) parsed = parsePlainSection(reader);
    else if (isBinaryMarker(line))
      throw invalid('binary', start, 'binary patches are not supported');
    else throw invalid('unexpected-line', start, 'not part of a file section');
    files.push({ ...parsed, section: reader.slice(start, reader.position) });
    if (files.length > maxFiles) {
      throw new PatchError('PATCH_TOO_LARGE', 'too-many-files', `more than ${maxFiles} files`);
    }
  }
  checkTargetSet(files.map((file) => file.path));
  return files;
}
