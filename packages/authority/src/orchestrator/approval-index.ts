/**
 * The approval index: which workflow an approval id belongs to. Built from each workflow's WAL
 * view after every operation, so an answer is routed to (and serialised on) its own workflow.
 */
import type { WorkflowView } from '../workflow/reducer.js';

/** Approval id → workflow id, for pending, answered and superseded requests. */
export class ApprovalIndex {
  private readonly owner = new Map<string, string>();

  /** Record every approval id the view of `workflowId` knows of. */
  remember(workflowId: string, view: WorkflowView): void {
    for (const p of view.pending) this.owner.set(p.approval_id, workflowId);
    for (const a of view.approvals) this.owner.set(a.approval_id, workflowId);
    // Requests superseded by a re-plan stay known, so a late answer is "not pending" (S-10).
    for (const a of view.artifacts) {
      const m = /^main\/approval\/(.+)$/.exec(a.artifact_id);
      if (m?.[1] !== undefined) this.owner.set(m[1], workflowId);
    }
  }

  /** The workflow an approval id belongs to, or undefined for an unknown id. */
  ownerOf(approvalId: string): string | undefined {
    return this.owner.get(approvalId);
  }
}
