/**
 * Apply parsed hunks to file bytes, exactly: every context and removed line must equal the file's
 * line at the position the header states, byte for byte (no fuzz, no offset search, no whitespace
 * leniency). Pure: bytes in, bytes out.
 */
import { PatchError } from './errors.js';
import { sidePosition } from './hunk-parser.js';
import type { Hunk } from './types.js';

const NEWLINE = 0x0a;

/** Split bytes into lines, each keeping its '\n' (the last one may lack it). */
export function splitLines(content: Uint8Array): Buffer[] {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const lines: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    const stop = end === -1 ? bytes.length : end + 1;
    lines.push(bytes.subarray(start, stop));
    start = stop;
  }
  return lines;
}

/** Append lines [from, to) one by one (a spread could exceed the call-argument limit). */
function copyLines(lines: readonly Buffer[], from: number, to: number, out: Buffer[]): void {
  for (let i = from; i < to; i += 1) {
    const line = lines[i];
    if (line !== undefined) out.push(line);
  }
}

function mismatch(path: string, line: number, why: string): PatchError {
  return new PatchError('PATCH_DOES_NOT_APPLY', 'context-mismatch', `${path}:${line}: ${why}`, {
    path,
  });
}

/**
 * The content that results from applying `hunks` to `old`. Refuses (PATCH_DOES_NOT_APPLY) when a
 * hunk lies beyond the file, when any context or removed line differs from the file, and when the
 * result would have a line without '\n' anywhere but at its end.
 */
export function applyHunks(path: string, old: Uint8Array, hunks: readonly Hunk[]): Buffer {
  const oldLines = splitLines(old);
  const out: Buffer[] = [];
  let cursor = 0;
  for (const hunk of hunks) {
    const position = sidePosition(hunk.oldStart, hunk.oldCount);
    if (position > oldLines.length) throw mismatch(path, position, 'hunk starts past the end');
    copyLines(oldLines, cursor, position, out);
    cursor = position;
    for (const line of hunk.lines) {
      const bytes = Buffer.from(line.text, 'utf8');
      if (line.kind === '+') {
        out.push(bytes);
        continue;
      }
      const actual = oldLines[cursor];
      if (actual === undefined || !actual.equals(bytes)) {
        throw mismatch(
          path,
          cursor + 1,
          `${line.kind === '-' ? 'removed' : 'context'} line differs`,
        );
      }
      if (line.kind === ' ') out.push(actual);
      cursor += 1;
    }
  }
  copyLines(oldLines, cursor, oldLines.length, out);
  out.slice(0, -1).forEach((line, index) => {
    if (line.at(-1) !== NEWLINE)
      throw mismatch(path, index + 1, 'a line without newline is not last');
  });
  return Buffer.concat(out);
}
