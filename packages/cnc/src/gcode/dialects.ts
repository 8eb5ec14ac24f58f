import { commentText } from './format.js';
import type { Dialect } from './types.js';

/** How one dialect spells things (spec/rmos.md §5.2 dialect table). */
export interface DialectStyle {
  /** Decimals of X/Y/Z/I/J words. */
  readonly decimals: number;
  /** Decimals of F words. */
  readonly feedDecimals: number;
  /** A whole comment line. */
  readonly comment: (text: string) => string;
  /** `G`/`M` word for a code number (two-digit on FANUC). */
  readonly code: (letter: 'G' | 'M', n: number) => string;
  /** Tool selection line, or undefined when the controller has no tool changer. */
  readonly toolChange: (tool: number) => string | undefined;
  /** Mode lines after G21/G90/G17. */
  readonly extraModes: readonly string[];
  /** Number blocks with N10, N20, ... */
  readonly lineNumbers: boolean;
  /** `%` first and last line and an O-number. */
  readonly tapeMarks: boolean;
}

const plainCode = (letter: 'G' | 'M', n: number): string => `${letter}${n}`;
const twoDigitCode = (letter: 'G' | 'M', n: number): string =>
  `${letter}${String(n).padStart(2, '0')}`;

const STYLES: Readonly<Record<Dialect, DialectStyle>> = Object.freeze({
  // GRBL 1.1 has no tool changer and rejects M6, so the tool is stated in a comment only.
  grbl: {
    decimals: 3,
    feedDecimals: 1,
    comment: (text) => `; ${commentText(text)}`,
    code: plainCode,
    toolChange: () => undefined,
    extraModes: [],
    lineNumbers: false,
    tapeMarks: false,
  },
  // G64 P0.002: path blending within 0.002 mm, the tolerance of the original post.
  linuxcnc: {
    decimals: 4,
    feedDecimals: 1,
    comment: (text) => `(${commentText(text)})`,
    code: plainCode,
    toolChange: (tool) => `T${tool} M6`,
    extraModes: ['G64 P0.002'],
    lineNumbers: false,
    tapeMarks: false,
  },
  fanuc: {
    decimals: 4,
    feedDecimals: 1,
    comment: (text) => `(${commentText(text).toUpperCase()})`,
    code: twoDigitCode,
    toolChange: (tool) => `T${String(tool).padStart(2, '0')} M06`,
    extraModes: [],
    lineNumbers: true,
    tapeMarks: true,
  },
});

/** The style of `dialect`. */
export function dialectStyle(dialect: Dialect): DialectStyle {
  return STYLES[dialect];
}
