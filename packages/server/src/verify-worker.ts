/**
 * Worker-thread entry of POST /api/audit/verify (issue 10 U3): the whole-log verification hashes
 * and checks a signature per event, so it runs here, off the server's event loop. The worker lives
 * as long as its server and answers `{ id, dir }` messages with `{ id, report }` or
 * `{ id, error: { code, message } }`.
 */
import { parentPort } from 'node:worker_threads';
import { verifyHomeAudit } from '@clearance/authority';
import { hasCode } from '@clearance/protocol';

async function answer(message: unknown): Promise<unknown> {
  const id: unknown =
    typeof message === 'object' && message !== null ? Reflect.get(message, 'id') : undefined;
  const dir: unknown =
    typeof message === 'object' && message !== null ? Reflect.get(message, 'dir') : undefined;
  if (typeof dir !== 'string') return { id, error: { code: 'INTERNAL', message: 'no home given' } };
  try {
    return { id, report: await verifyHomeAudit(dir) };
  } catch (err) {
    return hasCode(err)
      ? { id, error: { code: err.code, message: err.message } }
      : { id, error: { code: 'INTERNAL', message: 'verification failed' } };
  }
}

parentPort?.on('message', (message: unknown) => {
  void answer(message).then((reply) => parentPort?.postMessage(reply));
});
