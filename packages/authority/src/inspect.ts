/**
 * Read-only views of a home, safe to run while the authority is up: offline audit verification
 * (what `clearance audit verify` runs) and a status summary. They take no lock and write nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertAuditEvent,
  ClearanceError,
  keyRefFor,
  parseCheckpointLine,
  parseJsonStrict,
  publicKeyFromPem,
  splitLines,
  verifyAuditLog,
  type AuditCheckpoint,
  type AuditEvent,
  type AuditVerification,
} from '@clearance/protocol';
import { isErrno } from './fs-util.js';
import { readManifest, type HomeManifest } from './home.js';
import { loadPublicKey } from './keys.js';
import { isRecord } from './narrow.js';

/** Options of {@link verifyHomeAudit}. */
export interface VerifyHomeOptions {
  /** PEM of the public key to trust instead of the home's own `keys/audit-signing.pub`. */
  readonly trustedKeyPem?: string;
  /** Require the trusted key to have this reference (as printed by `clearance init`). */
  readonly expectKeyRef?: string;
  /** Check every event signature (default true). */
  readonly verifySignatures?: boolean;
}

/** Verification report plus the key it was checked against. */
export interface HomeAuditReport extends AuditVerification {
  readonly keyRef: string;
}

async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return Buffer.alloc(0);
    throw err;
  }
}

/**
 * Verify every link, signature and checkpoint of a home's audit log. The trusted key is the one
 * given, else the home's public key, which must match the key reference pinned in the manifest.
 */
export async function verifyHomeAudit(
  dir: string,
  options: VerifyHomeOptions = {},
): Promise<HomeAuditReport> {
  const manifest = await readManifest(dir);
  const publicKey =
    options.trustedKeyPem === undefined
      ? await loadPublicKey(join(dir, 'keys'))
      : publicKeyFromPem(options.trustedKeyPem);
  const keyRef = keyRefFor(publicKey);
  const expected =
    options.expectKeyRef ??
    (options.trustedKeyPem === undefined ? manifest.audit_key_ref : undefined);
  if (expected !== undefined && expected !== keyRef) {
    throw new ClearanceError('KEY_INVALID', `trusted key is ${keyRef}, expected ${expected}`);
  }
  const report = verifyAuditLog({
    log: await readOrEmpty(join(dir, 'audit', 'events.jsonl')),
    checkpoints: await readOrEmpty(join(dir, 'audit', 'checkpoints.jsonl')),
    trustedKeys: new Map([[keyRef, publicKey]]),
    ...(options.verifySignatures === undefined
      ? {}
      : { verifySignatures: options.verifySignatures }),
  });
  return { ...report, keyRef };
}

/** The last `n` stored events, parsed strictly (no verification; run verify for that). */
export async function tailEvents(
  dir: string,
  n: number,
): Promise<{ index: number; event: AuditEvent }[]> {
  await readManifest(dir);
  const { lines } = splitLines(await readOrEmpty(join(dir, 'audit', 'events.jsonl')));
  const start = Math.max(0, lines.length - n);
  return lines.slice(start).map((l, i) => {
    const event = parseJsonStrict(l);
    // Shown events are checked for shape; whether they are genuine is what `audit verify` tells.
    assertAuditEvent(event);
    return { index: start + i, event };
  });
}

/** A summary of a home for `clearance status`. */
export interface HomeStatus {
  readonly home: string;
  readonly manifest: HomeManifest;
  readonly audit: {
    readonly events: number;
    readonly intact: boolean;
    readonly firstBreak?: {
      readonly index: number;
      readonly code: string;
      readonly reason: string;
    };
    readonly latestCheckpoint?: AuditCheckpoint;
    readonly rootHash: string;
  };
  readonly users: number;
  readonly blobs: number;
  readonly locked: boolean;
}

/** Status of a home: manifest, audit integrity (links and checkpoints), counts. */
export async function homeStatus(dir: string): Promise<HomeStatus> {
  const manifest = await readManifest(dir);
  const report = await verifyHomeAudit(dir, { verifySignatures: false });
  const cps = (await readOrEmpty(join(dir, 'audit', 'checkpoints.jsonl')))
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  const last = cps[cps.length - 1];
  const usersText = await readOrEmpty(join(dir, 'identity', 'users.json'));
  const parsedUsers = usersText.length === 0 ? undefined : parseJsonStrict(usersText);
  const users =
    isRecord(parsedUsers) && Array.isArray(parsedUsers['users']) ? parsedUsers['users'].length : 0;
  return {
    home: dir,
    manifest,
    audit: {
      events: report.verifiedEvents,
      intact: report.ok,
      ...(report.break === undefined ? {} : { firstBreak: report.break }),
      ...(last === undefined ? {} : { latestCheckpoint: parseCheckpointLine(last) }),
      rootHash: report.rootHash,
    },
    users,
    blobs: await countBlobs(join(dir, 'cas', 'sha256')),
    locked: (await readOrEmpty(join(dir, 'home.lock'))).length > 0,
  };
}

async function countBlobs(root: string): Promise<number> {
  let n = 0;
  for (const fan of await readdir(root).catch(() => [] as string[])) {
    n += (await readdir(join(root, fan)).catch(() => [] as string[])).length;
  }
  return n;
}
