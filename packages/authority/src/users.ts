/**
 * Users, roles, bearer tokens and (APR-13) approvers' Ed25519 public keys. Tokens are 256-bit random strings shown once; only their
 * domain-separated SHA-256 is stored (`identity/users.json`, 0600), so a copy of the home does not
 * hand out credentials. Lookups compare digests in constant time.
 */
import { readFile } from 'node:fs/promises';
import {
  ClearanceError,
  constantTimeEqual,
  H,
  keyRefFor,
  parseJsonStrict,
  publicKeyFromPem,
  ROLE_NAME_RE,
  toBase64Url,
  toProfileTimestamp,
  HASH_DOMAINS,
} from '@clearance/protocol';
import { isErrno, writeFileAtomic } from './fs-util.js';
import { isRecord } from './narrow.js';
import type { Clock, IdSource } from './runtime.js';

/** Built-in roles; deployments may add named roles (e.g. `supervisor`). */
export const BUILTIN_ROLES = ['admin', 'operator', 'approver', 'agent', 'auditor'] as const;

const NAME_RE = /^[a-z][a-z0-9._-]{0,63}$/;
const TOKEN_PREFIX = 'clr_';
const TOKEN_DOMAIN = HASH_DOMAINS.USER_TOKEN;

/** A stored user (no secret material). */
export interface User {
  readonly name: string;
  readonly roles: readonly string[];
  readonly token_sha256: string;
  readonly created_at: string;
  /**
   * APR-13: the user's Ed25519 public key (SPKI PEM). A user with a key must sign every approval
   * over the §4.2.7 binding; the private key never reaches Clearance.
   */
  readonly public_key?: string;
  /**
   * Keys this user registered before the current one (oldest first), kept so that approvals signed
   * before a key change still verify offline (`audit verify --deep`). Never used to accept a new
   * approval.
   */
  readonly retired_public_keys?: readonly string[];
}

/** The key reference (`ed25519:<sha256 of the raw key>`) of a user's key, if they registered one. */
export function userKeyRef(user: User): string | undefined {
  return user.public_key === undefined ? undefined : keyRefFor(publicKeyFromPem(user.public_key));
}

/**
 * Read a public key file for a user: SPKI PEM (`-----BEGIN PUBLIC KEY-----`) of an Ed25519 key,
 * what the console shows and `openssl pkey -pubout` writes. Anything else is KEY_INVALID. Returns
 * the normalised PEM that is stored.
 */
export function normalisePublicKey(text: string): string {
  const key = publicKeyFromPem(text);
  const pem = key.export({ type: 'spki', format: 'pem' });
  return typeof pem === 'string' ? pem : pem.toString('utf8');
}

function toUser(value: unknown): User {
  if (!isRecord(value))
    throw new ClearanceError('HOME_INVALID', 'identity/users.json has a malformed user');
  const { name, roles, token_sha256, created_at, public_key, retired_public_keys } = value;
  if (
    (public_key !== undefined && typeof public_key !== 'string') ||
    (retired_public_keys !== undefined &&
      (!Array.isArray(retired_public_keys) ||
        !retired_public_keys.every((k): k is string => typeof k === 'string'))) ||
    typeof name !== 'string' ||
    !Array.isArray(roles) ||
    !roles.every((r): r is string => typeof r === 'string') ||
    typeof token_sha256 !== 'string' ||
    typeof created_at !== 'string'
  ) {
    throw new ClearanceError('HOME_INVALID', 'identity/users.json has a malformed user');
  }
  return {
    name,
    roles,
    token_sha256,
    created_at,
    ...(public_key === undefined ? {} : { public_key: normalisePublicKey(public_key) }),
    ...(retired_public_keys === undefined
      ? {}
      : { retired_public_keys: retired_public_keys.map(normalisePublicKey) }),
  };
}

