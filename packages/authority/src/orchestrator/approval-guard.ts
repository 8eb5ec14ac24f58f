/**
 * Where approval evidence (approval-evidence.ts) is enforced (issue 10 B4; WAL-5, WAL-8, APR-13):
 *
 * - take-off: every approval the WAL records must have its authority-signed run artifact, or the
 *   workflow FAILS with a critical event and the engine is never launched;
 * - recovery: before the audit events of WAL entries are (re-)emitted, the WAL is cross-checked
 *   with the audit log and the run artifacts. An `approval_received` without its signed run
 *   artifact, or a WAL entry without its audit event followed by one that has it (a write-ahead
 *   order that the orchestrator never produces), stops the re-emission at that entry — so nothing
 *   is ever signed for a forged line — and halts the workflow (FAILED, critical).
 *
 * Write-ahead order of an accepted answer (approve.ts): run artifact (CAS + index, fsync) → WAL
 * `approval_received` (fsync) → its audit event. A crash before the WAL line leaves the request
 * pending (the approver answers again; the orphan run artifact is harmless); a crash after it
 * leaves a line whose evidence exists, and recovery emits its audit event.
 */
import type { TypedWALEntry } from '@clearance/protocol';
import { trail, type TrailItem, type WorkflowView } from '../workflow/reducer.js';
import { isTerminal } from '../workflow/states.js';
import {
  unbackedApproval,
  walApprovals,
  type BindingKey,
  type UnbackedApproval,
} from './approval-evidence.js';
import { failWorkflow, type OrchestratorContext } from './context.js';
import { auditedWalSequence, walEvent, walEventId } from './wal-events.js';
import type { WorkflowFiles } from './workflow-files.js';

function bindingKey(ctx: OrchestratorContext): BindingKey {
  return { publicKey: ctx.home.key.publicKey, keyRef: ctx.home.key.keyRef };
}

/**
 * Take-off gate: undefined when every recorded approval has its signed run artifact; otherwise
 * the workflow is failed (critical) and its view returned.
 */
export async function refuseUnbackedApprovals(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
): Promise<WorkflowView | undefined> {
  const u = await unbackedApproval(ctx.runs, walApprovals(files.view), bindingKey(ctx));
  if (u === undefined) return undefined;
  return halt(ctx, files, files.view.lastSequence, `take-off refused: ${describe(u)}`);
}

/** Where recovery must stop emitting audit events for a WAL, and why. */
export interface WalCrossCheck {
  /** Sequence of the first entry that is not trusted (its event and later ones are not emitted). */
  readonly cut: number;
  readonly reason: string;
}

/**
 * Cross-check a replayed WAL with the audit log and the run artifacts (recovery). Approvals are
 * checked when their audit event is still to be emitted, and always while the workflow can still
 * go on (non-terminal).
 */
export async function crossCheckWal(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  items: readonly TrailItem[] = trail(files.log),
): Promise<WalCrossCheck | undefined> {
  const has = items.map((i) => {
    const id = walEvent(i.entry, i.state, i.stepType).event_id;
    return id !== undefined && ctx.home.audit.hasEvent(id);
  });
  const lastRecorded = has.lastIndexOf(true);
  const hole = has.findIndex((h, i) => !h && i < lastRecorded);
  const open = !isTerminal(files.view.state);
  const byId = new Map(walApprovals(files.view).map((a) => [a.approval_id, a]));
  for (const [i, item] of items.entries()) {
    if (hole >= 0 && i >= hole) break;
    const entry: TypedWALEntry = item.entry;
    if (entry.entry_type !== 'approval_received' || (has[i] === true && !open)) continue;
    const a = byId.get(entry.data.approval_id);
    const u =
      a === undefined
        ? { approval_id: entry.data.approval_id, reason: 'not in the replayed view' }
        : await unbackedApproval(ctx.runs, [a], bindingKey(ctx));
    if (u !== undefined) return { cut: entry.sequence, reason: describe(u) };
  }
  // Whole lines cut off the WAL's end leave a WAL that verifies; the audit log still has them.
  if (auditedWalSequence((id) => ctx.home.audit.hasEvent(id), files.id, files.log.length)) {
    return {
      cut: files.log.length,
      reason: `the audit log records WAL entry ${files.log.length}, which the WAL no longer has (WAL cut back)`,
    };
  }
  if (hole >= 0) {
    return {
      cut: hole,
      reason: `WAL entry ${hole} has no audit event although later entries do (WAL and audit log disagree)`,
    };
  }
  return undefined;
}

/** Halt a workflow whose WAL failed the cross-check (once: deterministic event id). */
export async function haltCrossCheck(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  check: WalCrossCheck,
): Promise<void> {
  await halt(ctx, files, check.cut, `recovery: ${check.reason}`);
}

async function halt(
  ctx: OrchestratorContext,
  files: WorkflowFiles,
  sequence: number,
  reason: string,
): Promise<WorkflowView> {
  const eventId = walEventId(files.id, sequence, 'approval_mismatch');
  if (!ctx.home.audit.hasEvent(eventId)) {
    await ctx.home.audit.append({
      event_id: eventId,
      event_type: 'approval_mismatch',
      severity: 'critical',
      workflow_state: files.view.state,
      workflow: { workflow_id: files.id, step_id: 'main' },
      message: `${reason}; the WAL entry at ${sequence} is not trusted and nothing is taken off`,
    });
  }
  if (isTerminal(files.view.state)) return files.view;
  return failWorkflow(ctx, files, reason, { severity: 'critical' });
}

function describe(u: UnbackedApproval): string {
  return `approval ${u.approval_id} has no matching authority-signed run artifact (${u.reason})`;
}
