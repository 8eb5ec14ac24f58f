/**
 * Run `verifyHomeAudit` in a worker thread (issue 10 U3), so a large log never blocks the event
 * loop that serves approvals. One worker per server, started at the first verification (loading
 * the verifier costs a few hundred milliseconds) and kept until the server closes; a crashed
 * worker fails its pending verifications and is replaced by the next one.
 */
import { Worker } from 'node:worker_threads';
import type { HomeAuditReport } from '@clearance/authority';
import { ClearanceError, isErrorCode } from '@clearance/protocol';

// The worker runs compiled JavaScript: from src/ (tests) and from dist/ alike this is
// packages/server/dist/verify-worker.js.
const WORKER_URL = new URL('../dist/verify-worker.js', import.meta.url);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Waiting {
  readonly resolve: (r: HomeAuditReport) => void;
  readonly reject: (e: unknown) => void;
}

/** The verification worker of one server. */
export class AuditVerifier {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(private readonly dir: string) {}

  /** Verify the home's log in the worker. */
  verify(): Promise<HomeAuditReport> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<HomeAuditReport>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, dir: this.dir });
    });
  }

  /** Stop the worker (server close); pending verifications fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new ClearanceError('INTERNAL', 'server closed during audit verification'));
    await worker?.terminate();
  }

  private start(): Worker {
    // No inherited node options: a test runner's `--conditions` would point the worker's imports
    // at TypeScript sources.
    const worker = new Worker(WORKER_URL, { execArgv: [] });
    worker.unref();
    worker.on('message', (answer: unknown) => this.settle(answer));
    const lost = (cause?: unknown): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new ClearanceError('INTERNAL', 'audit verification worker failed', { cause }));
    };
    worker.on('error', lost);
    worker.on('exit', () => lost());
    this.worker = worker;
    return worker;
  }

  private settle(answer: unknown): void {
    if (!isRecord(answer) || typeof answer['id'] !== 'number') return;
    const waiting = this.waiting.get(answer['id']);
    if (waiting === undefined) return;
    this.waiting.delete(answer['id']);
    const error = answer['error'];
    if (isRecord(answer['report'])) {
      // Produced by verifyHomeAudit in the worker; structured clone keeps its plain data.
      waiting.resolve(answer['report'] as unknown as HomeAuditReport);
    } else if (isRecord(error) && isErrorCode(error['code'])) {
      waiting.reject(new ClearanceError(error['code'], String(error['message'])));
    } else {
      waiting.reject(new ClearanceError('INTERNAL', 'audit verification worker failed'));
    }
  }

  private failAll(err: ClearanceError): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
