/**
 * Runs prlimit -> bubblewrap -> engine and waits until every process of the sandbox is gone.
 *
 * Process layout: prlimit sets the limits and execs bubblewrap (the launcher, leader of its own
 * process group). bubblewrap clones the engine into fresh namespaces as their pid 1 (--as-pid-1)
 * and reports its host pid on the status fd. When pid 1 dies, the kernel kills everything else
 * in its pid namespace *before* the launcher can reap it, so the launcher's exit means the whole
 * tree is gone. To kill, SIGKILL goes to pid 1 (the launcher then exits on its own). Before pid 1
 * is known it goes to the launcher's process group; --die-with-parent then takes pid 1 down a
 * moment later, and the result waits for that (waitForTeardown).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { ClearanceError } from '@clearance/protocol';
import { isErrno } from '../fs-util.js';
import { CappedSink } from './capture.js';
import { parseStatusLine, waitForTeardown } from './status.js';
import type { SandboxInit } from './status.js';
import type { SandboxResult } from './types.js';

/** bubblewrap writes JSON status lines ({"child-pid": N, ...}) here. */
const STATUS_FD = 3;
/** bubblewrap reads its NUL-separated options from here, so host paths stay out of argv. */
const ARGS_FD = 4;
/** Upper bound on what is buffered from the status fd. */
const STATUS_MAX_BYTES = 4096;

/** Everything needed to start one sandboxed process; built by the BubblewrapSandbox. */
export interface ProcessPlan {
  readonly prlimitPath: string;
  readonly bwrapPath: string;
  readonly prlimitArgs: readonly string[];
  /** bubblewrap options, passed through the args fd (not visible in any process's cmdline). */
  readonly bwrapOptions: readonly string[];
  /** The command run inside the sandbox. */
  readonly command: readonly string[];
  readonly stdin: Uint8Array;
  readonly wallTimeMs: number;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  /** Host uid/gid of the launcher (host-uid identity); absent keeps the authority's own. */
  readonly credentials?: { readonly uid: number; readonly gid: number };
}

