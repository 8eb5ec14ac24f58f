/** One workflow (#/workflows/{id}): state, timeline, artifacts, runs, CNC job and release. */
import type { JobView, WorkflowDetails } from '@clearance/client';
import { useState } from 'preact/hooks';
import { formatTime } from '../logic/format.js';
import { stateTimeline } from '../logic/timeline.js';
import { Busy, Hash, ProblemBox } from '../ui/common.js';
import { hasRole, useSession } from '../ui/context.js';
import { FeasibilityView } from '../ui/feasibility.js';
import { JobGeometry, JobParams } from '../ui/job.js';
import { useLoad } from '../ui/load.js';
import { ArtifactTable } from './artifacts.js';
import { ReleaseView } from './release.js';
import { OverrideForm, RetryButton } from './unlock.js';

function Timeline({ id }: { id: string }) {
  const { client } = useSession();
  const events = useLoad(() => client.workflowEvents(id), [id]);
  if (events.error !== undefined) return <ProblemBox error={events.error} />;
  if (events.data === undefined) return <Busy />;
  return (
    <ol class="timeline" aria-label="State timeline">
      {stateTimeline(events.data).map((t, i) => (
        <li key={i}>
          <time dateTime={t.timestamp}>{formatTime(t.timestamp)}</time> <strong>{t.state}</strong> —{' '}
          {t.eventType}
          {t.severity === undefined || t.severity === 'info' ? '' : ` [${t.severity}]`}
          {t.message === undefined ? '' : `: ${t.message}`}
        </li>
      ))}
    </ol>
  );
}

function Records({ id }: { id: string }) {
  const { client } = useSession();
  const data = useLoad(
    () => Promise.all([client.artifacts(id), client.runs({ workflowId: id })]),
    [id],
  );
  if (data.error !== undefined) return <ProblemBox error={data.error} />;
  if (data.data === undefined) return <Busy />;
  const [listing, runs] = data.data;
  return (
    <>
      <ArtifactTable artifacts={listing.artifacts} />
      <table>
        <caption>Run artifacts</caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.run_id}>
              <td>{r.run_id}</td>
              <td>{r.kind}</td>
              <td>{r.status}</td>
              <td>{formatTime(r.created_at)}</td>
              <td>
                <Hash value={r.address} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CncSection({ view, onChange }: { view: JobView; onChange: () => void }) {
  return (
    <section aria-label="CNC job">
      <h3>CNC job</h3>
      {view.feasibility !== null && (
        <FeasibilityView
          result={view.feasibility}
          rules={view.feasibility.explanation.rules}
          summary={view.feasibility.explanation.summary}
        />
      )}
      {view.override !== null && (
        <p>
          Override by {view.override.supervisor} ({view.override.scope}): {view.override.reason}
        </p>
      )}
      <OverrideForm view={view} onDone={onChange} />
      <RetryButton view={view} />
      {view.job !== null && <JobParams job={view.job} />}
      {view.job !== null && view.release === null && <JobGeometry job={view.job} />}
      {view.release !== null && <ReleaseView release={view.release} />}
    </section>
  );
}

function Takeoff({ workflow, onDone }: { workflow: WorkflowDetails; onDone: () => void }) {
  const { client, me } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  if (workflow.state !== 'READY_FOR_TAKEOFF' || !hasRole(me, 'operator', 'admin')) return null;
  const release = (): void => {
    setBusy(true);
    setError(undefined);
    client
      .takeoff(workflow.workflow_id)
      .then(onDone, setError)
      .finally(() => setBusy(false));
  };
  return (
    <p>
      <button type="button" onClick={release} disabled={busy}>
        Release (take-off)
      </button>
      {busy && <Busy />}
      {error !== undefined && <ProblemBox error={error} />}
    </p>
  );
}

/** The workflow page. */
export function WorkflowPage({ id }: { id: string }) {
  const { client } = useSession();
  const wf = useLoad(async () => {
    const workflow = await client.workflow(id);
    const job = workflow.engine === 'cnc' ? await client.job(id) : undefined;
    return { workflow, job };
  }, [id]);
  if (wf.error !== undefined) return <ProblemBox error={wf.error} />;
  if (wf.data === undefined) return <Busy />;
  const { workflow, job } = wf.data;
  return (
    <section aria-labelledby="workflow-title" aria-busy={wf.loading}>
      <h2 id="workflow-title">Workflow {workflow.workflow_id}</h2>
      <dl class="facts">
        <dt>State</dt>
        <dd data-testid="workflow-state">{workflow.state}</dd>
        <dt>Engine</dt>
        <dd>{workflow.engine}</dd>
        <dt>Proposer</dt>
        <dd>{workflow.proposer}</dd>
        <dt>Plan-token hash</dt>
        <dd>
          <code class="hash">{workflow.plan_token_hash ?? '—'}</code>
        </dd>
        {workflow.failure !== undefined && (
          <>
            <dt>Failure</dt>
            <dd>{workflow.failure}</dd>
          </>
        )}
      </dl>
      {workflow.pending_approvals.length > 0 && (
        <p>
          {workflow.pending_approvals.length} approval request(s) pending —{' '}
          <a href="#/approvals">answer in Approvals</a>.
        </p>
      )}
      <Takeoff workflow={workflow} onDone={wf.reload} />
      <p>
        <button type="button" onClick={wf.reload} disabled={wf.loading}>
          Refresh
        </button>
      </p>
      {job !== undefined && <CncSection view={job} onChange={wf.reload} />}
      <h3>Timeline</h3>
      <Timeline id={id} key={`${id}-${workflow.state}`} />
      <h3>Records</h3>
      <Records id={id} key={`${id}-${workflow.state}`} />
    </section>
  );
}
