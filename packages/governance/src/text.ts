/**
 * Failure text that is safe to put in an evaluation, an audit event and a problem response: a
 * third-party policy source's error message may be huge, may hold a credential it was handed, and
 * may contain lone surrogates that would make the audit event uncanonicalisable.
 */
import { ClearanceError, Redactor } from '@clearance/protocol';

/** Longest failure text kept, in UTF-16 code units (ellipsis included). */
export const MAX_FAILURE_TEXT = 500;

// Redaction scans every pattern over the whole text; bound that work before scanning. Only the
// first MAX_FAILURE_TEXT units survive anyway.
const PRE_REDACTION_LIMIT = 8 * 1024;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const redactor = new Redactor();

/** A short description of a thrown value: code or name plus message, never its other properties. */
export function describeError(err: unknown): string {
  try {
    if (err instanceof ClearanceError) return `${err.code}: ${err.message}`;
    if (err instanceof Error) return `${String(err.name)}: ${String(err.message)}`;
    if (typeof err === 'string') return err;
    return `a non-Error value was thrown (${typeof err})`;
  } catch {
    // A hostile error object (throwing getter or toString) still yields a failure, not a crash.
    return 'an unprintable error was thrown';
  }
}

/** Well-formed, redacted and capped copy of `text`. */
export function safeText(text: string, max: number = MAX_FAILURE_TEXT): string {
  const bounded = cutAt(text, PRE_REDACTION_LIMIT);
  const clean = redactor.redactString(bounded.replace(LONE_SURROGATE_RE, '\uFFFD'));
  return clean.length <= max ? clean : `${cutAt(clean, max - 1)}…`;
}

// Cut to at most `max` code units without splitting a surrogate pair.
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
