/** Small shared pieces: progress, errors, hashes. */
import { isApiError } from '@clearance/client';
import { shortHash } from '../logic/format.js';

/** The progress indicator. */
export function Busy({ label = 'Working…' }: { label?: string }) {
  return (
    <p class="busy" role="status" aria-busy="true" aria-live="polite">
      {label}
    </p>
  );
}

/** The text of an error: its problem code first. */
export function problemText(error: unknown): string {
  if (isApiError(error)) {
    const run = error.runId === undefined ? '' : ` (run ${error.runId})`;
    return `${error.code}: ${error.detail || error.title}${run}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An error, announced, with its problem code. */
export function ProblemBox({ error }: { error: unknown }) {
  return (
    <p class="problem" role="alert">
      <strong>Error </strong>
      {problemText(error)}
    </p>
  );
}

/** A hash shown short, the full value in a tooltip and selectable. */
export function Hash({ value }: { value: string }) {
  return (
    <code class="hash" title={value}>
      {shortHash(value)}
    </code>
  );
}
