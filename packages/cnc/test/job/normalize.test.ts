/** normalizeJob / jobHash: inch conversion, canonical form, determinism and a pinned hash. */
import { createHash } from 'node:crypto';
import { canonicalize } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';
import { JOB_HASH_DOMAIN, jobHash, normalizeJob, parseJob } from '../../src/job/index.js';
import { rosetteJob } from './fixtures.js';

/** Pinned: changes only when the normalized form or the canonical JSON changes. */
const GOLDEN_ROSETTE_HASH = '63ccc2d0d3dc03036570816feeedcfa03bdfad04de6922027dca6e7955073260';

function inchJob(): Record<string, unknown> {
  return {
    ...rosetteJob(),
    units: 'inch',
    tool: { type: 'flat', diameter: 0.125, flutes: 2, flute_length: 0.5, stickout: 0.75 },
    material: { id: 'maple', hardness: 'medium', thickness: 0.25, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 0.02,
      final_depth: 0.06,
      feed_xy: 30,
      feed_z: 8,
      rpm: 12000,
      safe_z: 0.2,
      climb: false,
    },
    operations: [{ kind: 'rosette', cx: 0, cy: 0, rings: [{ inner_radius: 0, outer_radius: 1 }] }],
    stock: { x: -2, y: -2, width: 4, length: 4 },
  };
}

describe('normalizeJob', () => {
  it('converts every length and feed of an inch job to mm (a 1-inch ring → 25.4 mm)', () => {
    const n = normalizeJob(parseJob(inchJob()));
    expect(n.units).toBe('mm');
    expect(n.operations[0]).toEqual({
      kind: 'rosette',
      cx: 0,
      cy: 0,
      rings: [{ inner_radius: 0, outer_radius: 25.4 }],
    });
    expect(n.tool).toMatchObject({ diameter: 3.175, flute_length: 12.7, stickout: 19.05 });
    expect(n.material.thickness).toBe(6.35);
    expect(n.cutting).toEqual({
      stepover: 0.4,
      stepdown: 0.508,
      final_depth: 1.524,
      feed_xy: 762,
      feed_z: 203.2,
      rpm: 12000,
      safe_z: 5.08,
      climb: false,
      coolant: null,
    });
    expect(n.stock).toEqual({ x: -50.8, y: -50.8, width: 101.6, length: 101.6 });
  });

  it('makes optional fields explicit and rounds to 1e-6 mm', () => {
    const job = {
      ...rosetteJob(),
      operations: [
        { kind: 'rect_pocket', x: 0.1 + 0.2, y: -0, width: 10, length: 5 },
        { kind: 'drill', points: [{ x: 1.00000049, y: 2 }] },
      ],
    };
    const n = normalizeJob(parseJob(job));
    expect(n.operations).toEqual([
      { kind: 'rect_pocket', x: 0.3, y: 0, width: 10, length: 5, corner_radius: 0 },
      { kind: 'drill', points: [{ x: 1, y: 2 }], peck: null },
    ]);
    expect(Object.is((n.operations[0] as { y: number }).y, 0)).toBe(true);
    expect(n.layer).toBeNull();
  });

  it('is deterministic: same job, any key order → same hash; a change → another hash', () => {
    const a = jobHash(normalizeJob(parseJob(rosetteJob())));
    const reordered = Object.fromEntries(Object.entries(rosetteJob()).reverse());
    expect(jobHash(normalizeJob(parseJob(reordered)))).toBe(a);
    const changed = { ...rosetteJob(), machine: 'linuxcnc-router' };
    expect(jobHash(normalizeJob(parseJob(changed)))).not.toBe(a);
  });

  it('hashes as H(domain, JCS(normalized)), pinned', () => {
    const normalized = normalizeJob(parseJob(rosetteJob()));
    const independent = createHash('sha256')
      .update(JOB_HASH_DOMAIN)
      .update(Buffer.from([0]))
      .update(canonicalize(normalized))
      .digest('hex');
    expect(JOB_HASH_DOMAIN).toBe('clearance.cnc-job.v1');
    expect(jobHash(normalized)).toBe(independent);
    expect(independent).toBe(GOLDEN_ROSETTE_HASH);
  });
});
