/** A cursor over the lines of a patch, for the parser's single forward pass. */
import { PatchError } from './errors.js';

/** Lines of a patch without their '\n' terminators, read front to back. */
export class LineReader {
  readonly #lines: readonly string[];
  #index = 0;

  /** `text` must end with '\n' (the parser checks that first), so no line is lost or partial. */
  constructor(text: string) {
    const lines = text.split('\n');
    lines.pop();
    this.#lines = lines;
  }

  /** Index of the next line (0-based); 1-based line numbers in messages are `position + 1`. */
  get position(): number {
    return this.#index;
  }

  /** True when every line has been consumed. */
  get done(): boolean {
    return this.#index >= this.#lines.length;
  }

  /** The next line without consuming it, or null at the end. */
  peek(): string | null {
    return this.#lines[this.#index] ?? null;
  }

  /** Consume and return the next line; reading past the end is a truncated patch. */
  next(): string {
    const line = this.#lines[this.#index];
    if (line === undefined) throw invalid('truncated', this.#index, 'patch ends too early');
    this.#index += 1;
    return line;
  }

  /** Lines [from, to) joined back into their exact text, terminators included. */
  slice(from: number, to: number): string {
    return this.#lines
      .slice(from, to)
      .map((line) => `${line}\n`)
      .join('');
  }
}

/** A PATCH_INVALID error that names the (1-based) line it was found on. */
export function invalid(reason: string, index: number, why: string, path?: string): PatchError {
  const where = path === undefined ? `line ${index + 1}` : `${path} (line ${index + 1})`;
  return new PatchError(
    'PATCH_INVALID',
    reason,
    `${where}: ${why}`,
    path === undefined ? undefined : { path },
  );
}
