/**
 * Run `verifyHomeAudit` in a worker thread (issue 10 U3), one verification at a time, so a large
 * log never blocks the event loop that serves approvals.
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

function runOnce(dir: string): Promise<HomeAuditReport> {
  return new Promise((resolve, reject) => {
    // No inherited node options: a test runner's `--conditions` would point the worker's imports at
    // TypeScript sources.
    const worker = new Worker(WORKER_URL, { workerData: { dir }, execArgv: [] });
    let settled = false;
    worker.once('message', (answer: unknown) => {
      settled = true;
      const error = isRecord(answer) ? answer['error'] : undefined;
      if (isRecord(answer) && isRecord(answer['report'])) {
        // Produced by verifyHomeAudit in the worker; structured clone keeps its plain data.
        resolve(answer['report'] as unknown as HomeAuditReport);
      } else if (isRecord(error) && isErrorCode(error['code'])) {
        reject(new ClearanceError(error['code'], String(error['message'])));
      } else {
        reject(new ClearanceError('INTERNAL', 'audit verification worker failed'));
      }
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new ClearanceError('INTERNAL', 'audit verification worker failed', { cause: err }));
    });
    worker.once('exit', () => {
      if (!settled) reject(new ClearanceError('INTERNAL', 'audit verification worker exited'));
    });
  });
}

/** Verifications of one server, run one after the other. */
export class AuditVerifier {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /** Verify the home's log in a worker, after any verification already running. */
  verify(): Promise<HomeAuditReport> {
    const next = this.tail.then(
      () => runOnce(this.dir),
      () => runOnce(this.dir),
    );
    this.tail = next.catch(() => undefined);
    return next;
  }
}
