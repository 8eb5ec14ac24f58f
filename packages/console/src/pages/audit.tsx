/** The audit log (#/audit): filtered pages, the latest signed checkpoint, server-side verification. */
import type { VerifyReport } from '@clearance/client';
import { useState } from 'preact/hooks';
import { formatTime } from '../logic/format.js';
import { Busy, Hash, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { useLoad } from '../ui/load.js';

const PAGE = 50;
const SEVERITIES = ['', 'debug', 'info', 'warning', 'error', 'critical'];

interface Query {
  readonly from: number;
  readonly workflowId: string;
  readonly eventType: string;
  readonly severity: string;
}

function Checkpoint() {
  const { client } = useSession();
  const list = useLoad(() => client.checkpoints(), []);
  if (list.error !== undefined) return <ProblemBox error={list.error} />;
  if (list.data === undefined) return <Busy />;
  const latest = list.data.checkpoints[list.data.checkpoints.length - 1];
  if (latest === undefined) return <p>No signed checkpoint yet (log size {list.data.size}).</p>;
  return (
    <dl class="facts" aria-label="Latest signed checkpoint">
      <dt>Tree size</dt>
      <dd>{latest.tree_size}</dd>
      <dt>Root hash</dt>
      <dd>
        <code class="hash">{latest.root_hash}</code>
      </dd>
      <dt>Key</dt>
      <dd>
        <code class="hash">{latest.key_ref}</code>
      </dd>
      <dt>Signed at</dt>
      <dd>{formatTime(latest.timestamp)}</dd>
    </dl>
  );
}

function Verify() {
  const { client } = useSession();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<VerifyReport | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const verify = (): void => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    client
      .verifyAudit()
      .then(setResult, setError)
      .finally(() => setBusy(false));
  };
  return (
    <div>
      <button type="button" onClick={verify} disabled={busy}>
        Verify audit log
      </button>
      <div data-testid="verify-result" role="status" aria-busy={busy}>
        {busy && 'Working…'}
        {result?.ok === true &&
          `OK: ${String(result.events)} events and ${String(result.checkpoints)} checkpoints verified.`}
        {result !== undefined && !result.ok && (
          <strong class="problem">
            BROKEN
            {result.break === undefined
              ? ''
              : ` at index ${String(result.break.index)}: ${result.break.code}: ${result.break.reason}`}
          </strong>
        )}
      </div>
      {error !== undefined && <ProblemBox error={error} />}
    </div>
  );
}

/** The audit page. */
export function AuditPage() {
  const { client } = useSession();
  const [draft, setDraft] = useState<Query>({
    from: 0,
    workflowId: '',
    eventType: '',
    severity: '',
  });
  const [query, setQuery] = useState<Query>(draft);
  const page = useLoad(
    () =>
      client.auditEvents({
        from: query.from,
        limit: PAGE,
        ...(query.workflowId.trim() === '' ? {} : { workflowId: query.workflowId.trim() }),
        ...(query.eventType.trim() === '' ? {} : { eventType: query.eventType.trim() }),
        ...(query.severity === '' ? {} : { severity: query.severity }),
      }),
    [query],
  );
  const next = page.data?.next;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit</h2>
      <h3>Latest signed checkpoint</h3>
      <Checkpoint />
      <Verify />
      <h3>Events</h3>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ ...draft, from: 0 });
        }}
      >
        <label>
          Workflow id
          <input
            value={draft.workflowId}
            onInput={(e) => setDraft({ ...draft, workflowId: e.currentTarget.value })}
          />
        </label>
        <label>
          Event type
          <input
            value={draft.eventType}
            onInput={(e) => setDraft({ ...draft, eventType: e.currentTarget.value })}
          />
        </label>
        <label>
          Severity
          <select
            value={draft.severity}
            onChange={(e) => setDraft({ ...draft, severity: e.currentTarget.value })}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s === '' ? 'any' : s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <nav aria-label="Event pages" class="buttons">
        <button
          type="button"
          disabled={query.from === 0 || page.loading}
          onClick={() => setQuery({ ...query, from: Math.max(0, query.from - PAGE) })}
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={next === undefined || page.loading}
          onClick={() => next !== undefined && setQuery({ ...query, from: next })}
        >
          Next page
        </button>
      </nav>
      {page.loading && <Busy />}
      {page.error !== undefined && <ProblemBox error={page.error} />}
      {page.data !== undefined && (
        <table>
          <caption>
            Events from index {page.data.from} (log size {page.data.size})
          </caption>
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">Severity</th>
              <th scope="col">Workflow</th>
              <th scope="col">State</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {page.data.events.map((e, i) => (
              <tr key={e.event_id}>
                <td>{page.data?.indices[i]}</td>
                <td>{formatTime(e.timestamp)}</td>
                <td>{e.event_type}</td>
                <td>{e.severity ?? '—'}</td>
                <td>{e.workflow?.workflow_id ?? '—'}</td>
                <td>{e.workflow_state}</td>
                <td>{e.message ?? (e.event_id === '' ? '' : <Hash value={e.event_id} />)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
