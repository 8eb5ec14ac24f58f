/**
 * `clearance audit verify --deep`: re-verify a home offline from its files alone (the audit log,
 * every WAL's MACs, every CAS blob, the run index and run artifacts, every approval's signed
 * binding, every plan-token recomputed from the stored artifacts, WAL ↔ audit ↔ runs). Prints
 * each check with the first problem of each code; exit 0 intact, 1 broken, 2 error.
 */
import { deepVerifyHome, firstProblemPerCode, resolveHomeDir } from '@clearance/authority';
import { readFile } from 'node:fs/promises';
import { ClearanceError, keyRefFor, publicKeyFromPem } from '@clearance/protocol';
import { EXIT, json, type Io } from './output.js';

/** Run the deep verification of the home named by `home` (flag, $CLEARANCE_HOME or default). */
export async function auditDeepCommand(
  io: Io,
  opts: {
    readonly home?: string;
    readonly json?: boolean;
    readonly keyRef?: string;
    readonly trustedKey?: string;
  },
): Promise<number> {
  const report = await deepVerifyHome(resolveHomeDir(opts.home));
  if (opts.keyRef !== undefined && opts.keyRef !== report.keyRef) {
    throw new ClearanceError(
      'KEY_INVALID',
      `home key is ${report.keyRef}, expected ${opts.keyRef}`,
    );
  }
  // Every deep check verifies with the home's own key: a pinned key must be that key, or a home
  // whose key files were replaced and everything re-signed would pass.
  if (opts.trustedKey !== undefined) {
    const trusted = keyRefFor(publicKeyFromPem(await readFile(opts.trustedKey, 'utf8')));
    if (trusted !== report.keyRef) {
      const reason = `AUDIT_KEY_UNKNOWN: the home is signed by ${report.keyRef}, not by the trusted key ${trusted}`;
      if (opts.json === true)
        io.out(json({ ...report, ok: false, trusted_key: { ref: trusted, reason } }));
      else io.err(`deep verification of ${report.home}: ${reason}\nhome BROKEN`);
      return EXIT.integrity;
    }
  }
  if (opts.json === true) {
    io.out(json(report));
    return report.ok ? EXIT.ok : EXIT.integrity;
  }
  const lines = [`deep verification of ${report.home} (authority key ${report.keyRef})`];
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const check of report.checks) {
    const state = check.problems.length === 0 ? 'ok' : 'BROKEN';
    lines.push(`  ${check.name.padEnd(width)} ${state.padEnd(7)} ${check.checked} checked`);
    for (const p of firstProblemPerCode(check)) {
      const more = check.problems.filter((q) => q.code === p.code).length - 1;
      lines.push(`    ${p.code}: ${p.subject}: ${p.reason}${more > 0 ? ` (+${more} more)` : ''}`);
    }
  }
  if (report.ok) {
    io.out([...lines, 'home intact'].join('\n'));
    return EXIT.ok;
  }
  io.err([...lines, 'home BROKEN'].join('\n'));
  return EXIT.integrity;
}
