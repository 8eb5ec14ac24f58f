/**
 * The per-workflow write-ahead log (spec/cabincrew.md §4.2.9): one JSON Lines file of WALEntry
 * objects, sequence from 0 in steps of 1, `checksum = HMAC-SHA256(key, 'cabincrew.wal-entry.v1' ‖
 * 0x00 ‖ JCS(entry minus checksum))` with the home's WAL MAC key (wal-key.ts; issue 10 B4: an
 * unkeyed checksum lets anyone forge an entry). Lines of a WAL written before the key existed
 * verify with the spec's unkeyed `H('cabincrew.wal-entry.v1', …)`, but only inside the prefix
 * recorded when the key was created. Write discipline: append the line, fdatasync, then act. The
 * WAL is the source of truth; the state snapshot is derived from it.
 *
 * Reading is pure (`parseWal`); a torn final line (no newline) was never acknowledged and is cut
 * off into quarantine; any other damage — a bad checksum, a sequence gap or duplicate, a schema-
 * invalid entry, another workflow's id — is corruption that halts the workflow (the file is kept
 * as it is for forensics, never rewritten).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  assertWalEntry,
  canonicalize,
  ClearanceError,
  constantTimeEqual,
  H,
  hasCode,
  parseJsonStrict,
  toProfileTimestamp,
  type TypedWALEntry,
  type WALDataMap,
  type WALEntryType,
  HASH_DOMAINS,
} from '@clearance/protocol';
import { isRecord } from '../narrow.js';
import type { Clock } from '../runtime.js';
import type { TornTail } from '../audit/torn-tail.js';
import { AppendLog } from '../store/append-log.js';
import type { LegacyWalPrefix, WalSeal } from './wal-key.js';

/** Domain tag of the WAL entry checksum. */
export const WAL_ENTRY_DOMAIN = HASH_DOMAINS.WAL_ENTRY;

/** Largest WAL line accepted when reading (entries are small; anything bigger is damage). */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * The legacy, unkeyed checksum of an entry: H over every member except `checksum`. Accepted only
 * inside a WAL's recorded legacy prefix (see the file comment); never written any more.
 */
export function walChecksum(entry: Readonly<Record<string, unknown>>): string {
  const { checksum: _ignored, ...rest } = entry;
  return H(WAL_ENTRY_DOMAIN, rest);
}

/** The keyed checksum (HMAC) of an entry: over every member except `checksum`. */
export function walMac(seal: WalSeal, entry: Readonly<Record<string, unknown>>): string {
  const { checksum: _ignored, ...rest } = entry;
  return seal.mac(WAL_ENTRY_DOMAIN, canonicalize(rest));
}

/** Build a sealed, schema-checked entry (throws on anything invalid: never write a bad entry). */
export function sealWalEntry<K extends WALEntryType>(
  sequence: number,
  timestamp: string,
  workflowId: string,
  entryType: K,
  data: WALDataMap[K],
  seal: WalSeal,
): TypedWALEntry {
  const body = { sequence, timestamp, workflow_id: workflowId, entry_type: entryType, data };
  const entry: unknown = { ...body, checksum: walMac(seal, body) };
  assertWalEntry(entry);
  return entry;
}

/** Where and why a WAL stopped being trustworthy. */
export interface WalCorruption {
  readonly index: number;
  readonly reason: string;
}

/** Result of reading a WAL's bytes. */
export interface WalParse {
  readonly entries: readonly TypedWALEntry[];
  /** Byte length of the trusted prefix (complete, verified lines). */
  readonly validBytes: number;
  /** A final line without its newline: never committed. */
  readonly tornBytes: number;
  readonly corruption: WalCorruption | undefined;
}

/**
 * Parse and verify WAL bytes of `workflowId` (pure). Stops at the first corrupt line. `seal` is the
 * home's WAL key; `'unkeyed'` verifies every line with the legacy checksum (used only to record the
 * legacy prefixes when a key is first created).
 */
export function parseWal(
  bytes: Uint8Array,
  workflowId: string,
  seal: WalSeal | 'unkeyed',
): WalParse {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: TypedWALEntry[] = [];
  const legacy = seal === 'unkeyed' ? undefined : seal.legacyPrefix(workflowId);
  if (legacy !== undefined && !legacyPrefixIntact(buf, legacy)) {
    return {
      entries,
      validBytes: 0,
      tornBytes: 0,
      corruption: { index: 0, reason: 'the legacy (pre-MAC) part of the WAL was changed' },
    };
  }
  let offset = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl < 0) {
      return { entries, validBytes: offset, tornBytes: buf.length - offset, corruption: undefined };
    }
    const line = buf.subarray(offset, nl);
    // A line inside the recorded legacy prefix verifies unkeyed; every later line needs the MAC.
    const keyed =
      seal === 'unkeyed' || (legacy !== undefined && nl < legacy.bytes) ? undefined : seal;
    const verify = (v: Readonly<Record<string, unknown>>, checksum: string): boolean =>
      constantTimeEqual(keyed === undefined ? walChecksum(v) : walMac(keyed, v), checksum);
    const reason = checkLine(line, entries.length, workflowId, entries, verify);
    if (reason !== undefined) {
      return {
        entries,
        validBytes: offset,
        tornBytes: 0,
        corruption: { index: entries.length, reason },
      };
    }
    offset = nl + 1;
  }
  return { entries, validBytes: offset, tornBytes: 0, corruption: undefined };
}

function legacyPrefixIntact(buf: Buffer, legacy: LegacyWalPrefix): boolean {
  if (buf.length < legacy.bytes) return false;
  const digest = createHash('sha256').update(buf.subarray(0, legacy.bytes)).digest('hex');
  return constantTimeEqual(digest, legacy.sha256);
}

