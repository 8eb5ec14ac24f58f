/** A unified diff rendered line by line as text nodes (never as HTML). */
import { diffLines, diffStats } from '../logic/diff.js';

const MARK: Readonly<Record<string, string>> = {
  add: 'added',
  del: 'removed',
};

/** The diff `text`, each line with its +/- marker kept and a class for its kind. */
export function DiffView({ text, label }: { text: string; label: string }) {
  const { lines, truncated } = diffLines(text);
  const { added, removed } = diffStats(lines);
  return (
    <figure class="diff">
      <figcaption>
        {label}: {added} added, {removed} removed
      </figcaption>
      <pre aria-label={`Diff of ${label}`}>
        {lines.map((line, i) => (
          <span key={i} class={`diff-line diff-${line.kind}`} title={MARK[line.kind]}>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      {truncated && <p>The diff is longer; only the first lines are shown.</p>}
    </figure>
  );
}
