/**
 * Approval evidence (issue 10 B4; APR-13, WAL-8): an `approval_received` WAL entry counts only
 * together with the run artifact that approve.ts recorded for it, carrying the authority-signed
 * binding `H('cabincrew.approval.v1', {approval_id, workflow_id, step_id, plan_token_hash,
 * approved, approver, timestamp})` (§4.2.7). A WAL line alone — even one with a valid checksum —
 * is never enough to take off: recovery and take-off both check this, and `audit verify --deep`
 * re-checks it offline.
 *
 * The check itself is pure ({@link checkApprovalRun}); the lookup reads the run index and the CAS.
 */
import type { KeyObject } from 'node:crypto';
import { constantTimeEqual, hasCode, verifyDigest } from '@clearance/protocol';
import { approvalBinding } from '../approver-signatures.js';
import { isRecord } from '../narrow.js';
import type { RunArtifactStore } from '../runs/run-artifacts.js';
import type { WorkflowView } from '../workflow/reducer.js';

/** Where approval runs are looked up: the live store, or an offline reader (deep verify). */
export type RunSource = Pick<RunArtifactStore, 'list' | 'get'>;

/** What the WAL says about one answered approval. */
export interface WalApproval {
  readonly approval_id: string;
  readonly workflow_id: string;
  readonly step_id: string;
  readonly plan_token_hash: string;
  readonly approved: boolean;
  readonly approver: string;
}

/** The key the authority signs approval bindings with. */
export interface BindingKey {
  readonly publicKey: KeyObject;
  readonly keyRef: string;
}

/**
 * Why `run` (a stored run artifact, as parsed) is not the signed record of `expected`, or
 * undefined when it is: an OK approval run of the same workflow and approval id whose binding,
 * recomputed from the WAL's fields and the run's own timestamp, equals the recorded one and is
 * signed by the authority key.
 */
export function checkApprovalRun(
  expected: WalApproval,
  run: Readonly<Record<string, unknown>>,
  key: BindingKey,
): string | undefined {
  if (run['kind'] !== 'approval' || run['status'] !== 'OK') return 'not an accepted approval run';
  if (run['workflow_id'] !== expected.workflow_id) return 'run of another workflow';
  if (run['approval_id'] !== expected.approval_id) return 'run of another approval';
  const details = run['details'];
  const response = isRecord(details) ? details['approval_response'] : undefined;
  const timestamp = isRecord(response) ? response['timestamp'] : undefined;
  const unsigned = signedBindingProblem(run, key);
  if (unsigned !== undefined) return unsigned;
  const hashes = run['hashes'];
  const recorded = isRecord(hashes) ? hashes['approval_binding'] : undefined;
  if (typeof timestamp !== 'string' || typeof recorded !== 'string') {
    return 'run carries no binding';
  }
  const binding = approvalBinding({ ...expected, timestamp });
  if (!constantTimeEqual(binding, recorded)) return 'binding does not match the WAL entry';
  return undefined;
}

/**
 * Why the binding a run artifact records (`hashes.approval_binding`) is not signed by the
 * authority key (`details.binding_signature`, `details.signature_key_ref`), or undefined when it
 * is. Used at take-off and recovery (with the WAL's fields, {@link checkApprovalRun}) and by
 * `audit verify --deep` for every accepted approval run.
 */
export function signedBindingProblem(
  run: Readonly<Record<string, unknown>>,
  key: BindingKey,
): string | undefined {
  const hashes = run['hashes'];
  const details = run['details'];
  const binding = isRecord(hashes) ? hashes['approval_binding'] : undefined;
  const signature = isRecord(details) ? details['binding_signature'] : undefined;
  if (typeof binding !== 'string' || typeof signature !== 'string') return 'run carries no binding';
  if (!isRecord(details) || details['signature_key_ref'] !== key.keyRef) {
    return 'binding signed by an unknown key';
  }
  if (!verifyDigest(key.publicKey, Buffer.from(binding, 'hex'), signature)) {
    return 'binding signature does not verify';
  }
  return undefined;
}

/** The approvals a WAL view records, with what their bindings must cover. */
export function walApprovals(view: WorkflowView): WalApproval[] {
  return view.approvals.map((a) => ({
    approval_id: a.approval_id,
    workflow_id: view.workflow_id,
    step_id: a.step_id,
    plan_token_hash: a.plan_token_hash,
    approved: a.approved,
    approver: a.approver,
  }));
}

/** An approval the WAL records without a matching signed run artifact. */
export interface UnbackedApproval {
  readonly approval_id: string;
  readonly reason: string;
}

/**
 * The first approval in `approvals` without its signed run artifact in `runs`, or undefined when
 * every one has it. A damaged or missing run blob counts as missing (fail closed).
 */
export async function unbackedApproval(
  runs: RunSource,
  approvals: readonly WalApproval[],
  key: BindingKey,
): Promise<UnbackedApproval | undefined> {
  for (const a of approvals) {
    const candidates = runs
      .list({ workflowId: a.workflow_id })
      .filter((e) => e.kind === 'approval' && e.status === 'OK');
    let reason = 'no accepted approval run artifact';
    let found = false;
    for (const c of candidates) {
      let run;
      try {
        run = await runs.get(c.run_id);
      } catch (err) {
        if (!hasCode(err)) throw err;
        reason = `run artifact ${c.run_id} unreadable (${err.code})`;
        continue;
      }
      if (run.approval_id !== a.approval_id) continue;
      const why = checkApprovalRun(a, { ...run }, key);
      if (why === undefined) {
        found = true;
        break;
      }
      reason = `run artifact ${c.run_id}: ${why}`;
    }
    if (!found) return { approval_id: a.approval_id, reason };
  }
  return undefined;
}
