/** A unified diff split into typed lines, for rendering as text with +/- markers. */

/** How a diff line is shown. */
export type DiffLineKind = 'file' | 'hunk' | 'add' | 'del' | 'context' | 'meta';

/** One line of a diff. */
export interface DiffLine {
  readonly kind: DiffLineKind;
  readonly text: string;
}

/** Most lines rendered; a longer diff is cut (with a note) so the page stays usable. */
export const MAX_DIFF_LINES = 5000;

function kindOf(line: string): DiffLineKind {
  if (line.startsWith('+++ ') || line.startsWith('--- ') || line.startsWith('diff ')) {
    return 'file';
  }
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  if (line.startsWith(' ') || line === '') return 'context';
  return 'meta';
}

/** Split a unified diff (LF or CRLF) into lines with their kind. */
export function diffLines(text: string): { lines: DiffLine[]; truncated: boolean } {
  const raw = text.split(/\r?\n/);
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const truncated = raw.length > MAX_DIFF_LINES;
  const lines = raw.slice(0, MAX_DIFF_LINES).map((line) => ({ kind: kindOf(line), text: line }));
  return { lines, truncated };
}

/** Counts of added and removed lines (file headers excluded). */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added += 1;
    if (l.kind === 'del') removed += 1;
  }
  return { added, removed };
}
