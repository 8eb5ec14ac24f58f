/**
 * The `spool` check of `audit verify --deep` (issue 10 B2): every program in the spool folder the
 * machines read (`cnc.spool_dir`, default `<home>/spool`; `quarantine/` excluded) must be a
 * completed release that a WAL records, with exactly the recorded bytes. Anything else — a file
 * no WAL knows, a leftover temp link, an interrupted release, other bytes under a recorded name,
 * something that is not a regular file — is SPOOL_UNRECORDED. The server moves such files to
 * `spool/quarantine/` when it starts; this check finds them offline, e.g. on a copy of the home.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCode } from '@clearance/protocol';
import { decideSpool, readSpool, type SpoolRecord } from './cnc/spool-reconcile.js';
import { configPath, loadConfig } from './config/index.js';
import type { DeepCheck, DeepProblem } from './deep-verify.js';
import { isErrno } from './fs-util.js';
import { releaseRecords } from './cnc/spool-recovery.js';

/**
 * The spool folder the home's config names (default `<home>/spool`). A config that does not
 * load is a problem of its own: guessing the default could check the wrong folder and pass.
 */
async function spoolOf(dir: string): Promise<string | DeepProblem> {
  const path = configPath(dir);
  try {
    await lstat(path);
  } catch (err) {
    // A home without config.json (its config is supplied when opened) uses the default spool.
    if (isErrno(err, 'ENOENT')) return join(dir, 'spool');
    throw err;
  }
  try {
    return (await loadConfig(path)).cnc.spoolDir ?? join(dir, 'spool');
  } catch (err) {
    if (hasCode(err)) return { code: err.code, subject: 'config.json', reason: err.message };
    throw err;
  }
}

/** Released programs against the WALs' release records (B2); a config that does not load too. */
export const spoolCheck: DeepCheck = {
  name: 'spool',
  async run(home) {
    const spool = await spoolOf(home.dir);
    if (typeof spool !== 'string') return { checked: 0, problems: [spool] };
    const entries = await readSpool(spool);
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
