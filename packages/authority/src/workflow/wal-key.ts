/**
 * The WAL MAC key (issue 10, B4): WAL checksums are HMAC-SHA256 under a secret kept in
 * `keys/wal-mac.key` (0600), separate from the audit signing key, so that whoever can append to a
 * `wal.jsonl` but cannot read `keys/` cannot forge an entry (an unkeyed checksum is public:
 * anyone can recompute it).
 *
 *   checksum = HMAC-SHA256(key, ASCII('cabincrew.wal-entry.v1') ‖ 0x00 ‖ JCS(entry minus checksum))
 *
 * i.e. the keyed form of the spec's `H('cabincrew.wal-entry.v1', …)` over the same bytes; it stays
 * a 64-hex string, so WALEntry still validates against the schema.
 *
 * Homes created before keyed WALs (legacy): on the first open the key is created and every
 * existing WAL's verified prefix (entry count, byte length, SHA-256 of those bytes) is recorded in
 * the same key file. A legacy line is accepted only inside that recorded prefix, byte for byte;
 * anything appended later needs the MAC. So an unkeyed line added after the migration is
 * corruption (the workflow halts), and the migration itself is an audited event. The key file is
 * written once, atomically, so a crash cannot leave a key without its legacy record.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize, ClearanceError, isSha256Hex, parseJsonStrict } from '@clearance/protocol';
import { isErrno, writeFileAtomic } from '../fs-util.js';
import { isRecord } from '../narrow.js';
import { legacyPrefixOf } from './wal.js';

/** File name of the WAL MAC key under `keys/`. */
export const WAL_KEY_FILE = 'wal-mac.key';

const FORMAT = 'clearance-wal-mac-key';
const WF_RE = /^wf-[0-9a-f]{32}$/;

/** The part of a pre-MAC WAL that was accepted when the key was created. */
export interface LegacyWalPrefix {
  readonly entries: number;
  readonly bytes: number;
  readonly sha256: string;
}

/** What reading and writing a WAL needs to seal and verify entry checksums. */
export interface WalSeal {
  /** The checksum (HMAC) of an entry body, i.e. the entry without `checksum`; 64 lowercase hex. */
  mac(domain: string, canonicalBody: string): string;
  /** The recorded legacy prefix of a workflow's WAL, if it predates the key. */
  legacyPrefix(workflowId: string): LegacyWalPrefix | undefined;
}

/** The loaded WAL MAC key of a home. */
export class WalMacKey implements WalSeal {
  private constructor(
    private readonly key: Buffer,
    private readonly legacy: ReadonlyMap<string, LegacyWalPrefix>,
  ) {}

  /** A key from raw bytes (tests, tools); at least 32 bytes. */
  static fromBytes(
    key: Uint8Array,
    legacy: ReadonlyMap<string, LegacyWalPrefix> = new Map(),
  ): WalMacKey {
    if (key.length < 32) throw new ClearanceError('KEY_INVALID', 'WAL MAC key is too short');
    return new WalMacKey(Buffer.from(key), legacy);
  }

  mac(domain: string, canonicalBody: string): string {
    return createHmac('sha256', this.key)
      .update(domain, 'ascii')
      .update(Buffer.of(0))
      .update(canonicalBody, 'utf8')
      .digest('hex');
  }

  legacyPrefix(workflowId: string): LegacyWalPrefix | undefined {
    return this.legacy.get(workflowId);
  }

  /** Workflows whose WAL has a recorded legacy prefix. */
  get legacyWorkflows(): readonly string[] {
    return [...this.legacy.keys()].sort();
  }

  /** Create the key file (refuses to replace one); `legacy` is the migration record. */
  static async create(
    keysDir: string,
    createdAt: string,
    legacy: ReadonlyMap<string, LegacyWalPrefix> = new Map(),
  ): Promise<WalMacKey> {
    const path = join(keysDir, WAL_KEY_FILE);
    if (await exists(path)) throw new ClearanceError('KEY_INVALID', `${path} already exists`);
    const key = randomBytes(32);
    const body = {
      format: FORMAT,
      version: 1,
      created_at: createdAt,
      key: key.toString('hex'),
      legacy: Object.fromEntries([...legacy].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    await writeFileAtomic(path, `${canonicalize(body)}\n`, 0o600);
    return new WalMacKey(key, legacy);
  }

  /** Load the key file, refusing one readable by group or others, or malformed. */
  static async load(keysDir: string): Promise<WalMacKey> {
    const path = join(keysDir, WAL_KEY_FILE);
    let text: string;
    try {
      const mode = (await stat(path)).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new ClearanceError(
          'KEY_INVALID',
          `${path} is accessible by group or others (mode ${mode.toString(8)}); chmod 600 it`,
        );
      }
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (err instanceof ClearanceError) throw err;
      throw new ClearanceError('KEY_INVALID', `WAL MAC key ${path} is unreadable`, { cause: err });
    }
    return parseKeyFile(text, path);
  }
}

function parseKeyFile(text: string, path: string): WalMacKey {
  const bad = (): ClearanceError =>
    new ClearanceError('KEY_INVALID', `${path} has an unknown format`);
  let v: unknown;
  try {
    v = parseJsonStrict(text.trimEnd());
  } catch {
    throw bad();
  }
  if (!isRecord(v) || v['format'] !== FORMAT || v['version'] !== 1) throw bad();
  const key = v['key'];
  const legacyRaw = v['legacy'];
  if (!isSha256Hex(key) || !isRecord(legacyRaw)) throw bad();
  const legacy = new Map<string, LegacyWalPrefix>();
  for (const [id, p] of Object.entries(legacyRaw)) {
    if (!WF_RE.test(id) || !isRecord(p)) throw bad();
    const { entries, bytes, sha256 } = p;
    if (!isCount(entries) || !isCount(bytes) || !isSha256Hex(sha256)) throw bad();
    legacy.set(id, { entries, bytes, sha256 });
  }
  return WalMacKey.fromBytes(Buffer.from(key, 'hex'), legacy);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

/** Ids of the workflow folders of a home (the ones whose WAL a legacy scan reads). */
export async function workflowFolderIds(workflowsDir: string): Promise<string[]> {
  try {
    return (await readdir(workflowsDir)).filter((n) => WF_RE.test(n)).sort();
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

/** True when the home has a WAL MAC key file. */
export async function hasWalKey(keysDir: string): Promise<boolean> {
  return exists(join(keysDir, WAL_KEY_FILE));
}

/**
 * Give a home created before keyed WALs its key: record the verified unkeyed prefix of every
 * existing WAL (the legacy part that stays acceptable), then create the key file with that record
 * in one atomic write. Returns the key and the recorded prefixes (the caller audits them).
 */
export async function migrateToWalKey(
  homeDir: string,
  createdAt: string,
): Promise<{ key: WalMacKey; legacy: ReadonlyMap<string, LegacyWalPrefix> }> {
  const workflowsDir = join(homeDir, 'workflows');
  const legacy = new Map<string, LegacyWalPrefix>();
  for (const id of await workflowFolderIds(workflowsDir)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(workflowsDir, id, 'wal.jsonl'));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue;
      throw err;
    }
    const prefix = legacyPrefixOf(bytes, id);
    if (prefix !== undefined) legacy.set(id, prefix);
  }
  const key = await WalMacKey.create(join(homeDir, 'keys'), createdAt, legacy);
  return { key, legacy };
}
