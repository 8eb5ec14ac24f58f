/**
 * A Clearance home (`$CLEARANCE_HOME`, default `./.clearance`): the embedded default storage.
 *
 *   clearance.json        manifest (format, version, key reference), written last by init
 *   home.lock             single-writer lock (pid)
 *   keys/                 audit-signing.key (0600), audit-signing.pub, wal-mac.key (0600)
 *   audit/                events.jsonl, checkpoints.jsonl, quarantine/
 *   cas/                  content-addressed blobs
 *   identity/users.json   users and token digests (0600)
 *   secrets/admin.token   the first admin token (0600), printed once by init
 *
 * Only this package writes here (DESIGN "Storage").
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  HASH_DOMAINS,
  ClearanceError,
  H,
  parseJsonStrict,
  toProfileTimestamp,
} from '@clearance/protocol';
import { AuditLog } from './audit/log.js';
import { FileContentStore } from './cas/file-store.js';
import { isErrno, writeFileAtomic } from './fs-util.js';
import { createSigningKey, loadSigningKey, type SigningKey } from './keys.js';
import { acquireLock, type HomeLock } from './lock.js';
import { isRecord } from './narrow.js';
import { randomIds, systemClock, type Clock, type IdSource } from './runtime.js';
import { UserDirectory, userKeyRef } from './users.js';
import { hasWalKey, migrateToWalKey, WalMacKey } from './workflow/wal-key.js';

/** Manifest file name, the marker of a fully initialised home. */
export const MANIFEST = 'clearance.json';

/** Contents of `clearance.json`. */
export interface HomeManifest {
  readonly format: 'clearance-home';
  readonly version: 1;
  readonly created_at: string;
  readonly audit_key_ref: string;
}

/** Injected dependencies of a home. */
export interface HomeOptions {
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly checkpointEvery?: number;
}

/** Result of {@link ClearanceHome.init}. */
export interface InitResult {
  readonly home: ClearanceHome;
  readonly adminToken: string;
  readonly adminTokenFile: string;
  readonly keyRef: string;
}

/** Resolve the home directory: explicit flag, then $CLEARANCE_HOME, then ./.clearance. */
export function resolveHomeDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env['CLEARANCE_HOME'] ?? '.clearance');
}

/** Read and check the manifest; HOME_NOT_INITIALIZED when absent. */
export async function readManifest(dir: string): Promise<HomeManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) {
      throw new ClearanceError(
        'HOME_NOT_INITIALIZED',
        `${dir} is not an initialised Clearance home; run clearance init`,
      );
    }
    throw err;
  }
  const m = parseJsonStrict(text);
  if (
    !isRecord(m) ||
    m['format'] !== 'clearance-home' ||
    m['version'] !== 1 ||
    typeof m['audit_key_ref'] !== 'string' ||
    typeof m['created_at'] !== 'string'
  ) {
    throw new ClearanceError('HOME_INVALID', `${join(dir, MANIFEST)} has an unknown format`);
  }
  return {
    format: 'clearance-home',
    version: 1,
    created_at: m['created_at'],
    audit_key_ref: m['audit_key_ref'],
  };
}

/** An open home: the lock is held and the audit log is verified and writable. */
export class ClearanceHome {
  private constructor(
    readonly dir: string,
    readonly manifest: HomeManifest,
    readonly key: SigningKey,
    readonly audit: AuditLog,
    readonly cas: FileContentStore,
    readonly users: UserDirectory,
    readonly clock: Clock,
    readonly ids: IdSource,
    private readonly lock: HomeLock,
    /** The WAL MAC key (keys/wal-mac.key), separate from the audit signing key (B4). */
    readonly walKey: WalMacKey,
  ) {}

  /**
   * Initialise a new home in `dir` (which must be absent or empty): keys, audit log, admin user.
   * The admin token is returned and written to `secrets/admin.token` (0600); it is never stored
   * in clear anywhere else.
   */
  static async init(dir: string, options: HomeOptions = {}): Promise<InitResult> {
    const clock = options.clock ?? systemClock;
    const ids = options.ids ?? randomIds;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const existing = await readdir(dir);
    if (existing.includes(MANIFEST))
      throw new ClearanceError('HOME_ALREADY_INITIALIZED', `${dir} is already a Clearance home`);
    if (existing.length > 0) {
      throw new ClearanceError(
        'HOME_INVALID',
        `${dir} is not empty and not a Clearance home (an interrupted init?); use an empty folder`,
      );
    }
    for (const sub of ['keys', 'audit', 'cas', 'identity', 'secrets'])
      await mkdir(join(dir, sub), { mode: 0o700 });
    const key = await createSigningKey(join(dir, 'keys'));
    const manifest: HomeManifest = {
      format: 'clearance-home',
      version: 1,
      created_at: toProfileTimestamp(clock.now()),
      audit_key_ref: key.keyRef,
    };
    const walKey = await WalMacKey.create(join(dir, 'keys'), manifest.created_at);
    const home = await ClearanceHome.openWith(dir, manifest, key, walKey, {
      ...options,
      clock,
      ids,
    });
    await home.audit.append({
      event_type: 'audit_log_created',
      workflow_state: 'NONE',
      severity: 'info',
      message: `audit log created; events are signed by ${key.keyRef}`,
    });
    const { token } = await home.addUser('admin', ['admin'], 'clearance init');
    const adminTokenFile = join(dir, 'secrets', 'admin.token');
    await writeFile(adminTokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' });
    await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o644);
    await home.audit.append({
      event_type: 'home_initialized',
      workflow_state: 'NONE',
      severity: 'info',
      message: `home initialised at ${dir}`,
    });
    return { home, adminToken: token, adminTokenFile, keyRef: key.keyRef };
  }

