/**
 * The CLI's commands. Each returns an exit code and writes through the injected Io, so tests call
 * them in-process; `main.ts` wires them to commander.
 */
import { readFile } from 'node:fs/promises';
import {
  checkUser,
  ClearanceHome,
  normalisePublicKey,
  homeStatus,
  resolveHomeDir,
  tailEvents,
  verifyHomeAgainstCheckpoints,
  verifyHomeAudit,
  type DefaultWorkspace,
  type HomeAuditReport,
} from '@clearance/authority';
import { keyRefFor, publicKeyFromPem } from '@clearance/protocol';
import { engineBundle, initialConfig, patchBundle, writeInitialConfig } from './init-config.js';
import { EXIT, json, type Io } from './output.js';
import { auditDeepCommand } from './audit-deep.js';
import { assertWorkspacesReachable, homeProblem } from './workspace-access.js';

/** Options common to every command. */
export interface HomeFlag {
  readonly home?: string;
  readonly json?: boolean;
}

/** Options of `clearance init`. */
export interface InitFlags extends HomeFlag {
  readonly workspace?: readonly DefaultWorkspace[];
}

/**
 * `clearance init`: create the home, keys, audit log and admin user, print the token once, and
 * write `config.json` (patch and cnc engines, workspaces, a rules policy). The engine bundle is checked
 * before anything is created, so a missing build leaves no half-made home.
 */
export async function initCommand(io: Io, opts: InitFlags): Promise<number> {
  const dir = resolveHomeDir(opts.home);
  const workspaces = opts.workspace ?? [];
  const config = initialConfig(await patchBundle(), workspaces, await engineBundle('cnc'));
  // Item 14: refuse a workspace the sandbox users cannot reach before anything is created.
  await assertWorkspacesReachable(workspaces);
  const homeWarning = await homeProblem(dir);
  if (homeWarning !== undefined)
    io.err(`clearance: warning: ${homeWarning.code}: ${homeWarning.message}`);
  const result = await ClearanceHome.init(dir);
  await result.home.close();
  const configFile = await writeInitialConfig(dir, config);
  if (opts.json === true) {
    io.out(
      json({
        home: dir,
        key_ref: result.keyRef,
        admin_token: result.adminToken,
        admin_token_file: result.adminTokenFile,
        config: configFile,
      }),
    );
    return EXIT.ok;
  }
  io.out(
    [
      `Initialised Clearance home ${dir}`,
      `Audit signing key: ${result.keyRef}`,
      '  (record this key reference somewhere safe: `clearance audit verify --key-ref` checks against it)',
      `Admin token (shown once; also in ${result.adminTokenFile}, mode 0600):`,
      `  ${result.adminToken}`,
      `Configuration: ${configFile} (patch and cnc engines, ${workspaces.length} workspace(s), rules policy: approval by an approver, secrets files denied; G-code spool in the home)`,
      ...workspaces.map(
        (w) =>
          `  workspace ${w.name} = ${w.path} (take-off writes it as uid 65534: it must be writable by that user; flight-plans read it as per-launch uids: it must be readable by others)`,
      ),
      'Add users while the server is stopped: clearance users add NAME --roles agent',
    ].join('\n'),
  );
  return EXIT.ok;
}

/** Options of `clearance users add`. */
export interface UsersAddFlags extends HomeFlag {
  readonly roles: string;
  /** APR-13: file with the user's Ed25519 public key (SPKI PEM) for signing approvals. */
  readonly publicKey?: string;
}

/**
 * `clearance users add NAME --roles a,b`: add a user and print their token once. Only its digest
 * is stored; the token is written nowhere. Needs the home lock, so the server must be stopped
 * (HOME_LOCKED otherwise).
 */
