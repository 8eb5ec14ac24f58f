/**
 * Wiring of the checkpoint witness into an open home (issue 10 U1): the start-up rollback check
 * and the delivery of every new checkpoint, with failures recorded as critical audit events.
 */
import {
  canonicalize,
  hasCode,
  parseCheckpointLine,
  type AuditCheckpoint,
} from '@clearance/protocol';
import type { ClearanceHome } from '../home.js';
import { checkAgainstCheckpoint } from './consistency.js';
import { WitnessQueue, type CheckpointWitness } from './witness.js';

/**
 * Refuse to run on a log older than the witness's latest checkpoint: AUDIT_ROLLBACK when the log
 * is smaller, of another log id, or its prefix root differs (no RFC 6962 consistency);
 * AUDIT_CHECKPOINT_INVALID when the witness's checkpoint is malformed or not signed by this
 * home's key. Returns the checkpoint checked (undefined when the witness holds none or, for a
 * command witness without a `latest` command, cannot tell).
 */
export async function assertNotRolledBack(
  home: ClearanceHome,
  witness: CheckpointWitness,
): Promise<AuditCheckpoint | undefined> {
  const line = await witness.latest();
  if (line === undefined) return undefined;
  const checkpoint = parseCheckpointLine(line);
  checkAgainstCheckpoint(checkpoint, home.audit, new Map([[home.key.keyRef, home.key.publicKey]]), {
    smaller: 'AUDIT_ROLLBACK',
    diverged: 'AUDIT_ROLLBACK',
  });
  return checkpoint;
}

/**
 * Send every checkpoint the home's log writes from now on to `witness`; catch the witness up with
 * the newest local checkpoint when it lags behind `held`. A failed delivery becomes a critical
 * `audit_witness_failed` event (while the log is open) and a line on `warn`.
 */
export function attachWitness(
  home: ClearanceHome,
  witness: CheckpointWitness,
  held: AuditCheckpoint | undefined,
  warn: (message: string) => void,
): WitnessQueue {
  const queue = new WitnessQueue(witness, (checkpoint, err) => {
    const why = hasCode(err) ? `${err.code}: ${err.message}` : errorText(err);
    const message = `checkpoint of ${checkpoint.tree_size} events (root ${checkpoint.root_hash}) was not accepted by the witness (${witness.description}): ${why}`;
    warn(`clearance: AUDIT WITNESS FAILED: ${message}`);
    home.audit
      .append({
        event_type: 'audit_witness_failed',
        workflow_state: 'NONE',
        severity: 'critical',
        message,
      })
      .catch((appendErr: unknown) => {
        warn(`clearance: the witness failure could not be audited: ${errorText(appendErr)}`);
      });
  });
  home.audit.onCheckpoint((checkpoint, line) => queue.offer(checkpoint, line));
  const newest = home.audit.checkpoints.at(-1);
  if (newest !== undefined && newest.tree_size > (held?.tree_size ?? 0)) {
    // Stored checkpoints were parsed from canonical lines: canonicalising gives the same bytes.
    queue.offer(newest, canonicalize(newest));
  }
  return queue;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