  /** Open an initialised home for writing (takes the lock, verifies the audit log). */
  static async open(dir: string, options: HomeOptions = {}): Promise<ClearanceHome> {
    const manifest = await readManifest(dir);
    const mode = (await stat(dir)).mode & 0o777;
    if ((mode & 0o022) !== 0)
      throw new ClearanceError('HOME_INVALID', `${dir} is writable by group or others`);
    const key = await loadSigningKey(join(dir, 'keys'));
    if (key.keyRef !== manifest.audit_key_ref) {
      throw new ClearanceError(
        'KEY_INVALID',
        'the signing key does not match the key recorded at init',
      );
    }
    const keysDir = join(dir, 'keys');
    if (await hasWalKey(keysDir)) {
      const walKey = await WalMacKey.load(keysDir);
      const home = await ClearanceHome.openWith(dir, manifest, key, walKey, options);
      // A crash between writing the key file and auditing the migration: audit it now.
      if (walKey.legacyWorkflows.length > 0 && !home.audit.hasEvent(walKeyEventId(walKey))) {
        await home.auditWalKey(walKey, 'recorded on a later open');
      }
      return home;
    }
    // A home from before keyed WAL checksums (B4): create the key under the home lock, recording
    // the legacy prefix of every existing WAL, and audit the migration.
    const lock = await acquireLock(join(dir, 'home.lock'));
    let migrated;
    try {
      // Re-checked under the lock: another process may have migrated in between.
      migrated = (await hasWalKey(keysDir))
        ? undefined
        : await migrateToWalKey(dir, toProfileTimestamp((options.clock ?? systemClock).now()));
    } finally {
      await lock.release();
    }
    if (migrated === undefined) {
      return ClearanceHome.openWith(dir, manifest, key, await WalMacKey.load(keysDir), options);
    }
    const home = await ClearanceHome.openWith(dir, manifest, key, migrated.key, options);
    await home.auditWalKey(migrated.key, undefined);
    return home;
  }

  /** Audit the WAL-key migration (deterministic id, so a crash before it is caught up once). */
  private async auditWalKey(walKey: WalMacKey, late: string | undefined): Promise<void> {
    const legacy = walKey.legacyWorkflows.map((id) => {
      const p = walKey.legacyPrefix(id);
      return `${id}:${p?.entries ?? 0}@${p?.sha256 ?? ''}`;
    });
    await this.audit.append({
      event_id: walKeyEventId(walKey),
      event_type: 'wal_key_created',
      workflow_state: 'NONE',
      severity: 'warning',
      message: `WAL MAC key created for an existing home${late === undefined ? '' : ` (${late})`}; ${legacy.length} WAL(s) keep an unkeyed legacy prefix accepted byte for byte, later lines need the MAC: ${legacy.join(', ').slice(0, 4000)}`,
    });
  }

  private static async openWith(
    dir: string,
    manifest: HomeManifest,
    key: SigningKey,
    walKey: WalMacKey,
    options: HomeOptions,
  ): Promise<ClearanceHome> {
    const clock = options.clock ?? systemClock;
    const ids = options.ids ?? randomIds;
    const lock = await acquireLock(join(dir, 'home.lock'));
    try {
      const audit = await AuditLog.open({
        dir: join(dir, 'audit'),
        signer: key.signer,
        trustedKeys: new Map([[key.keyRef, key.publicKey]]),
        clock,
        ids,
        ...(options.checkpointEvery === undefined
          ? {}
          : { checkpointEvery: options.checkpointEvery }),
      });
      const cas = await FileContentStore.open(join(dir, 'cas'));
      const users = await UserDirectory.load(join(dir, 'identity', 'users.json'));
      return new ClearanceHome(dir, manifest, key, audit, cas, users, clock, ids, lock, walKey);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** Add a user (audited; the token itself never enters the log). */
  async addUser(
    name: string,
    roles: readonly string[],
    by: string,
    publicKey?: string,
  ): Promise<{ token: string }> {
    const { user, token } = await this.users.add(name, roles, this.clock, this.ids, publicKey);
    const keyRef = userKeyRef(user);
    await this.audit.append({
      event_type: 'user_created',
      workflow_state: 'NONE',
      severity: 'info',
      message: `user ${user.name} created with roles ${user.roles.join(',')} by ${by}${keyRef === undefined ? '' : `, approval key ${keyRef}`}`,
    });
    return { token };
  }

  /** APR-13: register or replace a user's approval-signing public key (audited with its reference). */
  async setUserKey(name: string, publicKey: string, by: string): Promise<{ keyRef: string }> {
    const user = await this.users.setKey(name, publicKey);
    const keyRef = userKeyRef(user) ?? '';
    await this.audit.append({
      event_type: 'user_key_registered',
      workflow_state: 'NONE',
      severity: 'warning',
      message: `approval key ${keyRef} registered for user ${user.name} by ${by}`,
    });
    return { keyRef };
  }

  /** Clean shutdown: flush, write the final signed checkpoint, release the lock. */
  async close(): Promise<void> {
    try {
      await this.audit.close();
    } finally {
      await this.lock.release();
    }
  }
}

/** Event id of a WAL-key migration: derived from the legacy prefixes the key accepts. */
function walKeyEventId(walKey: WalMacKey): string {
  const legacy = walKey.legacyWorkflows.map((id) => [id, walKey.legacyPrefix(id)?.sha256 ?? '']);
  return `evt-${H(HASH_DOMAINS.WAL_KEY_CREATED, { legacy }).slice(0, 32)}`;
}