export async function usersAddCommand(io: Io, name: string, opts: UsersAddFlags): Promise<number> {
  const roles = opts.roles
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  const sorted = checkUser(name, roles); // USER_INVALID before the home is even opened
  // KEY_INVALID before the home is opened, too.
  const publicKey =
    opts.publicKey === undefined
      ? undefined
      : normalisePublicKey(await readFile(opts.publicKey, 'utf8'));
  const home = await ClearanceHome.open(resolveHomeDir(opts.home));
  let token: string;
  try {
    ({ token } = await home.addUser(name, roles, 'clearance users add', publicKey));
  } finally {
    await home.close();
  }
  const keyRef = publicKey === undefined ? undefined : keyRefFor(publicKeyFromPem(publicKey));
  if (opts.json === true) {
    io.out(
      json({ name, roles: sorted, token, ...(keyRef === undefined ? {} : { key_ref: keyRef }) }),
    );
    return EXIT.ok;
  }
  io.out(
    [
      `User ${name} created with roles ${sorted.join(',')}.`,
      ...(keyRef === undefined ? [] : [`Approval-signing key: ${keyRef}`]),
      'Token (shown once; it is stored nowhere, only its digest):',
      `  ${token}`,
    ].join('\n'),
  );
  return EXIT.ok;
}

/**
 * `clearance users key NAME FILE`: register or replace the Ed25519 public key (SPKI PEM, e.g. the
 * one the console shows) with which NAME signs approvals (APR-13). From then on every approval by
 * NAME must carry a signature by this key. Needs the home lock (server stopped).
 */
export async function usersKeyCommand(
  io: Io,
  name: string,
  file: string,
  opts: HomeFlag,
): Promise<number> {
  const publicKey = normalisePublicKey(await readFile(file, 'utf8'));
  const home = await ClearanceHome.open(resolveHomeDir(opts.home));
  let keyRef: string;
  try {
    ({ keyRef } = await home.setUserKey(name, publicKey, 'clearance users key'));
  } finally {
    await home.close();
  }
  io.out(
    opts.json === true
      ? json({ name, key_ref: keyRef })
      : `Approval-signing key ${keyRef} registered for ${name}; their approvals must now be signed with it.`,
  );
  return EXIT.ok;
}

/** `clearance status`: manifest, audit integrity (links and checkpoints) and counts. */
export async function statusCommand(io: Io, opts: HomeFlag): Promise<number> {
  const status = await homeStatus(resolveHomeDir(opts.home));
  if (opts.json === true) {
    io.out(json(status));
  } else {
    const cp = status.audit.latestCheckpoint;
    io.out(
      [
        `Clearance home ${status.home}`,
        `  created      ${status.manifest.created_at}`,
        `  signing key  ${status.manifest.audit_key_ref}`,
        `  audit log    ${status.audit.events} events, ${status.audit.intact ? 'chain intact' : `BROKEN at index ${status.audit.firstBreak?.index} (${status.audit.firstBreak?.code})`}`,
        `  checkpoint   ${cp === undefined ? 'none yet' : `${cp.tree_size} events, root ${cp.root_hash}, ${cp.timestamp}`}`,
        `  users        ${status.users}`,
        `  blobs        ${status.blobs}`,
        `  authority    ${status.locked ? 'running (home locked)' : 'not running'}`,
      ].join('\n'),
    );
  }
  return status.audit.intact ? EXIT.ok : EXIT.integrity;
}

/** Options of `clearance audit verify`. */
export interface VerifyFlags extends HomeFlag {
  readonly trustedKey?: string;
  readonly keyRef?: string;
  readonly signatures?: boolean;
  readonly trustedCheckpoint?: string;
  /** Also re-verify WALs, CAS, runs, approvals and plan-tokens offline (audit-deep.ts). */
  readonly deep?: boolean;
}

