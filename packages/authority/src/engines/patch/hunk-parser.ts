/**
 * Hunk parsing: `@@ -a,b +c,d @@` headers and their body lines, strictly. The line counts in the
 * header must match the body exactly, and hunk positions must be ordered and consistent, so that
 * a hunk can only ever mean one thing.
 */
import { invalid } from './line-reader.js';
import type { LineReader } from './line-reader.js';
import type { Hunk, HunkLine } from './types.js';

/** The marker git writes after a line that has no final newline. */
export const NO_NEWLINE_MARKER = '\\ No newline at end of file';

const NUM = '(0|[1-9][0-9]{0,8})';
const HUNK_HEADER = new RegExp(`^@@ -${NUM}(?:,${NUM})? \\+${NUM}(?:,${NUM})? @@(?: [^]*)?$`);

/** 0-based index of the first line a side of a hunk covers (a count of 0 names the line before). */
export function sidePosition(start: number, count: number): number {
  return count > 0 ? start - 1 : start;
}

type MutableLine = { kind: HunkLine['kind']; text: string };

function parseHeader(line: string, index: number, path: string): Omit<Hunk, 'lines'> {
  const match = HUNK_HEADER.exec(line);
  if (match === null) throw invalid('hunk-header', index, 'malformed hunk header', path);
  const oldStart = Number(match[1]);
  const oldCount = match[2] === undefined ? 1 : Number(match[2]);
  const newStart = Number(match[3]);
  const newCount = match[4] === undefined ? 1 : Number(match[4]);
  if (oldCount === 0 && newCount === 0) throw invalid('hunk-empty', index, 'empty hunk', path);
  if ((oldCount > 0 && oldStart === 0) || (newCount > 0 && newStart === 0)) {
    throw invalid('hunk-header', index, 'hunk starts at line 0', path);
  }
  return { oldStart, oldCount, newStart, newCount };
}

/** Mark the previous line as having no final newline; the marker may follow a line only once. */
function markNoNewline(lines: MutableLine[], index: number, path: string): void {
  const last = lines.at(-1);
  if (last === undefined || !last.text.endsWith('\n')) {
    throw invalid('no-newline-marker', index, 'misplaced "\\ No newline" marker', path);
  }
  last.text = last.text.slice(0, -1);
}

/** The kind of a hunk body line, or null when it is not one. */
function lineKind(raw: string): HunkLine['kind'] | null {
  // A bare empty line is an empty context line whose leading space was stripped (as git apply).
  if (raw === '') return ' ';
  const first = raw.charAt(0);
  return first === ' ' || first === '-' || first === '+' ? first : null;
}

/** Read exactly the body lines the header announces (plus a trailing no-newline marker). */
function readBody(reader: LineReader, header: Omit<Hunk, 'lines'>, path: string): MutableLine[] {
  let oldLeft = header.oldCount;
  let newLeft = header.newCount;
  const lines: MutableLine[] = [];
  while (oldLeft > 0 || newLeft > 0) {
    const index = reader.position;
    if (reader.done) throw invalid('hunk-count', index, 'hunk is shorter than its header', path);
    const raw = reader.next();
    if (raw === NO_NEWLINE_MARKER) {
      markNoNewline(lines, index, path);
      continue;
    }
    const kind = lineKind(raw);
    const fitsOld = oldLeft > 0;
    const fitsNew = newLeft > 0;
    if (kind === ' ' && fitsOld && fitsNew) {
      oldLeft -= 1;
      newLeft -= 1;
    } else if (kind === '-' && fitsOld) {
      oldLeft -= 1;
    } else if (kind === '+' && fitsNew) {
      newLeft -= 1;
    } else {
      throw invalid('hunk-count', index, 'hunk body does not match its header counts', path);
    }
    lines.push({ kind, text: `${raw.slice(1)}\n` });
  }
  if (reader.peek() === NO_NEWLINE_MARKER) {
    markNoNewline(lines, reader.position, path);
    reader.next();
  }
  return lines;
}

/** A hunk with no '+' or '-' line changes nothing: refused rather than silently accepted. */
function checkChanges(lines: readonly HunkLine[], index: number, path: string): void {
  if (!lines.some((line) => line.kind !== ' ')) {
    throw invalid('hunk-no-change', index, 'hunk changes nothing', path);
  }
}

/**
 * A side that ended without a newline must end the file: nothing of that side may follow it,
 * in this hunk or a later one.
 */
function checkNoNewlinePlacement(hunks: readonly Hunk[], index: number, path: string): void {
  let oldEnded = false;
  let newEnded = false;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      const onOld = line.kind !== '+';
      const onNew = line.kind !== '-';
      if ((onOld && oldEnded) || (onNew && newEnded)) {
        throw invalid('no-newline-marker', index, 'lines follow a "\\ No newline" line', path);
      }
      const ended = !line.text.endsWith('\n');
      if (ended && onOld) oldEnded = true;
      if (ended && onNew) newEnded = true;
    }
  }
}

/**
 * Hunks must be ordered and not overlap on the old side, and each new-side position must be the
 * old-side position shifted by the line delta of the hunks before it.
 */
function checkPositions(hunks: readonly Hunk[], index: number, path: string): void {
  let oldEnd = 0;
  let delta = 0;
  for (const hunk of hunks) {
    const oldPos = sidePosition(hunk.oldStart, hunk.oldCount);
    const newPos = sidePosition(hunk.newStart, hunk.newCount);
    if (oldPos < oldEnd) throw invalid('hunk-order', index, 'hunks overlap or are unordered', path);
    if (newPos !== oldPos + delta) {
      throw invalid('hunk-position', index, 'hunk new-side position is inconsistent', path);
    }
    oldEnd = oldPos + hunk.oldCount;
    delta += hunk.newCount - hunk.oldCount;
  }
}

/** Parse every hunk at the reader's position (at least one). */
export function parseHunks(reader: LineReader, path: string): Hunk[] {
  const first = reader.position;
  const hunks: Hunk[] = [];
  while (reader.peek()?.startsWith('@@') === true) {
    const index = reader.position;
    const header = parseHeader(reader.next(), index, path);
    const lines = readBody(reader, header, path);
    checkChanges(lines, index, path);
    hunks.push({ ...header, lines });
  }
  if (hunks.length === 0) throw invalid('no-hunks', first, 'expected a hunk', path);
  checkNoNewlinePlacement(hunks, first, path);
  checkPositions(hunks, first, path);
  return hunks;
}
