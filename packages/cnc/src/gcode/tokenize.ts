/** A word: upper-case letter and its number. */
export interface Word {
  readonly letter: string;
  readonly value: number;
}

/** A tokenised line: its words, a `%` tape mark, or the reason it cannot be parsed. */
export type TokenLine =
  | { readonly kind: 'words'; readonly words: readonly Word[] }
  | { readonly kind: 'percent' }
  | { readonly kind: 'error'; readonly message: string };

/** Word = letter, optional spaces, decimal number without exponent (G-code has none). */
const WORD = /^([A-Za-z])[ \t]*([+-]?(?:\d+(?:\.\d*)?|\.\d+))[ \t]*/;

/** Tokeniser options. */
export interface TokenizeOptions {
  /**
   * Whether `;` starts a comment (GRBL, LinuxCNC). On FANUC `;` is the end-of-block character,
   * so text after it would run as another block: there it is an error.
   */
  readonly semicolonComments: boolean;
}

/**
 * LinuxCNC comments that act: messages, debug/print output, log and probe files. A program
 * that writes files on the controller is not a plain motion program.
 */
const ACTIVE_COMMENT =
  /^\s*(MSG|DEBUG|PRINT|LOG|LOGOPEN|LOGAPPEND|LOGCLOSE|PROBEOPEN|PROBECLOSE)\b/i;

/** The line without comments, or an error for an unclosed, nested or active comment. */
function stripComments(line: string, options: TokenizeOptions): string | { error: string } {
  let out = '';
  let comment: string | undefined;
  for (const ch of line) {
    if (comment !== undefined) {
      if (ch === '(') return { error: 'nested comment' };
      if (ch !== ')') comment += ch;
      else if (ACTIVE_COMMENT.test(comment)) return { error: 'active comment' };
      else comment = undefined;
      continue;
    }
    if (ch === ';' && !options.semicolonComments) return { error: '; (end of block) in a line' };
    if (ch === ';') break;
    if (ch === ')') return { error: 'unmatched )' };
    if (ch === '(') comment = '';
    else out += ch;
  }
  return comment === undefined ? out : { error: 'unclosed comment' };
}

/**
 * Tokenise one line (without its line end). Fails closed: anything that is not a sequence of
 * letter+number words after removing `;` and passive `(...)` comments is an error line.
 */
export function tokenizeLine(line: string, options: TokenizeOptions): TokenLine {
  const stripped = stripComments(line, options);
  if (typeof stripped !== 'string') return { kind: 'error', message: stripped.error };
  let rest = stripped.replace(/^[ \t]+/, '');
  if (rest.trimEnd() === '%') return { kind: 'percent' };
  const words: Word[] = [];
  while (rest.length > 0) {
    const m = WORD.exec(rest);
    if (m === null) return { kind: 'error', message: `cannot parse "${rest.slice(0, 20)}"` };
    words.push({ letter: (m[1] ?? '').toUpperCase(), value: Number(m[2]) });
    rest = rest.slice(m[0].length);
  }
  return { kind: 'words', words };
}
