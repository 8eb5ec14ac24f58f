/**
 * The checks of `audit verify --deep` (deep-verify.ts). Each is named, examines one class of
 * record and reports problems with stable codes:
 *
 *   audit        AUDIT_BROKEN                     the audit log's links, signatures, checkpoints
 *   wal          WAL_KEY_MISSING, WAL_MAC_INVALID, WAL_CORRUPT
 *   cas          CAS_BLOB_CORRUPT                 a blob's bytes no longer match its address
 *   runs         RUN_INDEX_INVALID, RUN_ARTIFACT_MISSING, RUN_ARTIFACT_CORRUPT,
 *                RUN_INDEX_MISMATCH, RUN_ARTIFACT_UNINDEXED
 *   approvals    APPROVAL_SIGNATURE_INVALID       an accepted approval's signed binding
 *   approver-signatures  APPROVER_SIGNATURE_INVALID  the approver's own signature (APR-13)
 *   plan-tokens  PLAN_TOKEN_MISMATCH              recomputed from the stored artifacts
 *   consistency  WAL_EVENT_MISSING, WAL_TRUNCATED, APPROVAL_UNBACKED   WAL ↔ audit ↔ runs
 *   spool        SPOOL_UNRECORDED                 a released program no WAL records as released
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, Hb } from '@clearance/protocol';
import { approverSignaturesCheck } from './deep-approver-check.js';
import { spoolCheck } from './deep-spool-check.js';
import type { DeepCheck, DeepHome, DeepProblem } from './deep-verify.js';
import { verifyHomeAudit } from './inspect.js';
import { isRecord } from './narrow.js';
import {
  signedBindingProblem,
  unbackedApproval,
  walApprovals,
  type RunSource,
} from './orchestrator/approval-evidence.js';
import { PLAN_RECORD_TYPE, REQUEST_TYPE } from './orchestrator/records.js';
import { planRecords, verifyPlan } from './orchestrator/verify.js';
import { auditedWalSequence, walEvent } from './orchestrator/wal-events.js';
import { runIdOf, type RunIndexEntry } from './runs/run-artifacts.js';

const auditCheck: DeepCheck = {
  name: 'audit',
  async run(home) {
    const report = await verifyHomeAudit(home.dir);
    const b = report.break;
    const problems: DeepProblem[] =
      b === undefined
        ? []
        : [{ code: 'AUDIT_BROKEN', subject: `event ${b.index}`, reason: `${b.code}: ${b.reason}` }];
    return { checked: report.verifiedEvents, problems };
  },
};

const walCheck: DeepCheck = {
  name: 'wal',
  run(home) {
    const problems: DeepProblem[] = [];
    if (home.walKey === undefined) {
      problems.push({
        code: 'WAL_KEY_MISSING',
        subject: 'keys/wal-mac.key',
        reason: home.walKeyError ?? 'missing',
      });
    }
    for (const w of home.workflows) {
      const c = w.parse.corruption;
      if (c !== undefined) {
        problems.push({
          code: c.reason === 'checksum mismatch' ? 'WAL_MAC_INVALID' : 'WAL_CORRUPT',
          subject: `${w.id} entry ${c.index}`,
          reason: c.reason,
        });
      } else if (w.replayError !== undefined) {
        problems.push({ code: 'WAL_CORRUPT', subject: w.id, reason: w.replayError });
      }
    }
    return Promise.resolve({ checked: home.workflows.length, problems });
  },
};

const casCheck: DeepCheck = {
  name: 'cas',
  async run(home) {
    const root = join(home.dir, 'cas', 'sha256');
    const problems: DeepProblem[] = [];
    let checked = 0;
    for (const fan of (await readdir(root).catch(() => [] as string[])).sort()) {
      for (const name of (await readdir(join(root, fan))).sort()) {
        checked += 1;
        const actual = Hb(await readFile(join(root, fan, name)));
        if (actual !== name || !name.startsWith(fan)) {
          problems.push({
            code: 'CAS_BLOB_CORRUPT',
            subject: `cas/sha256/${fan}/${name}`,
            reason: `bytes hash to ${actual}`,
          });
        }
      }
    }
    return { checked, problems };
  },
};

const runsCheck: DeepCheck = {
  name: 'runs',
  async run(home) {
    const problems: DeepProblem[] = [];
    const indexed = new Set<string>();
    for (const l of home.runIndex) {
      if (l.entry === undefined) {
        problems.push({
          code: 'RUN_INDEX_INVALID',
          subject: `runs/index.jsonl line ${l.line}`,
          reason: l.error ?? 'malformed',
        });
        continue;
      }
      indexed.add(l.entry.address);
      const problem = await checkIndexedRun(home, l.entry);
      if (problem !== undefined) problems.push(problem);
    }
    // Every run the audit log recorded (run_artifact events) is in the index.
    for (const e of home.auditEvents) {
      if (e['event_type'] !== 'run_artifact' || !Array.isArray(e['artifacts'])) continue;
      const first: unknown = e['artifacts'][0];
      if (!isRecord(first)) continue;
      const address = first['hash'];
      if (typeof address === 'string' && !indexed.has(address)) {
        problems.push({
          code: 'RUN_ARTIFACT_UNINDEXED',
          subject: String(first['name']),
          reason: `audited run artifact ${address} is not in runs/index.jsonl`,
        });
      }
    }
    return { checked: home.runIndex.length, problems };
  },
};

async function checkIndexedRun(
  home: DeepHome,
  entry: RunIndexEntry,
): Promise<DeepProblem | undefined> {
  const read = await home.readRun(entry.address);
  const subject = entry.run_id;
  if (!read.ok) {
    return read.code === 'CAS_NOT_FOUND'
      ? { code: 'RUN_ARTIFACT_MISSING', subject, reason: `blob ${entry.address} is missing` }
      : { code: 'RUN_ARTIFACT_CORRUPT', subject, reason: `blob ${entry.address}: ${read.code}` };
  }
  const { run_id: runId, ...content } = read.artifact;
  if (runId !== entry.run_id || runIdOf(content) !== runId) {
    return { code: 'RUN_ARTIFACT_CORRUPT', subject, reason: 'run id does not match its content' };
  }
  const a = read.artifact;
  const same =
    a.kind === entry.kind &&
    a.status === entry.status &&
    a.workflow_id === entry.workflow_id &&
    a.created_at === entry.created_at;
  return same
    ? undefined
    : { code: 'RUN_INDEX_MISMATCH', subject, reason: 'index line differs from the run artifact' };
}

const approvalsCheck: DeepCheck = {
  name: 'approvals',
  async run(home) {
    const problems: DeepProblem[] = [];
    let checked = 0;
    for (const l of home.runIndex) {
      const e = l.entry;
      if (e?.kind !== 'approval' || e.status !== 'OK') continue;
      const read = await home.readRun(e.address);
      if (!read.ok) continue; // reported by the runs check
      checked += 1;
      const why = signedBindingProblem(read.value, {
        publicKey: home.publicKey,
        keyRef: home.keyRef,
      });
      if (why !== undefined) {
        problems.push({ code: 'APPROVAL_SIGNATURE_INVALID', subject: e.run_id, reason: why });
      }
    }
    return { checked, problems };
  },
};

const planTokensCheck: DeepCheck = {
  name: 'plan-tokens',
  async run(home) {
    const problems: DeepProblem[] = [];
    let checked = 0;
    for (const w of home.workflows) {
      const view = w.view;
      if (view === undefined || view.planTokenHash === '') continue;
      const plan = view.objects[PLAN_RECORD_TYPE];
      const request = view.objects[REQUEST_TYPE];
      if (plan === undefined || request === undefined) continue;
      checked += 1;
      let stored;
      try {
        stored = (await planRecords(home.cas, plan, request)).stored;
      } catch (err) {
        const code = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
        problems.push({ code: 'PLAN_TOKEN_MISMATCH', subject: w.id, reason: `plan ${code}` });
        continue;
      }
      // Offline there is no configuration: the digests the token recorded are taken as given;
      // every artifact, the request, workspace hash and identity are recomputed from the store.
      const v = await verifyPlan(home.cas, view, {
        policyDigest: stored.policy_digest ?? '',
        governanceHash: stored.governance_hash ?? '',
      });
      if (!v.ok) problems.push({ code: 'PLAN_TOKEN_MISMATCH', subject: w.id, reason: v.reason });
    }
    return { checked, problems };
  },
};

const consistencyCheck: DeepCheck = {
  name: 'consistency',
  async run(home) {
    const problems: DeepProblem[] = [];
    const runs = offlineRuns(home);
    let checked = 0;
    for (const w of home.workflows) {
      for (const item of w.trail ?? []) {
        checked += 1;
        const id = walEvent(item.entry, item.state, item.stepType).event_id;
        if (id !== undefined && !home.auditEventIds.has(id)) {
          problems.push({
            code: 'WAL_EVENT_MISSING',
            subject: `${w.id} entry ${item.entry.sequence}`,
            reason: `no audit event ${id} for ${item.entry.entry_type}`,
          });
        }
      }
      const length = w.parse.entries.length;
      const intact = w.parse.corruption === undefined; // a corrupt WAL is reported by `wal`
      if (intact && auditedWalSequence((id) => home.auditEventIds.has(id), w.id, length)) {
        problems.push({
          code: 'WAL_TRUNCATED',
          subject: `${w.id} entry ${length}`,
          reason:
            'the audit log records a WAL entry beyond the end of the WAL (lines were cut off)',
        });
      }
      if (w.view === undefined) continue;
      for (const a of walApprovals(w.view)) {
        const u = await unbackedApproval(runs, [a], home);
        if (u !== undefined) {
          problems.push({
            code: 'APPROVAL_UNBACKED',
            subject: `${w.id} approval ${a.approval_id}`,
            reason: u.reason,
          });
        }
      }
    }
    // A workflow the audit log knows whose folder (WAL) is gone: a WAL cut back to nothing.
    const present = new Set(home.workflows.map((w) => w.id));
    for (const id of auditedWorkflowIds(home)) {
      if (present.has(id) || !auditedWalSequence((e) => home.auditEventIds.has(e), id, 0)) continue;
      problems.push({
        code: 'WAL_TRUNCATED',
        subject: `${id} entry 0`,
        reason: 'the audit log records WAL entries of a workflow whose WAL is gone',
      });
    }
    return { checked, problems };
  },
};

function auditedWorkflowIds(home: DeepHome): string[] {
  const ids = new Set<string>();
  for (const e of home.auditEvents) {
    const wf = e['workflow'];
    const id = isRecord(wf) ? wf['workflow_id'] : undefined;
    if (typeof id === 'string' && /^wf-[0-9a-f]{32}$/.test(id)) ids.add(id);
  }
  return [...ids].sort();
}

/** The run index and CAS of an offline home, in the shape approval evidence looks runs up in. */
function offlineRuns(home: DeepHome): RunSource {
  const entries = home.runIndex.flatMap((l) => (l.entry === undefined ? [] : [l.entry]));
  return {
    list: (filter = {}) =>
      filter.workflowId === undefined
        ? entries
        : entries.filter((e) => e.workflow_id === filter.workflowId),
    get: async (runId) => {
      const entry = entries.find((e) => e.run_id === runId);
      const read = entry === undefined ? undefined : await home.readRun(entry.address);
      if (read?.ok !== true) {
        throw new ClearanceError('NOT_FOUND', `run artifact ${runId} is unreadable`);
      }
      return read.artifact;
    },
  };
}

/** Every deep check, in the order they run and are reported. */
export const DEEP_CHECKS: readonly DeepCheck[] = [
  auditCheck,
  walCheck,
  casCheck,
  runsCheck,
  approvalsCheck,
  approverSignaturesCheck,
  planTokensCheck,
  consistencyCheck,
  spoolCheck,
];
