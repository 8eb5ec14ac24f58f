/** One approval request: what it binds to, why policy asked, every artifact, and the answer form. */
import {
  signApproval,
  type ApprovalResult,
  type ApproverSignature,
  type JobView,
  type Me,
  type PendingApproval,
} from '@clearance/client';
import { useState } from 'preact/hooks';
import { hrefOf } from '../logic/route.js';
import { approvalKey } from '../signing-key.js';
import { formatTime } from '../logic/format.js';
import { latestPolicy, type InboxItem } from '../logic/inbox.js';
import { Busy, ProblemBox, problemText } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { useLoad } from '../ui/load.js';
import { ArtifactList } from './artifacts.js';

function Policy({ workflowId }: { workflowId: string }) {
  const { client } = useSession();
  const events = useLoad(() => client.workflowEvents(workflowId), [workflowId]);
  if (events.error !== undefined) return <ProblemBox error={events.error} />;
  if (events.data === undefined) return <Busy label="Loading policy decisions…" />;
  const policy = latestPolicy(events.data);
  if (policy === undefined) return <p>No policy evaluation recorded.</p>;
  return (
    <section aria-label="Policy decisions">
      <p>
        Policy decision: <strong>{policy.decision}</strong> ({formatTime(policy.at)})
      </p>
      <ul>
        {policy.policies.map((p, i) => (
          <li key={`${p.policyId}${String(i)}`}>
            {p.policyId}: <strong>{p.decision}</strong>
            {p.reason === undefined ? '' : ` — ${p.reason}`}
          </li>
        ))}
        {policy.violations.map((v, i) => (
          <li key={`v${String(i)}`}>Violation: {v}</li>
        ))}
        {policy.warnings.map((w, i) => (
          <li key={`w${String(i)}`}>Warning: {w}</li>
        ))}
      </ul>
    </section>
  );
}

function Artifacts({ workflowId, engine }: { workflowId: string; engine: string }) {
  const { client } = useSession();
  const listing = useLoad(() => client.artifacts(workflowId), [workflowId]);
  const job = useLoad(
    (): Promise<JobView | undefined> =>
      engine === 'cnc' ? client.job(workflowId) : Promise.resolve(undefined),
    [workflowId, engine],
  );
  if (listing.error !== undefined) return <ProblemBox error={listing.error} />;
  if (listing.data === undefined || job.loading) return <Busy label="Loading artifacts…" />;
  return (
    <>
      {job.error !== undefined && <ProblemBox error={job.error} />}
      <ArtifactList artifacts={listing.data.artifacts} job={job.data} />
    </>
  );
}

/**
 * APR-13: a user with a registered key signs every answer with this browser's key; without one the
 * answer goes unsigned (the server refuses it if their role requires a signature).
 */
async function signatureFor(
  me: Me,
  approved: boolean,
  workflowId: string,
  approval: PendingApproval,
): Promise<ApproverSignature | undefined> {
  if (me.key_ref === undefined) return undefined;
  const key = await approvalKey(me.name);
  if (key.keyRef !== me.key_ref) {
    throw new Error(
      `this browser's key ${key.keyRef} is not the key registered for ${me.name} (${me.key_ref})`,
    );
  }
  return signApproval(key.privateKey, key.keyRef, {
    approval_id: approval.approval_id,
    workflow_id: workflowId,
    step_id: approval.step_id,
    plan_token_hash: approval.plan_token_hash,
    approved,
    approver: me.name,
  });
}

type Outcome = { ok: ApprovalResult; approved: boolean } | { error: unknown };

/** An approval card (test hook: data-testid="approval-<approval_id>"). */
export function ApprovalCard({ item, onAnswered }: { item: InboxItem; onAnswered: () => void }) {
  const { client, me } = useSession();
  const { workflow, approval } = item;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const reasonId = `reason-${approval.approval_id}`;

  const answer = (approved: boolean): void => {
    if (reason.trim() === '') {
      setMissing(true);
      document.getElementById(reasonId)?.focus();
      return;
    }
    setMissing(false);
    setBusy(true);
    signatureFor(me, approved, workflow.workflow_id, approval)
      .then((signature) =>
        client.approve(approval.approval_id, {
          approved,
          reason: reason.trim(),
          planTokenHash: approval.plan_token_hash,
          ...(signature === undefined ? {} : { signature }),
        }),
      )
      .then(
        (ok) => setOutcome({ ok, approved }),
        (error: unknown) => setOutcome({ error }),
      )
      .finally(() => setBusy(false));
  };
  const done = outcome !== undefined && 'ok' in outcome;

  return (
    <article
      class="card"
      data-testid={`approval-${approval.approval_id}`}
      data-workflow-id={workflow.workflow_id}
      aria-labelledby={`title-${approval.approval_id}`}
    >
      <h3 id={`title-${approval.approval_id}`}>
        <a href={hrefOf({ page: 'workflow', id: workflow.workflow_id })}>{workflow.workflow_id}</a>
      </h3>
      <dl class="facts">
        <dt>Engine</dt>
        <dd>{workflow.engine}</dd>
        <dt>Proposer</dt>
        <dd>{workflow.proposer}</dd>
        <dt>Required role</dt>
        <dd>{approval.required_role}</dd>
        <dt>Requested</dt>
        <dd>{formatTime(approval.requested_at)}</dd>
        <dt>Plan-token hash</dt>
        <dd>
          <code class="hash">{approval.plan_token_hash}</code>
        </dd>
      </dl>
      <Policy workflowId={workflow.workflow_id} />
      <Artifacts workflowId={workflow.workflow_id} engine={workflow.engine} />
      <form class="answer" onSubmit={(e) => e.preventDefault()} aria-busy={busy}>
        <label for={reasonId}>Reason</label>
        <textarea
          id={reasonId}
          required
          aria-required="true"
          aria-invalid={missing}
          rows={3}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        {missing && (
          <p class="problem" role="alert">
            A reason is required.
          </p>
        )}
        <div class="buttons">
          <button type="button" disabled={busy || done} onClick={() => answer(true)}>
            Approve
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy || done}
            onClick={() => answer(false)}
          >
            Reject
          </button>
        </div>
        {busy && <Busy />}
        {outcome !== undefined && 'ok' in outcome && (
          <p class="ok" role="status">
            {outcome.approved ? 'Approved' : 'Rejected'}: {outcome.ok.status}, run{' '}
            {outcome.ok.run_id}
            {outcome.ok.state === null ? '' : `, workflow now ${outcome.ok.state}`}.{' '}
            <button type="button" onClick={onAnswered}>
              Refresh inbox
            </button>
          </p>
        )}
        {outcome !== undefined && 'error' in outcome && (
          <p class="problem" role="alert">
            Refused: {problemText(outcome.error)}
          </p>
        )}
      </form>
    </article>
  );
}
