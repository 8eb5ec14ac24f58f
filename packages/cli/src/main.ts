/** Entry point of the `clearance` command: argument parsing and error reporting. */
import { ClearanceError, isErrorCode } from '@clearance/protocol';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  auditShowCommand,
  auditVerifyCommand,
  initCommand,
  statusCommand,
  usersAddCommand,
  usersKeyCommand,
  type HomeFlag,
  type UsersAddFlags,
} from './commands.js';
import { feasibilityCommand, gcodeValidateCommand } from './cnc.js';
import { demoCommand } from './demo.js';
import { collectWorkspace } from './init-config.js';
import { EXIT, processIo, type Io } from './output.js';
import { serveCommand } from './serve.js';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('must be a port (0-65535)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function program(io: Io, setCode: (code: number) => void): Command {
  const run =
    <T>(fn: (io: Io, opts: T) => Promise<number>) =>
    async (opts: T): Promise<void> => {
      setCode(await fn(io, opts));
    };
  const root = new Command('clearance')
    .description('Governed execution for AI-assisted automation')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const home = (c: Command): Command =>
    c
      .option('--home <dir>', 'Clearance home (default: $CLEARANCE_HOME or ./.clearance)')
      .option('--json', 'machine-readable output');
  home(
    root
      .command('init')
      .description('create a home: signing key, audit log, an admin user and config.json'),
  )
    .option(
      '--workspace <name=path>',
      'a folder engines may work on (repeatable)',
      collectWorkspace,
    )
    .action(run(initCommand));
  home(root.command('serve').description('serve the HTTP API of a home until SIGINT or SIGTERM'))
    .option('--port <n>', 'port (default: config server.port, 8787)', port)
    .option(
      '--host <host>',
      'address to bind (default: config server.host, 127.0.0.1); required for a non-loopback address',
    )
    .action(run(serveCommand));
  home(
    root
      .command('demo')
      .description(
        'seed a fresh home with demo users and workflows (run once after init, server stopped)',
      ),
  ).action(run(demoCommand));
  const users = root.command('users').description('manage users (while the server is stopped)');
  home(
    users
      .command('add <name>')
      .description(
        'add a user and print their bearer token once; run it while the server is stopped (it needs the home lock)',
      ),
  )
    .requiredOption(
      '--roles <a,b>',
      'comma-separated roles: admin, operator, approver, agent, auditor or a named role',
    )
    .option(
      '--public-key <file>',
      "the user's Ed25519 public key (SPKI PEM) for signed approvals (APR-13)",
    )
    .action(async (name: string, opts: UsersAddFlags) => {
      setCode(await usersAddCommand(io, name, opts));
    });
  home(
    users
      .command('key <name> <file>')
      .description(
        "register or replace a user's Ed25519 public key (SPKI PEM, e.g. shown by the console); their approvals must then be signed with it (server stopped)",
      ),
  ).action(async (name: string, file: string, opts: HomeFlag) => {
    setCode(await usersKeyCommand(io, name, file, opts));
  });
  home(
    root.command('status').description('show a home: audit integrity, checkpoint, counts'),
  ).action(run(statusCommand));
  const audit = root.command('audit').description('inspect and verify the audit log');
  home(
    audit
      .command('verify')
      .description('verify every link, signature and checkpoint; exit 1 at the first break'),
  )
    .option('--trusted-key <file>', "PEM public key to trust instead of the home's own")
    .option('--key-ref <ref>', 'require the trusted key to have this reference (printed by init)')
    .option('--no-signatures', 'check links, schema and checkpoints only')
    .option(
      '--trusted-checkpoint <file>',
      'a signed checkpoint saved earlier (a checkpoints.jsonl line or a witness latest.json): prove the log extends it (RFC 6962)',
    )
    .option(
      '--deep',
      'also re-verify offline: WAL MACs, CAS blobs, run artifacts, approval signatures, plan-tokens, WAL/audit/runs consistency',
    )
    .action(run(auditVerifyCommand));
  home(audit.command('show').description('print the last events'))
    .option('--tail <n>', 'number of events', positiveInt, 20)
    .action(run(auditShowCommand));
  root
    .command('feasibility [file]')
    .description(
      'compute CNC feasibility (spec/rmos.md §3.2) for a JSON FeasibilityInput from FILE or stdin (-); exit 1 when blocking',
    )
    .action(async (file: string | undefined) => {
      setCode(await feasibilityCommand(io, file));
    });
  root
    .command('gcode')
    .description('G-code tools')
    .command('validate <file>')
    .description('validate a G-code program against a machine profile; exit 1 with the issues')
    .option('--machine <id>', 'machine profile (grbl-desktop, linuxcnc-router, fanuc-mill)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { machine?: string; json?: boolean }) => {
      setCode(await gcodeValidateCommand(io, file, opts));
    });
  return root;
}

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program(io, (c) => (code = c)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    if (err instanceof ClearanceError && isErrorCode(err.code)) {
      io.err(`clearance: ${err.code}: ${err.message}`);
      return err.code.startsWith('AUDIT_') ? EXIT.integrity : EXIT.error;
    }
    io.err(`clearance: INTERNAL: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.error;
  }
}
