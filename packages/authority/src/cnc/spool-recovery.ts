/**
 * Spool reconciliation on start (issue 10, B2): the cnc domain's recovery step, run when the
 * authority opens, after every WAL is replayed and before anything is served:
 * the spool is compared with the release intents and completions the WALs record
 * (cnc/takeoff.ts) and every program that is not a completed, recorded release with the recorded
 * bytes is moved to `spool/quarantine/` with a note and a critical audit event naming the
 * workflow, the file, both hashes and why (cnc/spool-reconcile.ts decides).
 *
 * An interrupted release (intent recorded, completion not) is quarantined rather than completed:
 * its take-off was running when the authority stopped, so by the crash rules the workflow ends
 * FAILED "outcome unknown", and a failed workflow must not leave a runnable program behind. An
 * operator's retry then releases the job's only program. A workflow whose WAL is corrupt (halted)
 * proves nothing, so its files count as unrecorded (fail closed).
 */
import { HASH_DOMAINS } from '@clearance/protocol';
import { basename } from 'node:path';
import type { TypedWALEntry } from '@clearance/protocol';
import type { DomainRecoveryAction, RecoveryPort } from '../domain/domain.js';
import {
  decideSpool,
  quarantineSpoolEntry,
  readSpool,
  type SpoolDecision,
  type SpoolRecord,
} from './spool-reconcile.js';
import {
  RELEASE_DOMAIN,
  RELEASE_INTENT_DOMAIN,
  RELEASE_INTENT_TYPE,
  RELEASE_TYPE,
} from './takeoff.js';
import type { ContentStore } from '../cas/store.js';
import { getObject, obj, str } from '../orchestrator/objects.js';

/** One entry moved out of the spool. */
export interface SpoolQuarantine {
  readonly file: string;
  readonly reason: string;
  readonly quarantinedAs: string;
  readonly workflow_id: string | undefined;
}

/** The recovery step of the cnc domain: every spool program must be a recorded release. */
export async function recoverSpool(
  dir: string,
  port: RecoveryPort,
): Promise<DomainRecoveryAction[]> {
  return (await reconcileSpool(dir, port)).map((q) => ({
    workflow_id: q.workflow_id ?? 'none',
    from: 'spool',
    action: `quarantined spool file ${q.file} (${q.reason}) as ${q.quarantinedAs}`,
  }));
}

/** Reconcile the spool folder `dir` with the replayed WALs; returns what was quarantined. */
export async function reconcileSpool(dir: string, port: RecoveryPort): Promise<SpoolQuarantine[]> {
  const entries = await readSpool(dir);
  if (entries.length === 0) return [];
  const records: SpoolRecord[] = [];
  for (const w of port.workflows) {
    const recorded = await releaseRecords(port.host.cas, w.id, w.log);
    // A FAILED workflow must not leave a runnable program, even when its WAL has the release
    // completion (the completion batch cut short, or its WAL cut back): its release counts as
    // interrupted, or an operator's retry would add a second program for the job.
    const failed = w.state === 'FAILED';
    records.push(...recorded.map((r) => (failed ? { ...r, completed: false } : r)));
  }
  const out: SpoolQuarantine[] = [];
  for (const d of decideSpool(entries, records)) {
    if (d.action === 'keep') continue;
    const quarantinedAs = await quarantineSpoolEntry(dir, d.name, {
      domain: HASH_DOMAINS.SPOOL_QUARANTINE,
      file: d.name,
      reason: d.reason,
      found_sha256: d.sha256 ?? null,
      workflow_id: d.record?.workflowId ?? null,
      recorded_sha256: d.record?.sha256 ?? null,
      recorded_completion: d.record?.completed ?? null,
      explanation: explain(d),
    });
    // Durable before the next file is looked at (recovery runs before anything is served).
    await port.host.note(undefined, {
      event_type: 'spool_quarantined',
      severity: 'critical',
      workflow_state: 'NONE',
      ...(d.record === undefined
        ? {}
        : { workflow: { workflow_id: d.record.workflowId, step_id: 'main' } }),
      message: `spool file ${d.name} (sha256 ${d.sha256 ?? 'n/a'}) moved to ${quarantinedAs}: ${explain(d)}`,
    });
    await port.host.settle();
    out.push({
      file: d.name,
      reason: d.reason,
      quarantinedAs,
      workflow_id: d.record?.workflowId,
    });
  }
  return out;
}

function explain(d: Extract<SpoolDecision, { action: 'quarantine' }>): string {
  switch (d.reason) {
    case 'temp-file':
      return 'temp file left by an interrupted release';
    case 'not-a-file':
      return 'not a regular file';
    case 'unrecorded':
      return 'no WAL records a release under this name';
    case 'bytes-differ':
      return `bytes differ from the recorded G-code (sha256 ${d.record?.sha256 ?? '?'})`;
    case 'interrupted-release':
      return `release of workflow ${d.record?.workflowId ?? '?'} was interrupted (intent recorded, completion not); its take-off ends FAILED, so the program is withdrawn`;
  }
}

/**
 * Release intents and completions recorded in one WAL (unreadable records are skipped); also used
 * offline by `audit verify --deep`.
 */
export async function releaseRecords(
  cas: ContentStore,
  workflowId: string,
  log: readonly TypedWALEntry[],
): Promise<SpoolRecord[]> {
  const out: SpoolRecord[] = [];
  for (const entry of log) {
    if (entry.entry_type !== 'artifact_created') continue;
    const { artifact_type: type, artifact_hash: address } = entry.data;
    try {
      if (type === RELEASE_INTENT_TYPE) {
        const intent = await getObject(cas, address, RELEASE_INTENT_DOMAIN);
        out.push({
          file: str(intent, 'spool_file'),
          workflowId,
          sha256: str(intent, 'gcode_sha256'),
          completed: false,
        });
      } else if (type === RELEASE_TYPE) {
        const release = await getObject(cas, address, RELEASE_DOMAIN);
        out.push({
          file: basename(str(release, 'spool_path')),
          workflowId,
          sha256: str(obj(release, 'gcode'), 'address'),
          completed: true,
        });
      }
    } catch {
      // A record that cannot be read proves nothing: its file counts as unrecorded.
    }
  }
  return out;
}
