import { toBlock } from './block.js';
import { refusedWord } from './dialect-words.js';
import { Interpreter } from './interpreter.js';
import type { GcodeValidation } from './issues.js';
import { tokenizeLine } from './tokenize.js';
import type { MachineProfile } from './types.js';

/** Longest accepted line, characters. */
export const MAX_LINE_LENGTH = 256;
/** Largest accepted program: characters and lines. */
export const MAX_PROGRAM_CHARS = 64 * 1024 * 1024;
export const MAX_PROGRAM_LINES = 2_000_000;

/** Options of `validateGcode`. */
export interface ValidateOptions {
  /** Lowest Z for XY rapids; default the machine's stock top + 0.1 mm. */
  readonly safe_z?: number;
}

/** Margin above the stock top below which an XY rapid counts as a rapid through the stock. */
const RAPID_MARGIN = 0.1;

const EMPTY_STATS = { lines: 0, rapids: 0, cuts: 0, arcs: 0 };

function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Validate a G-code program against `machine`, as run before any program is released. A small
 * modal interpreter over the supported subset (G0–G3, G17, G20/G21, G64, G90/G91, M2–M9, M30,
 * N/O/T/S/F/P words, `%`) checks: units and absolute mode set before motion, spindle on within
 * the rpm range before every cutting move, every coordinate (arc extremes included) inside the
 * envelope, feeds within limits, arc ends on their circle, no XY rapid at or below the stock top
 * (the whole work area counts as stock), spindle off and program end at the end. Fails closed:
 * a line outside the subset is an issue, including active LinuxCNC comments (`(LOGOPEN,...)`)
 * and, on FANUC machines, `;`, which is end-of-block there; words the machine's dialect refuses
 * (G64, M6 and O numbers on GRBL, dialect-words.ts) are issues too. Pure: no fs, no clock.
 */
export function validateGcode(
  text: string,
  machine: MachineProfile,
  options: ValidateOptions = {},
): GcodeValidation {
  const tooLong = (message: string): GcodeValidation => ({
    ok: false,
    issues: [{ line: 0, code: 'TOO_LONG', message }],
    bounds: { x: null, y: null, z: null },
    stats: EMPTY_STATS,
  });
  if (text.length > MAX_PROGRAM_CHARS) return tooLong(`program over ${MAX_PROGRAM_CHARS} chars`);
  const lines = splitLines(text);
  if (lines.length > MAX_PROGRAM_LINES) return tooLong(`program over ${MAX_PROGRAM_LINES} lines`);
  const interp = new Interpreter(machine, options.safe_z ?? machine.stock_top_z + RAPID_MARGIN);
  const tokenizeOptions = { semicolonComments: machine.dialect !== 'fanuc' };
  lines.forEach((line, k) => {
    const n = k + 1;
    if (line.length > MAX_LINE_LENGTH) return interp.issue('TOO_LONG', 'line too long', n);
    const tokens = tokenizeLine(line, tokenizeOptions);
    if (tokens.kind === 'error') return interp.issue('UNKNOWN_WORD', tokens.message, n);
    if (tokens.kind === 'percent' || tokens.words.length === 0) return;
    const refused = refusedWord(tokens.words, machine.dialect);
    if (refused !== undefined) {
      return interp.issue(
        'UNKNOWN_WORD',
        `${refused} is refused by ${machine.dialect} controllers`,
        n,
      );
    }
    const result = toBlock(tokens.words);
    if ('error' in result) return interp.issue('UNKNOWN_WORD', result.error, n);
    interp.run(result.block, n);
  });
  if (!interp.ended) {
    interp.issue('NO_PROGRAM_END', 'no M2/M30 program end', 0);
    if (interp.spindleOn) interp.issue('NO_SPINDLE_STOP', 'spindle never stopped', 0);
  }
  const issues = interp.issues;
  return {
    ok: issues.length === 0,
    issues,
    bounds: interp.bounds(),
    stats: { lines: lines.length, ...interp.stats },
  };
}
