/**
 * Unlocking a denied CNC job (spec/rmos.md §6.10): a supervisor records an override — its own
 * immutable record, the original risk unchanged — and an operator proposes the job again, which
 * still needs an approval. Both are plain forms; the server decides and its code is shown.
 */
import { OVERRIDE_REASON, type JobView, type OverrideRecord } from '@clearance/client';
import { useState } from 'preact/hooks';
import { overrideReasonProblem } from '../logic/override.js';
import { hrefOf } from '../logic/route.js';
import { Busy, ProblemBox } from '../ui/common.js';
import { hasRole, useSession } from '../ui/context.js';

/** Supervisor override of a YELLOW (or, where enabled, RED) job. */
export function OverrideForm({ view, onDone }: { view: JobView; onDone: () => void }) {
  const { client, me } = useSession();
  const risk = view.feasibility?.risk_level;
  const [reason, setReason] = useState('');
  const [ack, setAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<OverrideRecord | undefined>(undefined);
  if (risk !== 'YELLOW' && risk !== 'RED') return null;
  if (view.override !== null || !hasRole(me, 'supervisor')) return null;
  const problem = overrideReasonProblem(reason);
  const submit = (e: Event): void => {
    e.preventDefault();
    if (problem !== undefined) return;
    setBusy(true);
    setError(undefined);
    client
      .override(view.workflow.workflow_id, {
        reason,
        scope: risk,
        ...(risk === 'RED' ? { acknowledgeRisk: ack } : {}),
      })
      .then((record) => {
        setDone(record);
        onDone();
      }, setError)
      .finally(() => setBusy(false));
  };
  return (
    <form class="override" onSubmit={submit} aria-label="Supervisor override">
      <h4>Supervisor override ({risk})</h4>
      <p>
        The job stays {risk}; an override lets a new proposal of exactly this job reach approval.
      </p>
      <label>
        Override reason ({OVERRIDE_REASON.min}–{OVERRIDE_REASON.max} characters)
        <textarea
          value={reason}
          required
          minLength={OVERRIDE_REASON.min}
          onInput={(ev) => setReason(ev.currentTarget.value)}
        />
      </label>
      {reason !== '' && problem !== undefined && <p class="hint">{problem}</p>}
      {risk === 'RED' && (
        <label>
          <input
            type="checkbox"
            checked={ack}
            onChange={(ev) => setAck(ev.currentTarget.checked)}
          />{' '}
          I acknowledge the risk of running a RED job
        </label>
      )}
      <p>
        <button type="submit" disabled={busy || problem !== undefined}>
          Record override
        </button>
        {busy && <Busy />}
      </p>
      {done !== undefined && (
        <p role="status" data-testid="override-result">
          Override {done.run_id} recorded by {done.supervisor}.
        </p>
      )}
      {error !== undefined && <ProblemBox error={error} />}
    </form>
  );
}

/** Operator: propose a FAILED job again (a new, linked workflow through policy and approval). */
export function RetryButton({ view }: { view: JobView }) {
  const { client, me } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  if (view.workflow.state !== 'FAILED' || !hasRole(me, 'operator', 'admin')) return null;
  const retry = (): void => {
    setBusy(true);
    setError(undefined);
    client
      .retry(view.workflow.workflow_id)
      .then((next) => {
        window.location.hash = hrefOf({ page: 'workflow', id: next.workflow_id });
      }, setError)
      .finally(() => setBusy(false));
  };
  return (
    <p>
      <button type="button" onClick={retry} disabled={busy}>
        Propose again (retry)
      </button>
      {busy && <Busy />}
      {error !== undefined && <ProblemBox error={error} />}
    </p>
  );
}
