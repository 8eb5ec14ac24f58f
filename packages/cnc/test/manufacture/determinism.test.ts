/** Same job and stamp, same bytes; the header carries identity and versions, never a time. */
import { hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { jobHash } from '../../src/job/index.js';
import {
  CNC_ENGINE_VERSION,
  CNC_TOOLCHAIN_VERSION,
  manufactureJob,
  postProcessorVersion,
} from '../../src/manufacture/index.js';
import { CASES, MACHINES, normalized, stampFor } from './fixtures.js';

const first = CASES[0];
if (first === undefined) throw new Error('fixtures');

describe('manufactureJob determinism and stamps', () => {
  it('two runs give byte-identical gcode, toolpaths.json and preview.svg for every case', () => {
    for (const c of CASES) {
      for (const { machine } of MACHINES) {
        const a = manufactureJob(normalized(c, machine), stampFor(c, machine));
        const b = manufactureJob(normalized(c, machine), stampFor(c, machine));
        expect(b.gcode).toBe(a.gcode);
        expect(b.toolpaths_json).toBe(a.toolpaths_json);
        expect(b.preview_svg).toBe(a.preview_svg);
      }
    }
  });

  it('the header names workflow, job hash, request hash and versions, and no date or time', () => {
    for (const { dialect, machine } of MACHINES) {
      const job = normalized(first, machine);
      const stamp = stampFor(first, machine);
      const r = manufactureJob(job, stamp);
      const header = r.gcode
        .split('\n')
        .filter((l) => l.startsWith(';') || l.startsWith('('))
        .join('\n')
        .toLowerCase();
      expect(r.job_hash).toBe(jobHash(job));
      for (const part of [
        stamp.workflow_id,
        r.job_hash,
        stamp.request_hash,
        CNC_ENGINE_VERSION,
        CNC_TOOLCHAIN_VERSION,
        postProcessorVersion(dialect),
      ]) {
        expect(header).toContain(part.toLowerCase());
      }
      expect(r.versions).toEqual({
        engine: CNC_ENGINE_VERSION,
        toolchain: CNC_TOOLCHAIN_VERSION,
        post_processor: postProcessorVersion(dialect),
      });
      // No ISO date, clock time or year anywhere in the program.
      expect(r.gcode).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}(:\d{2})?|\b20\d\d\b/);
    }
  });

  it('toolpaths.json is canonical and carries domain, hash, dialect, versions and operations', () => {
    const r = manufactureJob(normalized(first, 'grbl-desktop'), stampFor(first, 'grbl-desktop'));
    const parsed = JSON.parse(r.toolpaths_json) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'dialect',
      'domain',
      'job_hash',
      'operations',
      'summary',
      'versions',
    ]);
    expect(parsed['domain']).toBe('clearance.cnc-toolpaths.v1');
    expect(parsed['job_hash']).toBe(r.job_hash);
    expect(parsed['operations']).toEqual([
      { kind: 'ring_channel', cx: 150, cy: 100, inner_radius: 20, outer_radius: 30 },
    ]);
    expect(r.gcode_file).toBe('program.gcode');
  });

  it('a stamp that could inject G-code through a comment is refused', () => {
    const job = normalized(first, 'grbl-desktop');
    const stamp = stampFor(first, 'grbl-desktop');
    const refused = (s: typeof stamp): boolean => {
      try {
        manufactureJob(job, s);
      } catch (err) {
        return hasCode(err, 'VALIDATION_FAILED');
      }
      return false;
    };
    expect(refused({ ...stamp, workflow_id: 'wf\nG0 X0 Y0 Z-50' })).toBe(true);
    expect(refused({ ...stamp, workflow_id: 'wf)(MSG,hi' })).toBe(true);
    expect(refused({ ...stamp, request_hash: 'nothex' })).toBe(true);
    expect(refused({ ...stamp, engine_version: '' })).toBe(true);
    expect(refused(stamp)).toBe(false);
  });
});
