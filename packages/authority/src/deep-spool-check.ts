/**
 * The `spool` check of `audit verify --deep` (issue 10 B2): every program in the spool folder the
 * machines read (`cnc.spool_dir`, default `<home>/spool`; `quarantine/` excluded) must be a
 * completed release that a WAL records, with exactly the recorded bytes. Anything else — a file
 * no WAL knows, a leftover temp link, an interrupted release, other bytes under a recorded name,
 * something that is not a regular file — is SPOOL_UNRECORDED. The server moves such files to
 * `spool/quarantine/` when it starts; this check finds them offline, e.g. on a copy of the home.
 */
import { join } from 'node:path';
import { hasCode } from '@clearance/protocol';
import { decideSpool, readSpool, type SpoolRecord } from './cnc/spool-reconcile.js';
import { configPath, loadConfig } from './config/index.js';
import type { DeepCheck, DeepProblem } from './deep-verify.js';
import { isErrno } from './fs-util.js';
import { releaseRecords } from './orchestrator/spool-recovery.js';

/** The spool folder the home's config names (default `<home>/spool`). */
async function spoolOf(dir: string): Promise<string> {
  try {
    return (await loadConfig(configPath(dir))).cnc.spoolDir ?? join(dir, 'spool');
  } catch (err) {
    // No config (a bare home) means the default folder; a broken config is the config's problem.
    if (isErrno(err, 'ENOENT') || hasCode(err, 'CONFIG_INVALID')) return join(dir, 'spool');
    throw err;
  }
}

/** Released programs against the WALs' release records (B2). */
export const spoolCheck: DeepCheck = {
  name: 'spool',
  async run(home) {
    const entries = await readSpool(await spoolOf(home.dir));
    const records: SpoolRecord[] = [];
    for (const w of home.workflows) {
      const recorded = await releaseRecords(home.cas, w.id, w.parse.entries);
      // Only a workflow that completed keeps its program (recovery fails every other one).
      const done = w.view?.state === 'COMPLETED';
      records.push(...recorded.map((r) => (done ? r : { ...r, completed: false })));
    }
    const problems: DeepProblem[] = [];
    for (const d of decideSpool(entries, records)) {
      if (d.action === 'keep') continue;
      problems.push({
        code: 'SPOOL_UNRECORDED',
        subject: d.name,
        reason: `${d.reason}${d.record === undefined ? '' : ` (workflow ${d.record.workflowId})`}; found sha256 ${d.sha256 ?? 'n/a'}`,
      });
    }
    return { checked: entries.length, problems };
  },
};
