/**
 * The `approver-signatures` check of `audit verify --deep` (APR-13, GEN-6): every accepted
 * approval that carries the approver's own signature is re-verified offline against the keys the
 * approver registered (current and retired, `identity/users.json`), so a signature by another
 * user's key, a tampered binding or a rewritten decision is reported as
 * APPROVER_SIGNATURE_INVALID. An accepted approval without an approver signature is counted, not
 * reported: the approver may have had no key then (key registrations are audited as
 * `user_key_registered`).
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import {
  keyRefFor,
  parseJsonStrict,
  publicKeyFromPem,
  type JsonObject,
  type JsonValue,
} from '@clearance/protocol';
import { verifyApproverSignature } from './approver-signatures.js';
import type { DeepCheck, DeepProblem } from './deep-verify.js';
import { isErrno } from './fs-util.js';
import { userPublicKeys, UserDirectory } from './users.js';

async function registeredKeys(dir: string): Promise<{
  readonly keys: Map<string, KeyObject>;
  readonly byUser: Map<string, string[]>;
}> {
  const keys = new Map<string, KeyObject>();
  const byUser = new Map<string, string[]>();
  let users: UserDirectory;
  try {
    users = await UserDirectory.load(join(dir, 'identity', 'users.json'));
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { keys, byUser };
    throw err;
  }
  for (const user of users.list()) {
    const refs: string[] = [];
    for (const pem of userPublicKeys(user)) {
      const key = publicKeyFromPem(pem);
      const ref = keyRefFor(key);
      keys.set(ref, key);
      refs.push(ref);
    }
    byUser.set(user.name, refs);
  }
  return { keys, byUser };
}

function isJsonObject(v: JsonValue): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Approver signatures of accepted approvals (APR-13). */
export const approverSignaturesCheck: DeepCheck = {
  name: 'approver-signatures',
  async run(home) {
    const { keys, byUser } = await registeredKeys(home.dir);
    const problems: DeepProblem[] = [];
    let checked = 0;
    for (const l of home.runIndex) {
      const e = l.entry;
      if (e?.kind !== 'approval' || e.status !== 'OK') continue;
      const read = await home.readRun(e.address);
      if (!read.ok) continue; // reported by the runs check
      // Re-read through the strict parser: the body is plain JSON, so this narrows it honestly.
      const body = parseJsonStrict(JSON.stringify(read.value));
      if (!isJsonObject(body)) continue;
      const verdict = verifyApproverSignature(body, keys, byUser);
      if (verdict.kind === 'not-applicable' || verdict.kind === 'unsigned') continue;
      checked += 1;
      if (verdict.kind === 'invalid') {
        problems.push({
          code: 'APPROVER_SIGNATURE_INVALID',
          subject: e.run_id,
          reason: verdict.reason,
        });
      }
    }
    return { checked, problems };
  },
};
