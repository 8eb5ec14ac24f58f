/** Shared helpers for the cnc engine tests: temp dirs, jobs, EngineInput and receipt checks. */
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { validate } from '@clearance/protocol';
import type { JsonObject } from '@clearance/protocol';
import { afterEach, expect } from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) {
    // Restored copies are made read-only like the authority's; give write back to remove them.
    chmodTree(dir, true);
    rmSync(dir, { recursive: true, force: true });
  }
});

function chmodTree(dir: string, writable: boolean): void {
  try {
    chmodSync(dir, writable ? 0o755 : 0o555);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) chmodTree(path, writable);
      else if (entry.isFile()) chmodSync(path, writable ? 0o644 : 0o444);
    }
  } catch {
    // Missing or already gone: nothing to fix.
  }
}

/** A fresh temp dir, removed after the current test. */
export function tempDir(prefix = 'cnc-engine-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A read-only copy of a flight-plan's ARTIFACTS_DIR, as the authority restores it for take-off. */
export function restoredCopy(artifacts: string): string {
  const copy = join(tempDir('cnc-restored-'), 'artifacts');
  cpSync(artifacts, copy, { recursive: true });
  chmodTree(copy, false);
  return copy;
}

/** A client job: one circular pocket on `machine`, overridable per field. */
export function clientJob(
  machine = 'grbl-desktop',
  operations: JsonObject[] = [{ kind: 'circular_pocket', cx: 150, cy: 100, radius: 20 }],
): JsonObject {
  return {
    units: 'mm',
    machine,
    tool: { type: 'flat', diameter: 6, flutes: 2, flute_length: 20, stickout: 30 },
    material: { id: 'maple', hardness: 'medium', thickness: 20, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 1.5,
      final_depth: 3,
      feed_xy: 1000,
      feed_z: 300,
      rpm: 10000,
      safe_z: 5,
      climb: true,
    },
    operations,
  };
}

export type Mode = 'flight-plan' | 'take-off';

/** EngineInput bytes for `mode` with `config`. */
export function engineInput(mode: Mode, config: unknown, workflowId = 'wf_cnc_test'): Buffer {
  return Buffer.from(
    JSON.stringify({
      protocol_version: '0.1.0',
      mode,
      meta: { workflow_id: workflowId, step_id: 'manufacture' },
      config,
    }),
  );
}

/** The CABINCREW_* environment for `mode` over fresh temp dirs. */
export function engineEnv(mode: Mode, artifacts = tempDir('cnc-art-')): Record<string, string> {
  return {
    CABINCREW_WORKSPACE: tempDir('cnc-ws-'),
    CABINCREW_ARTIFACTS_DIR: artifacts,
    CABINCREW_TEMP_DIR: tempDir('cnc-tmp-'),
    CABINCREW_MODE: mode,
    PATH: '/usr/bin:/bin',
  };
}

/** Exactly one line of stdout, and it is a schema-valid receipt. */
export function receiptOf(stdout: string): Record<string, unknown> {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.slice(0, -1)).not.toContain('\n');
  const receipt: unknown = JSON.parse(stdout);
  expect(validate('EngineOutput', receipt)).toEqual({ ok: true });
  return receipt as Record<string, unknown>;
}
