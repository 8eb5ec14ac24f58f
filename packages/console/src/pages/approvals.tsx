/** The approvals inbox (#/approvals): pending requests my roles can answer, oldest first. */
import { inboxItems } from '../logic/inbox.js';
import { ApprovalKeyPanel } from '../ui/approval-key.js';
import { Busy, ProblemBox } from '../ui/common.js';
import { useSession } from '../ui/context.js';
import { useLoad } from '../ui/load.js';
import { ApprovalCard } from './approval-card.js';

/** The inbox page. */
export function ApprovalsPage() {
  const { client, me } = useSession();
  const list = useLoad(() => client.workflows({ state: 'AWAITING_APPROVAL' }), []);
  const items = list.data === undefined ? [] : inboxItems(list.data, me.roles);
  return (
    <section aria-labelledby="approvals-title">
      <h2 id="approvals-title">Approvals</h2>
      {/* Agents and auditors never approve: they get no signing key. */}
      {me.roles.some((r) => r !== 'agent' && r !== 'auditor') && <ApprovalKeyPanel />}
      <p>
        <button type="button" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </p>
      {list.loading && <Busy />}
      {list.error !== undefined && <ProblemBox error={list.error} />}
      {list.data !== undefined && items.length === 0 && (
        <p role="status">No pending approval requests for your roles ({me.roles.join(', ')}).</p>
      )}
      {items.map((item) => (
        <ApprovalCard key={item.approval.approval_id} item={item} onAnswered={list.reload} />
      ))}
    </section>
  );
}
