/** The approvals inbox: which pending requests I can answer, and the policy decisions behind them. */
import type { AuditEvent, PendingApproval, WorkflowSummary } from '@clearance/client';

/** One request in the inbox. */
export interface InboxItem {
  readonly workflow: WorkflowSummary;
  readonly approval: PendingApproval;
}

/**
 * Pending requests whose required role I hold, oldest first (ties by workflow id, then approval
 * id, so the order is stable). Only AWAITING_APPROVAL workflows carry answerable requests.
 */
export function inboxItems(
  workflows: readonly WorkflowSummary[],
  roles: readonly string[],
): InboxItem[] {
  const items: InboxItem[] = [];
  for (const workflow of workflows) {
    if (workflow.state !== 'AWAITING_APPROVAL') continue;
    for (const approval of workflow.pending_approvals) {
      if (roles.includes(approval.required_role)) items.push({ workflow, approval });
    }
  }
  return items.sort(
    (a, b) =>
      cmp(a.approval.requested_at, b.approval.requested_at) ||
      cmp(a.workflow.workflow_id, b.workflow.workflow_id) ||
      cmp(a.approval.approval_id, b.approval.approval_id),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One policy's decision. */
export interface PolicyLine {
  readonly policyId: string;
  readonly decision: string;
  readonly reason: string | undefined;
}

/** The aggregate decision of the latest preflight, with every policy's decision and reason. */
export interface PolicySummary {
  readonly decision: string;
  readonly at: string;
  readonly policies: readonly PolicyLine[];
  readonly violations: readonly string[];
  readonly warnings: readonly string[];
}

/** The latest aggregate preflight decision (`preflight_decision` event, every evaluation and reason). */
export function latestPolicy(events: readonly AuditEvent[]): PolicySummary | undefined {
  let latest: AuditEvent | undefined;
  for (const e of events) {
    if (e.event_type === 'preflight_decision' && e.policy !== undefined) latest = e;
  }
  const policy = latest?.policy;
  if (latest === undefined || policy === undefined) return undefined;
  return {
    decision: policy.decision,
    at: latest.timestamp,
    policies: (policy.policy_evaluations ?? []).map((p) => ({
      policyId: p.policy_id,
      decision: p.decision,
      reason: p.reason,
    })),
    violations: policy.violations ?? [],
    warnings: policy.warnings ?? [],
  };
}
