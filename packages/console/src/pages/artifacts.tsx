/** Every artifact of a workflow: patch diffs from the CAS, a cnc job's parameters and drawing. */
import type { JobView, ListedArtifact } from '@clearance/client';
import { formatBytes } from '../logic/format.js';
import { Busy, Hash, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { DiffView } from '../ui/diff-view.js';
import { FeasibilityView } from '../ui/feasibility.js';
import { JobGeometry, JobParams } from '../ui/job.js';
import { useLoad } from '../ui/load.js';

/** A patch artifact's body, fetched from the CAS and shown as a diff. */
function PatchBody({ address, label }: { address: string; label: string }) {
  const { client } = useSession();
  const body = useLoad(() => client.casText(address), [address]);
  if (body.error !== undefined) return <ProblemBox error={body.error} />;
  if (body.data === undefined) return <Busy label="Loading the diff…" />;
  return <DiffView text={body.data} label={label} />;
}

function isPatch(a: ListedArtifact): boolean {
  return a.artifact_type === 'file_change' || a.mime === 'text/x-diff';
}

/** One artifact: identity, CAS addresses and, when readable, its content. */
function ArtifactItem({ artifact, job }: { artifact: ListedArtifact; job: JobView | undefined }) {
  const label = artifact.target ?? artifact.name ?? artifact.artifact_id;
  return (
    <li class="artifact">
      <p>
        <strong>{label}</strong> — {artifact.artifact_type}
        {artifact.action === undefined ? '' : ` (${artifact.action})`}, hash{' '}
        <Hash value={artifact.artifact_hash} />
        {artifact.body !== undefined && artifact.body !== null && (
          <>
            , body <Hash value={artifact.body.address} /> ({formatBytes(artifact.body.size)})
          </>
        )}
      </p>
      {isPatch(artifact) && artifact.body !== undefined && artifact.body !== null && (
        <PatchBody address={artifact.body.address} label={label} />
      )}
      {artifact.artifact_type === 'cnc.job' && job?.job !== undefined && job.job !== null && (
        <div class="cnc-job">
          <JobParams job={job.job} />
          <JobGeometry job={job.job} />
        </div>
      )}
    </li>
  );
}

/** The engine artifacts of a workflow (the orchestrator's own `clearance.*` records are listed apart). */
export function ArtifactList({
  artifacts,
  job,
}: {
  artifacts: readonly ListedArtifact[];
  job: JobView | undefined;
}) {
  const engine = artifacts.filter((a) => !a.artifact_type.startsWith('clearance.'));
  return (
    <section aria-label="Artifacts">
      <h3>Artifacts</h3>
      {engine.length === 0 && <p>No engine artifacts.</p>}
      <ul class="artifacts">
        {engine.map((a) => (
          <ArtifactItem key={a.artifact_id + a.artifact_hash} artifact={a} job={job} />
        ))}
      </ul>
      {job?.feasibility !== undefined && job.feasibility !== null && (
        <FeasibilityView
          result={job.feasibility}
          rules={job.feasibility.explanation.rules}
          summary={job.feasibility.explanation.summary}
        />
      )}
    </section>
  );
}

/** Every artifact record, with its address, for the workflow page. */
export function ArtifactTable({ artifacts }: { artifacts: readonly ListedArtifact[] }) {
  return (
    <table>
      <caption>Artifact records (CAS addresses)</caption>
      <thead>
        <tr>
          <th scope="col">Artifact</th>
          <th scope="col">Type</th>
          <th scope="col">Hash</th>
          <th scope="col">Body</th>
          <th scope="col">Meta</th>
        </tr>
      </thead>
      <tbody>
        {artifacts.map((a) => (
          <tr key={a.artifact_id + a.artifact_hash}>
            <td>{a.artifact_id}</td>
            <td>{a.artifact_type}</td>
            <td>
              <code class="hash">{a.artifact_hash}</code>
            </td>
            <td>
              {a.body !== undefined && a.body !== null ? (
                <code class="hash">{a.body.address}</code>
              ) : (
                '—'
              )}
            </td>
            <td>{a.meta !== undefined ? <code class="hash">{a.meta.address}</code> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