/** `clearance audit verify`: every link, signature and checkpoint; exit 1 with the first break. */
export async function auditVerifyCommand(io: Io, opts: VerifyFlags): Promise<number> {
  if (opts.deep === true) {
    // --deep with --trusted-checkpoint: both must hold; the first failure decides the exit.
    const deep = await auditDeepCommand(io, opts);
    if (deep !== EXIT.ok || opts.trustedCheckpoint === undefined) return deep;
  }
  const verifyOptions = {
    ...(opts.trustedKey === undefined
      ? {}
      : { trustedKeyPem: await readFile(opts.trustedKey, 'utf8') }),
    ...(opts.keyRef === undefined ? {} : { expectKeyRef: opts.keyRef }),
    verifySignatures: opts.signatures !== false,
  };
  if (opts.trustedCheckpoint !== undefined) {
    return trustedCheckpointVerify(io, opts, opts.trustedCheckpoint, verifyOptions);
  }
  const report: HomeAuditReport = await verifyHomeAudit(resolveHomeDir(opts.home), verifyOptions);
  if (opts.json === true) {
    io.out(json(report));
  } else if (report.ok) {
    io.out(
      `audit log intact: ${report.verifiedEvents} events, ${report.signaturesChecked ? 'every signature valid' : 'signatures NOT checked'}, ` +
        `${report.verifiedCheckpoints} signed checkpoints (latest covers ${report.checkpointedSize}), root ${report.rootHash}, key ${report.keyRef}`,
    );
  } else {
    const b = report.break;
    io.err(`audit log BROKEN at index ${b?.index}: ${b?.code}: ${b?.reason}`);
    io.err(`(${report.verifiedEvents} events before the break verified)`);
  }
  return report.ok ? EXIT.ok : EXIT.integrity;
}

/**
 * `clearance audit verify --trusted-checkpoint FILE` (issue 10 U1): the ordinary verification,
 * then an RFC 6962 consistency proof from every checkpoint in FILE to the log. A log smaller than
 * a trusted checkpoint is AUDIT_TRUNCATED, one whose prefix differs AUDIT_INCONSISTENT (exit 1).
 */
async function trustedCheckpointVerify(
  io: Io,
  opts: VerifyFlags,
  file: string,
  options: Parameters<typeof verifyHomeAudit>[1],
): Promise<number> {
  const result = await verifyHomeAgainstCheckpoints(
    resolveHomeDir(opts.home),
    await readFile(file, 'utf8'),
    options,
  );
  if (opts.json === true) {
    io.out(json(result));
    return result.ok ? EXIT.ok : EXIT.integrity;
  }
  const b = result.audit.break;
  if (b !== undefined) {
    io.err(`audit log BROKEN at index ${b.index}: ${b.code}: ${b.reason}`);
  } else if (result.failure !== undefined) {
    const f = result.failure;
    io.err(
      `audit log NOT CONSISTENT with the trusted checkpoint of ${f.treeSize} events: ${f.code}: ${f.reason}`,
    );
  } else {
    const sizes = result.consistency.map((c) => c.checkpoint.tree_size).join(', ');
    io.out(
      `audit log intact: ${result.audit.verifiedEvents} events, root ${result.audit.rootHash}; ` +
        `consistent (RFC 6962) with the trusted checkpoint(s) of ${sizes} events`,
    );
  }
  return result.ok ? EXIT.ok : EXIT.integrity;
}

/** `clearance audit show`: the last N events. */
export async function auditShowCommand(
  io: Io,
  opts: HomeFlag & { readonly tail?: number },
): Promise<number> {
  const events = await tailEvents(resolveHomeDir(opts.home), opts.tail ?? 20);
  if (opts.json === true) {
    io.out(json(events));
    return EXIT.ok;
  }
  for (const { index, event } of events) {
    const wf = event.workflow?.workflow_id === undefined ? '' : ` wf=${event.workflow.workflow_id}`;
    io.out(
      `#${index} ${event.timestamp} ${event.severity ?? 'info'} ${event.event_type} [${event.workflow_state}]${wf} ${event.message ?? ''}`.trimEnd(),
    );
  }
  return EXIT.ok;
}
