/**
 * bubblewrap's JSON status (--json-status-fd): the first line names the sandbox's pid 1 and its
 * namespaces. Used to kill the sandbox precisely and, after a fallback kill, to wait for it.
 */
import { readlink } from 'node:fs/promises';
import { parseJsonStrict } from '@clearance/protocol';
import { isRecord } from '../narrow.js';

/** The sandbox's pid 1 as seen from the host, and its pid namespace ("pid:[inode]"). */
export interface SandboxInit {
  readonly pid: number;
  readonly pidNamespace: string;
}

/** How often, and how long at most, waitForTeardown looks. */
const POLL_MS = 10;
const MAX_WAIT_MS = 5_000;

/** Parse bubblewrap's first status line; undefined when it is not the expected shape. */
export function parseStatusLine(line: string): SandboxInit | undefined {
  try {
    const status = parseJsonStrict(line);
    if (!isRecord(status)) return undefined;
    const pid = status['child-pid'];
    const ns = status['pid-namespace'];
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1) return undefined;
    if (typeof ns !== 'number' || !Number.isSafeInteger(ns)) return undefined;
    return { pid, pidNamespace: `pid:[${ns}]` };
  } catch {
    return undefined;
  }
}

/**
 * Resolve once the sandbox's pid 1 is gone, which the kernel allows only after every other
 * process of its namespace is gone. Needed only when the launcher was killed before pid 1 was
 * known: then pid 1 dies of --die-with-parent, after the launcher. Comparing the namespace too
 * keeps a recycled pid from being mistaken for the sandbox.
 */
export async function waitForTeardown(init: SandboxInit): Promise<void> {
  const deadline = Date.now() + MAX_WAIT_MS;
  while (Date.now() < deadline) {
    const ns = await readlink(`/proc/${init.pid}/ns/pid`).catch(() => undefined);
    if (ns !== init.pidNamespace) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
