import { readFileSync } from 'node:fs';

import { hasCode } from '@clearance/protocol';
import { describe, expect, it } from 'vitest';

import { DIALECTS, formatNumber, postProcess, type MotionProgram } from '../../src/gcode/index.js';
import { sampleProgram } from './fixtures.js';

function golden(dialect: string): string {
  return readFileSync(new URL(`./golden/sample.${dialect}.nc`, import.meta.url), 'utf8');
}

function throwsCode(fn: () => unknown, code: 'VALIDATION_FAILED'): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(hasCode(caught, code)).toBe(true);
}

describe('postProcess golden files', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: byte-for-byte equal to golden/sample.${dialect}.nc`, () => {
      expect(postProcess(sampleProgram(), dialect)).toBe(golden(dialect));
    });

    it(`${dialect}: deterministic, final newline, no CR, no timestamp, no -0`, () => {
      const a = postProcess(sampleProgram(), dialect);
      const b = postProcess(structuredClone(sampleProgram()), dialect);
      expect(a).toBe(b);
      expect(a.endsWith('\n')).toBe(true);
      expect(a).not.toContain('\r');
      expect(a).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|generated/i);
      expect(a).not.toMatch(/-0\.0+\b/);
      expect(a).not.toMatch(/\d[eE][+-]?\d/);
    });
  }

  it('header carries workflow id, job hash, request hash and every version stamp', () => {
    const p = sampleProgram();
    const text = postProcess(p, 'grbl');
    for (const v of [p.header.workflow_id, p.header.job_hash, p.header.request_hash]) {
      expect(text).toContain(v);
    }
    for (const [k, v] of Object.entries(p.header.versions)) expect(text).toContain(`${k}: ${v}`);
  });

  it('dialect specifics: comments, decimals, numbering, tape marks, codes', () => {
    const grbl = postProcess(sampleProgram(), 'grbl').split('\n');
    expect(grbl[0]).toMatch(/^; title:/);
    expect(grbl).toContain('G1 X60.000 F1200.0');
    expect(grbl.some((l) => /M6\b/.test(l))).toBe(false);
    const cnc = postProcess(sampleProgram(), 'linuxcnc').split('\n');
    expect(cnc).toContain('G64 P0.002');
    expect(cnc).toContain('T1 M6');
    expect(cnc).toContain('G1 X60.0000 F1200.0');
    const fanuc = postProcess(sampleProgram(), 'fanuc', { programNumber: 42 }).split('\n');
    expect(fanuc.slice(0, 3)).toEqual(['%', 'O0042', '(TITLE: SAMPLE SQUARE + CIRCLE)']);
    expect(fanuc.at(-2)).toBe('%');
    const blocks = fanuc.filter((l) => l.startsWith('N'));
    blocks.forEach((l, k) => expect(l.startsWith(`N${(k + 1) * 10} `)).toBe(true));
    expect(blocks).toContain('N60 S12000 M03');
    expect(blocks.at(-1)).toMatch(/ M30$/);
    expect(blocks.some((l) => / G[0-9](?![0-9])/.test(l))).toBe(false);
  });

  it('comment text cannot inject G-code or active LinuxCNC comments', () => {
    const p = sampleProgram();
    const evil: MotionProgram = {
      ...p,
      header: { ...p.header, title: 'x)\nG0 Z-50 (LOGOPEN,/tmp/x); M3', workflow_id: 'wf;G1' },
    };
    for (const dialect of DIALECTS) {
      const text = postProcess(evil, dialect);
      const headerLines = text.split('\n').filter((l) => /^[;(]/.test(l));
      for (const l of headerLines) {
        const body = l.startsWith(';') ? l.slice(1) : l.slice(1, -1);
        expect(body).not.toMatch(/[()\n;,%]/);
      }
      expect(text).not.toMatch(/^G0 Z-50/m);
    }
  });

  it('rejects values it cannot print (VALIDATION_FAILED)', () => {
    const p = sampleProgram();
    throwsCode(
      () => postProcess({ ...p, moves: [{ kind: 'linear', x: NaN }] }, 'grbl'),
      'VALIDATION_FAILED',
    );
    throwsCode(
      () => postProcess({ ...p, moves: [{ kind: 'rapid', x: 1e21 }] }, 'grbl'),
      'VALIDATION_FAILED',
    );
    throwsCode(
      () => postProcess({ ...p, moves: [{ kind: 'arc_cw', x: 1, y: 1 }] }, 'grbl'),
      'VALIDATION_FAILED',
    );
    throwsCode(() => postProcess({ ...p, spindle_rpm: 1200.5 }, 'grbl'), 'VALIDATION_FAILED');
    throwsCode(
      () => postProcess({ ...p, tool: { number: 0, diameter: 6 } }, 'fanuc'),
      'VALIDATION_FAILED',
    );
    throwsCode(() => postProcess(p, 'fanuc', { programNumber: 10000 }), 'VALIDATION_FAILED');
  });

  it('never prints a negative zero for tiny negative coordinates', () => {
    const p = { ...sampleProgram(), moves: [{ kind: 'rapid', x: -1e-9, y: -0.00004 }] as const };
    for (const dialect of DIALECTS) {
      const text = postProcess(p, dialect);
      expect(text).toMatch(/ X0\.0+ Y0\.0+\n/);
      expect(text).not.toMatch(/-0\.0+\b/);
    }
  });

  it('emits coolant on/off only when asked', () => {
    const text = postProcess({ ...sampleProgram(), coolant: true }, 'linuxcnc').split('\n');
    expect(text.indexOf('M8')).toBeGreaterThan(text.indexOf('S12000 M3'));
    expect(text.indexOf('M9')).toBeLessThan(text.indexOf('M5'));
    expect(postProcess(sampleProgram(), 'linuxcnc')).not.toMatch(/^M[89]$/m);
  });
});

describe('formatNumber', () => {
  it('fixed decimals, no negative zero, no exponent', () => {
    expect(formatNumber(-0, 3)).toBe('0.000');
    expect(formatNumber(-0.0001, 3)).toBe('0.000');
    expect(formatNumber(-0.0004999, 4)).toBe('-0.0005');
    expect(formatNumber(1e-7, 4)).toBe('0.0000');
    expect(formatNumber(123456.78915, 3)).toBe('123456.789');
    expect(formatNumber(-2, 1)).toBe('-2.0');
  });

  it('throws VALIDATION_FAILED for non-finite and huge values', () => {
    for (const v of [NaN, Infinity, -Infinity, 1e7, -1e21]) {
      throwsCode(() => formatNumber(v, 3), 'VALIDATION_FAILED');
    }
  });
});
