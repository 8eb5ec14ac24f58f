/**
 * `clearance feasibility` and `clearance gcode validate`, run in-process through `main`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { Io } from '../src/output.js';

function capture(): Io & { text: () => string } {
  const out: string[] = [];
  return { out: (t) => out.push(t), err: (t) => out.push(t), text: () => out.join('\n') };
}

const GREEN = {
  tool_d: 6,
  stepover: 0.4,
  stepdown: 1.5,
  z_rough: -3,
  feed_xy: 1000,
  feed_z: 300,
  rapid: 3000,
  safe_z: 5,
  strategy: 'pocket',
  layer_name: '0',
  climb: true,
  smoothing: 0,
  margin: 0,
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearance-cli-cnc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function feasibility(
  input: string,
): Promise<{ code: number; result: Record<string, unknown> }> {
  const file = join(dir, `in-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, input);
  const io = capture();
  const code = await main(['feasibility', file], io);
  return { code, result: JSON.parse(io.text()) as Record<string, unknown> };
}

describe('clearance feasibility', () => {
  it('GREEN parameters: exit 0, the documented fields and a hash', async () => {
    const { code, result } = await feasibility(JSON.stringify(GREEN));
    expect(code).toBe(0);
    expect(result).toMatchObject({ risk_level: 'GREEN', blocking: false, rules_triggered: [] });
    expect(result['engine_version']).toBe('feasibility_engine_v1');
    expect(result['hash']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('RED parameters: exit 1 with the triggered rules in order', async () => {
    const { code, result } = await feasibility(JSON.stringify({ ...GREEN, tool_d: 0, z_rough: 1 }));
    expect(code).toBe(1);
    expect(result['risk_level']).toBe('RED');
    expect(result['rules_triggered']).toEqual(expect.arrayContaining(['F001', 'F004']));
  });

  it('a client-sent risk_level: GREEN on RED parameters is refused, never GREEN', async () => {
    const { code, result } = await feasibility(
      JSON.stringify({ ...GREEN, tool_d: 0, risk_level: 'GREEN' }),
    );
    expect(code).toBe(1);
    expect(result['blocking']).toBe(true);
    expect(result['risk_level']).not.toBe('GREEN');
  });

  it('unparsable JSON (duplicate key) is a blocking UNKNOWN with the parser code', async () => {
    const { code, result } = await feasibility('{"tool_d":6,"tool_d":0}');
    expect(code).toBe(1);
    expect(result).toMatchObject({
      risk_level: 'UNKNOWN',
      blocking: true,
      error: { code: 'JSON_DUPLICATE_KEY' },
    });
  });
});

describe('clearance gcode validate', () => {
  const good = [
    'G21',
    'G90',
    'G0 Z5',
    'S12000 M3',
    'G0 X10 Y10',
    'G1 Z-1 F300',
    'G1 X20 F800',
    'G0 Z5',
    'M5',
    'M30',
    '',
  ].join('\n');

  it('a valid program passes (exit 0); the same program without units fails (exit 1)', async () => {
    const ok = join(dir, 'ok.nc');
    await writeFile(ok, good);
    expect(await main(['gcode', 'validate', ok], capture())).toBe(0);
    const bad = join(dir, 'bad.nc');
    await writeFile(bad, good.replace('G21\n', ''));
    const io = capture();
    expect(await main(['gcode', 'validate', bad, '--json'], io)).toBe(1);
    expect(io.text()).toContain('UNITS_NOT_SET');
  });

  it('an unknown machine profile is a usage error (exit 2)', async () => {
    const ok = join(dir, 'ok2.nc');
    await writeFile(ok, good);
    expect(await main(['gcode', 'validate', ok, '--machine', 'nope'], capture())).toBe(2);
  });
});
