/**
 * `clearance audit verify --trusted-checkpoint FILE` (issue 10 U1): the ordinary offline
 * verification of a home's log, then an RFC 6962 consistency proof from each checkpoint of FILE
 * (saved outside the home earlier) to the log. Read-only, no lock.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashLeaf, hasCode, keyRefFor, publicKeyFromPem, splitLines } from '@clearance/protocol';
import { verifyHomeAudit, type HomeAuditReport, type VerifyHomeOptions } from '../inspect.js';
import { loadPublicKey } from '../keys.js';
import {
  checkAgainstCheckpoint,
  parseTrustedCheckpoints,
  treeOfLeaves,
  type ConsistencyResult,
} from './consistency.js';

/** Outcome of {@link verifyHomeAgainstCheckpoints}. */
export interface TrustedCheckpointReport {
  readonly audit: HomeAuditReport;
  /** One proof per trusted checkpoint, when the log verified and extends every one of them. */
  readonly consistency: readonly ConsistencyResult[];
  /** The first refusal (only when the log itself verified). */
  readonly failure?: { readonly code: string; readonly reason: string; readonly treeSize: number };
  readonly ok: boolean;
}

/**
 * Verify the home's log, then prove it extends every checkpoint in `trustedText`. A log that does
 * not verify on its own is reported as such (no consistency is attempted on a broken log).
 */
export async function verifyHomeAgainstCheckpoints(
  dir: string,
  trustedText: string,
  options: VerifyHomeOptions = {},
): Promise<TrustedCheckpointReport> {
  const trusted = parseTrustedCheckpoints(trustedText);
  const audit = await verifyHomeAudit(dir, options);
  if (!audit.ok) return { audit, consistency: [], ok: false };
  // The same key verifyHomeAudit checked (pinned to the manifest's key reference unless given).
  const key =
    options.trustedKeyPem === undefined
      ? await loadPublicKey(join(dir, 'keys'))
      : publicKeyFromPem(options.trustedKeyPem);
  const keys = new Map([[keyRefFor(key), key]]);
  const { lines } = splitLines(await readFile(join(dir, 'audit', 'events.jsonl')));
  const leaves = lines.slice(0, audit.verifiedEvents).map((l) => hashLeaf(l));
  const tree = treeOfLeaves(leaves, audit.logId);
  const consistency: ConsistencyResult[] = [];
  for (const cp of trusted) {
    try {
      consistency.push(checkAgainstCheckpoint(cp, tree, keys));
    } catch (err) {
      if (!hasCode(err)) throw err;
      return {
        audit,
        consistency,
        failure: { code: err.code, reason: err.message, treeSize: cp.tree_size },
        ok: false,
      };
    }
  }
  return { audit, consistency, ok: true };
}
