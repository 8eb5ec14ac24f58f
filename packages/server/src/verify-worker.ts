/**
 * Worker-thread entry of POST /api/audit/verify (issue 10 U3): the whole-log verification hashes
 * and checks a signature per event, so it runs here, off the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyHomeAudit } from '@clearance/authority';
import { hasCode } from '@clearance/protocol';

const input: unknown = workerData;
const dir =
  typeof input === 'object' && input !== null ? (Reflect.get(input, 'dir') as unknown) : undefined;

async function main(): Promise<unknown> {
  if (typeof dir !== 'string') return { error: { code: 'INTERNAL', message: 'no home given' } };
  try {
    return { report: await verifyHomeAudit(dir) };
  } catch (err) {
    return hasCode(err)
      ? { error: { code: err.code, message: err.message } }
      : { error: { code: 'INTERNAL', message: 'verification failed' } };
  }
}

void main().then((answer) => parentPort?.postMessage(answer));