function sigkill(target: number): boolean {
  try {
    process.kill(target, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function readableAt(child: ChildProcess, fd: number): Readable {
  const stream = child.stdio[fd];
  if (!(stream instanceof Readable)) throw new ClearanceError('INTERNAL', `no pipe at fd ${fd}`);
  return stream;
}

function writableAt(child: ChildProcess, fd: number): Writable {
  const stream = child.stdio[fd];
  if (!(stream instanceof Writable)) throw new ClearanceError('INTERNAL', `no pipe at fd ${fd}`);
  return stream;
}

/** One running sandbox: output capture, the wall-time timer and the kill switch. */
class RunningSandbox {
  private readonly started = performance.now();
  private readonly stdout: CappedSink;
  private readonly stderr: CappedSink;
  private status = '';
  private sandboxInit: SandboxInit | undefined;
  private groupKilled = false;
  private exited = false;
  private timedOut = false;
  private failure: unknown;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly child: ChildProcess,
    plan: ProcessPlan,
    private readonly settle: (result: SandboxResult | Error) => void,
  ) {
    this.stdout = new CappedSink(plan.stdoutBytes);
    this.stderr = new CappedSink(plan.stderrBytes);
    this.timer = setTimeout(() => this.onWallTime(), plan.wallTimeMs);
    child.once('exit', () => {
      this.exited = true;
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.finish(code, signal);
    });
    this.wireOutput();
    this.feed(plan);
  }

  private wireOutput(): void {
    const { child } = this;
    readableAt(child, 1).on('data', (chunk: Buffer) => {
      if (this.stdout.push(chunk)) this.kill();
    });
    readableAt(child, 2).on('data', (chunk: Buffer) => this.stderr.push(chunk));
    readableAt(child, STATUS_FD).on('data', (chunk: Buffer) => this.onStatus(chunk));
    for (const fd of [1, 2, STATUS_FD]) {
      readableAt(child, fd).on('error', (err: unknown) => this.fail(err));
    }
  }

  /** Send the options and the engine input, then close both pipes. */
  private feed(plan: ProcessPlan): void {
    const args = writableAt(this.child, ARGS_FD);
    // A launcher that dies before reading its options reports that through its exit status.
    args.on('error', () => undefined);
    const options = ['--json-status-fd', String(STATUS_FD), ...plan.bwrapOptions];
    args.end(Buffer.from(options.map((option) => `${option}\0`).join(''), 'utf8'));
    const stdin = writableAt(this.child, 0);
    stdin.on('error', (err: unknown) => {
      // An engine may exit (or be killed) without reading all of its input.
      if (!isErrno(err, 'EPIPE') && !isErrno(err, 'ECONNRESET')) this.fail(err);
    });
    stdin.end(plan.stdin);
  }

  private onStatus(chunk: Buffer): void {
    if (this.sandboxInit !== undefined || this.status.length > STATUS_MAX_BYTES) return;
    this.status += chunk.toString('utf8');
    const newline = this.status.indexOf('\n');
    if (newline >= 0) this.sandboxInit = parseStatusLine(this.status.slice(0, newline));
  }

  private onWallTime(): void {
    if (this.exited) return;
    this.timedOut = true;
    this.kill();
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    this.kill();
  }

  /** SIGKILL the sandbox: its pid 1 when known, else the launcher's process group. */
  kill(): void {
    // Once the launcher has exited, its pid namespace is already empty.
    if (this.exited) return;
    if (this.sandboxInit !== undefined && sigkill(this.sandboxInit.pid)) return;
    const pid = this.child.pid;
    if (pid !== undefined && sigkill(-pid)) this.groupKilled = true;
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(this.timer);
    // After a process-group kill pid 1 may outlive the launcher for a moment: wait it out.
    const init = this.groupKilled ? this.sandboxInit : undefined;
    if (init === undefined) {
      this.report(code, signal);
      return;
    }
    void waitForTeardown(init).then(() => this.report(code, signal));
  }

  private report(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.failure !== undefined) {
      this.settle(
        new ClearanceError('SANDBOX_FAILED', 'engine sandbox I/O failed', { cause: this.failure }),
      );
      return;
    }
    this.settle({
      exitCode: code,
      signal,
      stdout: this.stdout.bytes(),
      stderr: this.stderr.bytes(),
      stdoutOverflow: this.stdout.overflowed,
      stderrTruncated: this.stderr.overflowed,
      timedOut: this.timedOut,
      durationMs: Math.round(performance.now() - this.started),
    });
  }
}

/** Start the plan and resolve once the launcher and all its pipes are closed. */
export function runSandboxProcess(plan: ProcessPlan): Promise<SandboxResult> {
  return new Promise<SandboxResult>((resolve, reject) => {
    let settled = false;
    const settle = (result: SandboxResult | Error): void => {
      if (settled) return;
      settled = true;
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const argv = [...plan.prlimitArgs, '--', plan.bwrapPath, '--args', String(ARGS_FD), '--'];
    let child: ChildProcess;
    try {
      child = spawn(plan.prlimitPath, [...argv, ...plan.command], {
        stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
        // Own process group, so a kill reaches the launcher and nothing of the authority.
        detached: true,
        // prlimit and bubblewrap get an empty environment too; bubblewrap sets the engine's.
        env: {},
        cwd: '/',
        ...(plan.credentials ?? {}),
      });
    } catch (err) {
      // Some spawn failures (EPERM from setuid, for one) are thrown rather than emitted.
      settle(new ClearanceError('SANDBOX_FAILED', 'could not start the sandbox', { cause: err }));
      return;
    }
    child.once('error', (err) => {
      settle(new ClearanceError('SANDBOX_FAILED', 'could not start the sandbox', { cause: err }));
    });
    if (child.pid === undefined) return; // spawn failed; 'error' follows
    new RunningSandbox(child, plan, settle);
  });
}
