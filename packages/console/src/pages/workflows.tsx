/** Workflows list (#/workflows) with filters: state, engine, proposer, created after. */
import { STATE_NAMES, type State } from '@clearance/client';
import { useState } from 'preact/hooks';
import { formatTime } from '../logic/format.js';
import { hrefOf } from '../logic/route.js';
import { Busy, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { useLoad } from '../ui/load.js';

interface Filter {
  readonly state: State | '';
  readonly engine: string;
  readonly proposer: string;
  readonly after: string;
}

const EMPTY: Filter = { state: '', engine: '', proposer: '', after: '' };

/** The workflows page. */
export function WorkflowsPage() {
  const { client } = useSession();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const list = useLoad(
    () =>
      client.workflows({
        ...(filter.state === '' ? {} : { state: filter.state }),
        ...(filter.engine.trim() === '' ? {} : { engine: filter.engine.trim() }),
        ...(filter.proposer.trim() === '' ? {} : { proposer: filter.proposer.trim() }),
      }),
    [filter],
  );
  const shown = (list.data ?? []).filter(
    (w) => filter.after === '' || (w.created_at ?? '') >= filter.after,
  );
  return (
    <section aria-labelledby="workflows-title">
      <h2 id="workflows-title">Workflows</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft);
        }}
      >
        <label>
          State
          <select
            value={draft.state}
            onChange={(e) => {
              const v = e.currentTarget.value;
              setDraft({ ...draft, state: STATE_NAMES.find((s) => s === v) ?? '' });
            }}
          >
            <option value="">any</option>
            {STATE_NAMES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Engine
          <input
            value={draft.engine}
            onInput={(e) => setDraft({ ...draft, engine: e.currentTarget.value })}
          />
        </label>
        <label>
          Proposer
          <input
            value={draft.proposer}
            onInput={(e) => setDraft({ ...draft, proposer: e.currentTarget.value })}
          />
        </label>
        <label>
          Created after
          <input
            type="date"
            value={draft.after}
            onInput={(e) => setDraft({ ...draft, after: e.currentTarget.value })}
          />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      {list.loading && <Busy />}
      {list.error !== undefined && <ProblemBox error={list.error} />}
      {list.data !== undefined && (
        <table>
          <caption>{shown.length} workflow(s), newest first</caption>
          <thead>
            <tr>
              <th scope="col">Workflow</th>
              <th scope="col">State</th>
              <th scope="col">Engine</th>
              <th scope="col">Proposer</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((w) => (
              <tr key={w.workflow_id}>
                <td>
                  <a href={hrefOf({ page: 'workflow', id: w.workflow_id })}>{w.workflow_id}</a>
                </td>
                <td>{w.state}</td>
                <td>{w.engine}</td>
                <td>{w.proposer}</td>
                <td>{w.created_at === undefined ? '—' : formatTime(w.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
