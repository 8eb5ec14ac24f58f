/**
 * `clearance serve`: open and recover the authority of a home, serve the HTTP API, and on SIGINT
 * or SIGTERM stop accepting requests, then close the authority (final signed checkpoint) and exit 0.
 */
import { isIP } from 'node:net';
import {
  configPath,
  loadConfig,
  openAuthority,
  resolveHomeDir,
  type RecoveryAction,
} from '@clearance/authority';
import { startServer } from '@clearance/server';
import type { HomeFlag } from './commands.js';
import { EXIT, json, type Io } from './output.js';
import { assertWorkspacesReachable, homeProblem } from './workspace-access.js';

/** Flags of `clearance serve`. */
export interface ServeFlags extends HomeFlag {
  readonly port?: number;
  readonly host?: string;
}

/** How a caller (tests) controls a serve run; the CLI uses the process signals. */
export interface ServeControl {
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  readonly stop?: Promise<unknown>;
  /** Called once the server listens. */
  readonly onListening?: (url: string) => void;
}

/** True for a loopback address or name (the only hosts bound without an explicit --host). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * The warning printed when serving on a non-loopback address (item 13): the API and its bearer
 * tokens are then reachable from the network over plain HTTP.
 */
export function nonLoopbackWarning(host: string): string {
  return (
    `clearance: warning: listening on ${host}, which is not a loopback address: the API and the ` +
    'console are reachable from the network, and bearer tokens travel in plain HTTP. Put a ' +
    'TLS-terminating proxy in front, or use --host 127.0.0.1.'
  );
}

function untilSignal(): { promise: Promise<string>; dispose(): void } {
  let onSignal: (s: NodeJS.Signals) => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    onSignal = (s) => resolve(s);
  });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function recoveryLines(recovery: readonly RecoveryAction[]): string[] {
  if (recovery.length === 0) return ['  recovery     no workflows to recover'];
  return [
    `  recovery     ${recovery.length} workflows replayed`,
    ...recovery.map((r) => `    ${r.workflow_id}: ${r.from} → ${r.action}`),
  ];
}

/** `clearance serve`. */
export async function serveCommand(
  io: Io,
  opts: ServeFlags,
  control: ServeControl = {},
): Promise<number> {
  // Listen for signals first: a SIGTERM during start-up still ends in a clean shutdown.
  const signals = control.stop === undefined ? untilSignal() : undefined;
  const stop = control.stop ?? signals?.promise;
  try {
    const dir = resolveHomeDir(opts.home);
    // Item 14: before recovery can launch anything, the sandbox users must reach every workspace
    // (refused) and the home's launch folders (warned: nothing else of serve needs them).
    await assertWorkspacesReachable((await loadConfig(configPath(dir))).workspaces);
    const home = await homeProblem(dir);
    if (home !== undefined) io.err(`clearance: warning: ${home.code}: ${home.message}`);
    // The error log of the authority (e.g. a checkpoint the audit witness refused) is stderr.
    const runtime = await openAuthority({ homeDir: dir, warn: (m) => io.err(m) });
    try {
      const host = opts.host ?? runtime.config.server.host;
      if (opts.host === undefined && !isLoopback(host)) {
        io.err(
          `clearance: refusing to listen on non-loopback host ${host} from the configuration; pass --host ${host} to mean it`,
        );
        return EXIT.error;
      }
      if (!isLoopback(host)) io.err(nonLoopbackWarning(host));
      const server = await startServer(runtime, {
        host,
        port: opts.port ?? runtime.config.server.port,
        logger: { level: 'error' }, // internal errors are logged here, never sent to clients
      });
      try {
        if (opts.json === true) {
          io.out(json({ url: server.url, home: dir, recovery: runtime.recovery }));
        } else {
          io.out(
            [
              `Clearance serving ${dir} at ${server.url}`,
              `  console      ${server.url}/ (sign in with a user token)`,
              ...recoveryLines(runtime.recovery),
            ].join('\n'),
          );
        }
        control.onListening?.(server.url);
        await stop;
      } finally {
        await server.close();
      }
    } finally {
      await runtime.close();
    }
    if (opts.json !== true) io.out('Clearance stopped (final checkpoint written)');
    return EXIT.ok;
  } finally {
    signals?.dispose();
  }
}