/**
 * The verified prefix of a WAL written with unkeyed checksums (recorded when a home gets its WAL
 * key); undefined when no line verifies.
 */
export function legacyPrefixOf(bytes: Uint8Array, workflowId: string): LegacyWalPrefix | undefined {
  const parsed = parseWal(bytes, workflowId, 'unkeyed');
  if (parsed.entries.length === 0) return undefined;
  const prefix = Buffer.from(bytes.buffer, bytes.byteOffset, parsed.validBytes);
  return {
    entries: parsed.entries.length,
    bytes: parsed.validBytes,
    sha256: createHash('sha256').update(prefix).digest('hex'),
  };
}

function checkLine(
  line: Buffer,
  index: number,
  workflowId: string,
  entries: TypedWALEntry[],
  verify: (value: Readonly<Record<string, unknown>>, checksum: string) => boolean,
): string | undefined {
  if (line.length > MAX_LINE_BYTES) return `line exceeds ${MAX_LINE_BYTES} bytes`;
  let value: unknown;
  try {
    value = parseJsonStrict(line.toString('utf8'));
    assertWalEntry(value);
  } catch (err) {
    return `entry is not a valid WALEntry (${hasCode(err) ? err.code : 'JSON_INVALID'})`;
  }
  if (!isRecord(value)) return 'entry is not an object';
  if (canonicalize(value) !== line.toString('utf8')) return 'entry is not canonical JSON';
  if (!verify(value, value.checksum)) return 'checksum mismatch';
  if (value.sequence !== index) return `sequence ${value.sequence} where ${index} was expected`;
  if (value.workflow_id !== workflowId) return 'entry belongs to another workflow';
  entries.push(value);
  return undefined;
}

/** Hooks of a WAL writer (crash injection). */
export interface WalWriterHooks {
  /** Called after a batch is written and before its fdatasync. */
  readonly beforeSync?: () => void;
}

/** A WAL opened for appending. Single writer per workflow (the orchestrator serialises). */
export class WalWriter {
  private constructor(
    private readonly file: AppendLog,
    readonly workflowId: string,
    private readonly clock: Clock,
    private next: number,
    private readonly seal: WalSeal,
  ) {}

  /** Number of entries written so far. */
  get length(): number {
    return this.next;
  }

  /**
   * Open `path` for appending after recovery: a torn tail is quarantined and truncated; a corrupt
   * WAL is refused (WAL_CORRUPT) and left untouched.
   */
  static async open(
    path: string,
    quarantineDir: string,
    workflowId: string,
    clock: Clock,
    seal: WalSeal,
    hooks: WalWriterHooks = {},
  ): Promise<{ writer: WalWriter; entries: readonly TypedWALEntry[]; torn: TornTail | undefined }> {
    let entries: readonly TypedWALEntry[] = [];
    const { log, torn } = await AppendLog.open(
      path,
      { quarantineDir, label: 'wal', ...hooks },
      (complete) => {
        const probe = parseWal(complete, workflowId, seal);
        if (probe.corruption !== undefined) throw walCorrupt(workflowId, probe.corruption);
        entries = probe.entries;
      },
    );
    return {
      writer: new WalWriter(log, workflowId, clock, entries.length, seal),
      entries,
      torn,
    };
  }

  /** Create a new, empty WAL (fails if one exists; the folder entry is fsynced). */
  static async create(
    path: string,
    workflowId: string,
    clock: Clock,
    seal: WalSeal,
    hooks: WalWriterHooks = {},
  ): Promise<WalWriter> {
    const log = await AppendLog.create(path, {
      quarantineDir: join(dirname(path), 'quarantine'),
      label: 'wal',
      ...hooks,
    });
    return new WalWriter(log, workflowId, clock, 0, seal);
  }

  /** Append one entry; resolves after fdatasync, with the entry as written. */
  async append<K extends WALEntryType>(type: K, data: WALDataMap[K]): Promise<TypedWALEntry> {
    const [entry] = await this.appendMany([{ type, data }]);
    if (entry === undefined) throw new ClearanceError('INTERNAL', 'WAL append wrote nothing');
    return entry;
  }

  /**
   * Append several entries with one write and one fdatasync (entries between which the
   * orchestrator does nothing observable). A crash may keep a prefix of them; each kept entry is
   * complete and valid, and a torn last line is recovered as usual.
   */
  async appendMany(
    items: readonly { readonly type: WALEntryType; readonly data: WALDataMap[WALEntryType] }[],
  ): Promise<TypedWALEntry[]> {
    const timestamp = toProfileTimestamp(this.clock.now());
    const entries = items.map((item, i) =>
      sealWalEntry(this.next + i, timestamp, this.workflowId, item.type, item.data, this.seal),
    );
    // Sequence numbers are taken before the write: a failed write stops the writer (AppendLog),
    // so a number is never reused for other bytes.
    this.next += entries.length;
    await this.file.append(entries.map((e) => `${canonicalize(e)}\n`).join(''));
    return entries;
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** Read and parse a WAL file (missing file: empty). */
export async function readWalFile(
  path: string,
  workflowId: string,
  seal: WalSeal | 'unkeyed',
): Promise<WalParse> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') {
      return { entries: [], validBytes: 0, tornBytes: 0, corruption: undefined };
    }
    throw err;
  }
  return parseWal(bytes, workflowId, seal);
}

/** The error that halts a workflow whose WAL is damaged. */
export function walCorrupt(workflowId: string, c: WalCorruption): ClearanceError {
  return new ClearanceError(
    'WAL_CORRUPT',
    `WAL of workflow ${workflowId} is corrupt at entry ${c.index}: ${c.reason}`,
    { detail: { workflow_id: workflowId, index: c.index } },
  );
}