/** Every key a user has registered (retired ones first, then the current one). */
export function userPublicKeys(user: User): string[] {
  return [
    ...(user.retired_public_keys ?? []),
    ...(user.public_key === undefined ? [] : [user.public_key]),
  ];
}

/** Digest under which a token is stored. */
export function tokenDigest(token: string): string {
  return H(TOKEN_DOMAIN, token);
}

/** Validate a user name and role list, returning the sorted, de-duplicated roles. */
export function checkUser(name: string, roles: readonly string[]): string[] {
  if (!NAME_RE.test(name))
    throw new ClearanceError('USER_INVALID', 'user name must match [a-z][a-z0-9._-]{0,63}');
  if (roles.length === 0)
    throw new ClearanceError('USER_INVALID', 'a user needs at least one role');
  for (const r of roles) {
    if (!ROLE_NAME_RE.test(r))
      throw new ClearanceError('USER_INVALID', `invalid role ${JSON.stringify(r)}`);
  }
  return [...new Set(roles)].sort();
}

/** The user directory of one home. */
export class UserDirectory {
  private constructor(
    private readonly path: string,
    private users: User[],
  ) {}

  /** Load `identity/users.json` (an absent file is an empty directory). */
  static async load(path: string): Promise<UserDirectory> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return new UserDirectory(path, []);
      throw err;
    }
    const parsed = parseJsonStrict(text);
    if (!isRecord(parsed) || parsed['version'] !== 1 || !Array.isArray(parsed['users'])) {
      throw new ClearanceError('HOME_INVALID', 'identity/users.json has an unknown format');
    }
    return new UserDirectory(path, parsed['users'].map(toUser));
  }

  /** All users (no secrets). */
  list(): readonly User[] {
    return this.users;
  }

  /** Add a user and return their new token, which is not stored anywhere and cannot be shown again. */
  async add(
    name: string,
    roles: readonly string[],
    clock: Clock,
    ids: IdSource,
    publicKey?: string,
  ): Promise<{ user: User; token: string }> {
    const sorted = checkUser(name, roles);
    if (this.users.some((u) => u.name === name))
      throw new ClearanceError('USER_EXISTS', `user ${name} exists`);
    const token = TOKEN_PREFIX + toBase64Url(ids.secretBytes(32));
    const user: User = {
      name,
      roles: sorted,
      token_sha256: tokenDigest(token),
      created_at: toProfileTimestamp(clock.now()),
      ...(publicKey === undefined ? {} : { public_key: normalisePublicKey(publicKey) }),
    };
    await this.save([...this.users, user]);
    return { user, token };
  }

  /** The user named `name`, or undefined. */
  get(name: string): User | undefined {
    return this.users.find((u) => u.name === name);
  }

  /** APR-13: register (or replace) a user's Ed25519 public key (SPKI PEM). */
  async setKey(name: string, publicKey: string): Promise<User> {
    const pem = normalisePublicKey(publicKey);
    const current = this.get(name);
    if (current === undefined) throw new ClearanceError('USER_INVALID', `no user ${name}`);
    const retired =
      current.public_key === undefined || current.public_key === pem
        ? (current.retired_public_keys ?? [])
        : [...(current.retired_public_keys ?? []), current.public_key];
    const user: User = {
      ...current,
      public_key: pem,
      ...(retired.length === 0 ? {} : { retired_public_keys: retired }),
    };
    await this.save(this.users.map((u) => (u === current ? user : u)));
    return user;
  }

  private async save(next: User[]): Promise<void> {
    await writeFileAtomic(
      this.path,
      `${JSON.stringify({ version: 1, users: next }, null, 2)}\n`,
      0o600,
    );
    this.users = next;
  }

  /** The user holding `token`, or undefined. Every stored digest is compared (constant time). */
  authenticate(token: string): User | undefined {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const digest = tokenDigest(token);
    let found: User | undefined;
    for (const u of this.users) {
      if (constantTimeEqual(u.token_sha256, digest)) found = u;
    }
    return found;
  }
}
