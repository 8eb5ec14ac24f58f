/**
 * Read-back helpers for scenario assertions (I11-6): the audit events and WAL entry types of a
 * home, so a scenario can assert the events its title promises instead of only the final state.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonStrict, type JsonObject } from '@clearance/protocol';

function jsonLines(text: string): JsonObject[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => parseJsonStrict(l) as JsonObject);
}

/** Every audit event of the home, in log order; only `workflowId`'s when given. */
export async function auditEvents(homeDir: string, workflowId?: string): Promise<JsonObject[]> {
  const all = jsonLines(await readFile(join(homeDir, 'audit', 'events.jsonl'), 'utf8'));
  if (workflowId === undefined) return all;
  return all.filter(
    (e) => (e['workflow'] as JsonObject | undefined)?.['workflow_id'] === workflowId,
  );
}

/** The `entry_type`s of one workflow's WAL, in order. */
export async function walEntryTypes(homeDir: string, workflowId: string): Promise<string[]> {
  const text = await readFile(join(homeDir, 'workflows', workflowId, 'wal.jsonl'), 'utf8');
  return jsonLines(text).map((e) => {
    const type = e['entry_type'];
    return typeof type === 'string' ? type : '';
  });
}
