/**
 * The checkpoint witness (issue 10 U1): every signed checkpoint is also handed to a place outside
 * the home, so cutting the log's tail together with `checkpoints.jsonl` no longer goes unnoticed.
 *
 * - a folder: one file per checkpoint (`checkpoint-<size>.json`) plus `latest.json`, each written
 *   atomically (temp file, fsync, rename, folder fsync). The folder is append-only in spirit: it
 *   refuses a checkpoint smaller than its latest.
 * - a command: receives the checkpoint line on stdin and must exit 0 within its time limit; an
 *   optional `latest` command prints the last checkpoint it holds (without it the start-up check
 *   is skipped for a command witness).
 *
 * A witness failure never blocks the log: the checkpoint is already durable locally, the failure
 * is recorded as a `critical` audit event and written to the error log, and the next checkpoint
 * is offered again (it covers everything the failed one covered).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearanceError, parseCheckpointLine, type AuditCheckpoint } from '@clearance/protocol';
import type { WitnessConfig } from '../config/types.js';
import { isErrno, writeFileAtomic } from '../fs-util.js';

/** Where signed checkpoints are sent. */
export interface CheckpointWitness {
  /** For messages: `dir /path` or `command /bin/prog`. */
  readonly description: string;
  /** Hand one checkpoint (its canonical line) to the witness; rejects when it is not accepted. */
  publish(checkpoint: AuditCheckpoint, line: string): Promise<void>;
  /** The latest checkpoint line the witness holds; undefined when none or when it cannot tell. */
  latest(): Promise<string | undefined>;
}

/** Largest `latest` answer read back from a witness. */
const MAX_LATEST_BYTES = 64 * 1024;

/** Name of a checkpoint's file in a witness folder (sorts by tree size). */
export function witnessFileName(treeSize: number): string {
  return `checkpoint-${String(treeSize).padStart(16, '0')}.json`;
}

/** A folder witness. */
export class DirWitness implements CheckpointWitness {
  constructor(private readonly dir: string) {}

  get description(): string {
    return `dir ${this.dir}`;
  }

  async publish(checkpoint: AuditCheckpoint, line: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const held = await this.latest();
    if (held !== undefined) {
      const last = parseCheckpointLine(held);
      if (last.tree_size > checkpoint.tree_size)
        throw new ClearanceError(
          'AUDIT_ROLLBACK',
          `witness holds a checkpoint of ${last.tree_size} events, newer than ${checkpoint.tree_size}`,
        );
    }
    await writeFileAtomic(
      join(this.dir, witnessFileName(checkpoint.tree_size)),
      `${line}\n`,
      0o600,
    );
    await writeFileAtomic(join(this.dir, 'latest.json'), `${line}\n`, 0o600);
  }

  async latest(): Promise<string | undefined> {
    try {
      const text = (await readFile(join(this.dir, 'latest.json'), 'utf8')).trim();
      return text.length === 0 ? undefined : text;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }
}

/** Run `argv` (no shell), feed `input`, wait for exit 0 within `timeoutMs`; resolves stdout. */
function runCommand(argv: readonly string[], input: string, timeoutMs: number): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new Error('empty witness command'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'ignore'], timeout: timeoutMs });
    const chunks: Buffer[] = [];
    let bytes = 0;
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes <= MAX_LATEST_BYTES) chunks.push(c);
    });
    child.on('error', reject);
    // A witness that exits without reading its stdin must not crash the authority (EPIPE).
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      if (code === 0 && bytes <= MAX_LATEST_BYTES) resolve(Buffer.concat(chunks).toString('utf8'));
      else if (code === 0) reject(new Error('witness command printed too much'));
      else reject(new Error(`witness command ended with ${signal ?? `exit ${String(code)}`}`));
    });
    child.stdin.end(input);
  });
}

/** A command witness. */
export class CommandWitness implements CheckpointWitness {
  constructor(
    private readonly command: readonly string[],
    private readonly latestCommand: readonly string[] | undefined,
    private readonly timeoutMs: number,
  ) {}

  get description(): string {
    return `command ${this.command[0] ?? ''}`;
  }

  async publish(_checkpoint: AuditCheckpoint, line: string): Promise<void> {
    await runCommand(this.command, `${line}\n`, this.timeoutMs);
  }

  async latest(): Promise<string | undefined> {
    if (this.latestCommand === undefined) return undefined;
    const text = (await runCommand(this.latestCommand, '', this.timeoutMs)).trim();
    return text.length === 0 ? undefined : text;
  }
}

/** The witness a configuration names. */
export function witnessFor(config: WitnessConfig): CheckpointWitness {
  return config.kind === 'dir'
    ? new DirWitness(config.dir)
    : new CommandWitness(config.command, config.latest, config.timeoutMs);
}

/**
 * Delivers checkpoints to a witness one at a time, in order, off the log's write path. A failed
 * delivery is reported through `onFailure` and never rethrown.
 */
export class WitnessQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly witness: CheckpointWitness,
    private readonly onFailure: (checkpoint: AuditCheckpoint, err: unknown) => void,
  ) {}

  /** Queue one checkpoint for delivery. */
  offer(checkpoint: AuditCheckpoint, line: string): void {
    this.tail = this.tail.then(() =>
      this.witness.publish(checkpoint, line).catch((err: unknown) => {
        this.onFailure(checkpoint, err);
      }),
    );
  }

  /** Resolves once every queued checkpoint was delivered or reported as failed. */
  async settle(): Promise<void> {
    let seen: Promise<void> | undefined;
    // A failure report may queue another delivery; wait until nothing new arrived.
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }
}
