import { describe, expect, it } from 'vitest';

import {
  GCODE_ISSUE_CODES,
  MAX_PROGRAM_LINES,
  circleMoves,
  machineProfile,
  postProcess,
  renderValidation,
  validateGcode,
  type GcodeIssueCode,
} from '../../src/gcode/index.js';
import { sampleProgram } from './fixtures.js';

const GRBL = machineProfile('grbl-desktop');

/** A minimal hand-written program that passes on grbl-desktop. */
const GOOD = [
  'G21',
  'G90',
  'G0 Z5',
  'S12000 M3',
  'G0 X10 Y10',
  'G1 Z-1 F300',
  'G1 X20 F1000',
  'G0 Z5',
  'M5',
  'M30',
];

function text(lines: readonly string[]): string {
  return lines.join('\n') + '\n';
}

/** GOOD with line `index` replaced by `lines` (none = deleted). */
function edit(index: number, ...lines: string[]): string {
  return text([...GOOD.slice(0, index), ...lines, ...GOOD.slice(index + 1)]);
}

function codes(program: string, options = {}): GcodeIssueCode[] {
  return validateGcode(program, GRBL, options).issues.map((i) => i.code);
}

describe('validateGcode accepts good programs', () => {
  it('the hand-written baseline', () => {
    const v = validateGcode(text(GOOD), GRBL);
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.bounds).toEqual({ x: [10, 20], y: [10, 10], z: [-1, 5] });
    expect(v.stats).toEqual({ lines: 10, rapids: 3, cuts: 2, arcs: 0 });
  });

  it('CRLF line ends, comments, N/O words and tape marks', () => {
    const numbered = GOOD.map((l, k) => `N${k + 1} ${l} (c${k}) ; tail`);
    expect(validateGcode(['%', ...numbered, '%'].join('\r\n'), GRBL).issues).toEqual([]);
    // O program numbers are LinuxCNC/FANUC words; GRBL refuses them (see the dialect tests).
    const linuxcnc = machineProfile('linuxcnc-router');
    const program = ['%', 'O0001', ...numbered.map((l) => l.replace(/ ; tail$/, '')), '%'];
    expect(validateGcode(program.join('\r\n'), linuxcnc).issues).toEqual([]);
  });

  it('G20 programs are scaled to mm', () => {
    const inch = ['G20', 'G90', 'G0 Z0.2', 'S12000 M3', 'G0 X1 Y1', 'G1 Z-0.04 F10', 'G0 Z0.2'];
    const v = validateGcode(text([...inch, 'M5', 'M30']), GRBL);
    expect(v.issues).toEqual([]);
    expect(v.bounds.x?.[0]).toBeCloseTo(25.4, 9);
  });

  it('a full circle from circleMoves, cw and ccw, bounds include the arc extremes', () => {
    for (const dir of ['cw', 'ccw'] as const) {
      const base = sampleProgram();
      const moves = [
        { kind: 'rapid', x: 250, y: 200 } as const,
        { kind: 'linear', z: -3, f: 200 } as const,
        ...circleMoves(200, 200, 50, -3, 1000, dir),
      ];
      const v = validateGcode(postProcess({ ...base, moves }, 'grbl'), GRBL);
      expect(v.issues).toEqual([]);
      expect(v.stats.arcs).toBe(2);
      expect(v.bounds.x?.[0]).toBeCloseTo(150, 9);
      expect(v.bounds.x?.[1]).toBeCloseTo(250, 9);
      expect(v.bounds.y?.[0]).toBeCloseTo(150, 9);
      expect(v.bounds.y?.[1]).toBeCloseTo(250, 9);
    }
  });
});

describe('validateGcode: one bad program per issue code', () => {
  const cases: readonly (readonly [GcodeIssueCode, string])[] = [
    ['UNITS_NOT_SET', edit(0)],
    ['ABSOLUTE_NOT_SET', edit(1)],
    ['RELATIVE_MODE', edit(1, 'G91')],
    ['SPINDLE_OFF_WHILE_CUTTING', edit(3)],
    ['RPM_OUT_OF_RANGE', edit(3, 'S30000 M3')],
    ['OUT_OF_ENVELOPE', edit(6, 'G1 X400.001 F1000')],
    ['FEED_MISSING', edit(5, 'G1 Z-1')],
    ['FEED_OUT_OF_RANGE', edit(6, 'G1 X20 F5000')],
    ['ARC_INCONSISTENT', edit(6, 'G2 X30 Y10.5 I10 J0 F1000')],
    ['RAPID_BELOW_SAFE_Z', edit(7, 'G0 X50 Y50')],
    ['NO_SPINDLE_STOP', edit(8)],
    ['NO_PROGRAM_END', edit(9)],
    ['UNKNOWN_WORD', edit(2, 'G28')],
    ['TOO_LONG', edit(2, `G0 Z5 (${'x'.repeat(300)})`)],
  ];

  it('covers every code', () => {
    expect(cases.map(([c]) => c).sort()).toEqual([...GCODE_ISSUE_CODES].sort());
  });

  for (const [code, program] of cases) {
    it(code, () => {
      const v = validateGcode(program, GRBL);
      expect(v.ok).toBe(false);
      expect(v.issues.map((i) => i.code)).toContain(code);
    });
  }
});

describe('validateGcode: realistic failures', () => {
  it('a generated program with a valid header but a rapid through the stock', () => {
    const good = postProcess(sampleProgram(), 'grbl');
    expect(codes(good)).toEqual([]);
    const bad = good.replace('G0 Z5.000\nG0 X140.000 Y60.000\n', 'G0 X140.000 Y60.000\n');
    expect(bad).not.toBe(good);
    const v = validateGcode(bad, GRBL);
    expect(v.issues.map((i) => i.code)).toEqual(['RAPID_BELOW_SAFE_Z']);
    expect(bad.split('\n')[(v.issues[0]?.line ?? 0) - 1]).toBe('G0 X140.000 Y60.000');
  });

  it('rapid plunge into the stock, rapids just under the margin, unknown Z, safe_z option', () => {
    expect(codes(edit(4, 'G0 X10 Y10', 'G0 Z-0.5'))).toContain('RAPID_BELOW_SAFE_Z');
    expect(codes(edit(2, 'G0 Z0.05'))).toEqual(['RAPID_BELOW_SAFE_Z']);
    expect(codes(edit(2, 'G0 Z0.1'))).toEqual([]);
    expect(codes(edit(2))).toEqual(['RAPID_BELOW_SAFE_Z']);
    expect(codes(edit(2, 'G0 Z1'), { safe_z: 3 })).toEqual(['RAPID_BELOW_SAFE_Z']);
    expect(codes(edit(2, 'G0 Z3'), { safe_z: 3 })).toEqual([]);
  });

  it('arcs whose end point is off the circle, or with zero radius', () => {
    const arc = (line: string): GcodeIssueCode[] => codes(edit(6, line + ' F1000'));
    expect(arc('G2 X30.004 Y10 I10 J0')).toEqual([]);
    expect(arc('G2 X30.006 Y10 I10 J0')).toEqual(['ARC_INCONSISTENT']);
    expect(arc('G3 X10 Y30 I0 J10.2')).toEqual(['ARC_INCONSISTENT']);
    expect(arc('G2 X10 Y10 I0 J0')).toEqual(['ARC_INCONSISTENT']);
    expect(codes(text(['G21', 'G90', 'S12000 M3', 'G2 X5 Y5 I1 J0 F100', 'M5', 'M30']))).toEqual([
      'ARC_INCONSISTENT',
    ]);
  });

  it('a coordinate 0.001 outside the envelope on each side, and an arc bulging out', () => {
    expect(codes(edit(6, 'G1 X400 F1000'))).toEqual([]);
    expect(codes(edit(6, 'G1 X400.001 F1000'))).toEqual(['OUT_OF_ENVELOPE']);
    expect(codes(edit(4, 'G0 X-0.001 Y10'))).toEqual(['OUT_OF_ENVELOPE']);
    expect(codes(edit(4, 'G0 X10 Y400.001'))).toEqual(['OUT_OF_ENVELOPE']);
    expect(codes(edit(5, 'G1 Z-60.001 F300'))).toEqual(['OUT_OF_ENVELOPE']);
    expect(codes(edit(2, 'G0 Z20.001'))).toEqual(['OUT_OF_ENVELOPE']);
    const bulge = edit(4, 'G0 X385 Y200', 'G1 Z-1 F300', 'G3 X385 Y240 I0 J20 F1000');
    expect(codes(bulge)).toEqual(['OUT_OF_ENVELOPE']);
    const inside = edit(4, 'G0 X385 Y200', 'G1 Z-1 F300', 'G2 X385 Y240 I0 J20 F1000');
    expect(codes(inside)).toEqual([]);
  });

  it('spindle started after the first cut', () => {
    const late = text([
      'G21',
      'G90',
      'G0 Z5',
      'G0 X10 Y10',
      'G1 Z-1 F300',
      'S12000 M3',
      ...GOOD.slice(6),
    ]);
    const v = validateGcode(late, GRBL);
    expect(v.issues).toEqual([
      { line: 5, code: 'SPINDLE_OFF_WHILE_CUTTING', message: expect.any(String) as unknown },
    ]);
  });

  it('spindle speeds: below the minimum, M3 without S, S raised while running', () => {
    expect(codes(edit(3, 'S500 M3'))).toEqual(['RPM_OUT_OF_RANGE']);
    expect(codes(edit(3, 'M3'))).toEqual(['RPM_OUT_OF_RANGE']);
    expect(codes(edit(6, 'G1 X20 S25000'))).toEqual(['RPM_OUT_OF_RANGE']);
  });

  it('missing M5, missing M30, both, and commands after the end', () => {
    expect(codes(edit(8))).toEqual(['NO_SPINDLE_STOP']);
    expect(codes(edit(9))).toEqual(['NO_PROGRAM_END']);
    expect(codes(text(GOOD.slice(0, 8)))).toEqual(['NO_PROGRAM_END', 'NO_SPINDLE_STOP']);
    expect(codes(text([...GOOD, 'G0 X0 Y0']))).toEqual(['NO_PROGRAM_END']);
  });

  it('feeds: plunge faster than max Z feed, zero and negative F, ramp share', () => {
    expect(codes(edit(5, 'G1 Z-1 F1000'))).toEqual(['FEED_OUT_OF_RANGE']);
    expect(codes(edit(5, 'G1 Z-1 F0'))).toContain('FEED_OUT_OF_RANGE');
    expect(codes(edit(5, 'G1 Z-1 F-5'))).toContain('FEED_OUT_OF_RANGE');
    // A 1:10 ramp at F2000 moves Z at ~199 mm/min: allowed; a 1:1 ramp at F2000 is not.
    expect(codes(edit(5, 'G0 Z0.5', 'G1 X20 Z-0.5 F2000'))).toEqual([]);
    expect(codes(edit(5, 'G0 Z0.5', 'G1 X11 Z-0.5 F2000'))).toEqual(['FEED_OUT_OF_RANGE']);
  });

  it('fails closed on anything outside the supported subset', () => {
    const bad = [
      'G4 P1',
      'M98 P100',
      '#1=5',
      'G1 X1e3',
      'G0 X1 (unclosed',
      'G0 X1 (a (nested) b)',
      'G0 X1 )',
      'G0 X10 X20',
      'G0 G1 X1',
      'G20 G21',
      'M3 M5',
      'G2 X1 Y1 R5',
      'G1.5 X1',
      'N10 N20 G0 Z5',
      'G0 Z5 N10',
      'O12 G0 Z5',
      'X 1 Y',
      '%G0',
      'G18',
      'G54',
      '/G0 Z-5',
      '$H',
      'G0 Z5 (LOGOPEN,/tmp/x)',
      'G0 Z5 ( msg, hello)',
      'G0 Z5 (PROBEOPEN out.txt)',
    ];
    for (const line of bad) {
      const v = validateGcode(edit(2, 'G0 Z5', line), GRBL);
      expect(v.issues.map((i) => [i.line, i.code])).toContainEqual([4, 'UNKNOWN_WORD']);
    }
    expect(codes(text(['X10 Y10', ...GOOD]))).toContain('UNKNOWN_WORD');
    expect(codes(edit(6, 'G1 X20 I5'))).toContain('UNKNOWN_WORD');
  });

  it('FANUC machines: `;` is end-of-block, not a comment', () => {
    const fanuc = machineProfile('fanuc-mill');
    const ok = text(GOOD.map((l) => `${l} (fine)`));
    expect(validateGcode(ok, fanuc).issues).toEqual([]);
    const hidden = text([...GOOD.slice(0, 5), 'G1 Z-1 F300 ; G1 Z-140', ...GOOD.slice(6)]);
    expect(validateGcode(hidden, fanuc).issues).toEqual([
      { line: 6, code: 'UNKNOWN_WORD', message: expect.any(String) as unknown },
    ]);
    expect(codes(hidden)).toEqual([]);
  });

  it('units on a line apply to its own feed and coordinates', () => {
    // F100 in inches is 2540 mm/min: too fast for a plunge on grbl-desktop (max Z 800).
    const inch = [
      'G21',
      'G90',
      'G0 Z0.2',
      'S12000 M3',
      'G0 X1 Y1',
      'G20 G1 Z-0.04 F100',
      'G0 Z0.2',
    ];
    expect(codes(text([...inch, 'M5', 'M30']))).toEqual(['FEED_OUT_OF_RANGE']);
  });

  it('renders a deterministic report', () => {
    const v = validateGcode(edit(7, 'G0 X50 Y50'), GRBL);
    const report = renderValidation(v, GRBL);
    expect(report).toMatch(/^line 8: RAPID_BELOW_SAFE_Z: /);
    expect(report).toContain('REJECTED: 1 issue(s) on machine grbl-desktop');
    expect(report).toContain('bounds X 10.000..50.000 Y 10.000..50.000 Z -1.000..5.000');
    expect(renderValidation(validateGcode(text(GOOD), GRBL), GRBL)).toMatch(/^OK: 0 issue/);
  });

  it('caps program size', () => {
    const v = validateGcode('\n'.repeat(MAX_PROGRAM_LINES + 1), GRBL);
    expect(v.issues).toEqual([
      { line: 0, code: 'TOO_LONG', message: expect.any(String) as unknown },
    ]);
  });

  it('is pure: the same text gives the same verdict', () => {
    const program = edit(7, 'G0 X50 Y50');
    expect(validateGcode(program, GRBL)).toEqual(validateGcode(program, GRBL));
  });
});

describe('machineProfile', () => {
  it('throws VALIDATION_FAILED for an unknown id', () => {
    expect(() => machineProfile('nope')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});

describe('issue 12: the validator knows what each dialect accepts', () => {
  it('issue 12 (posts): GRBL refuses G64, M6 and O numbers (error:20 on GRBL 1.1); LinuxCNC accepts them', () => {
    const linuxcnc = machineProfile('linuxcnc-router');
    for (const line of ['G64 P0.002', 'T1 M6', 'O0100']) {
      const program = text([...GOOD.slice(0, 3), line, ...GOOD.slice(3)]);
      const grbl = validateGcode(program, GRBL).issues;
      expect(grbl, line).toEqual([expect.objectContaining({ line: 4, code: 'UNKNOWN_WORD' })]);
      expect(validateGcode(program, linuxcnc).issues, line).toEqual([]);
    }
  });

  it('issue 12 (posts): every posted sample program still validates on its own dialect', () => {
    for (const id of ['grbl-desktop', 'linuxcnc-router', 'fanuc-mill']) {
      const machine = machineProfile(id);
      expect(
        validateGcode(postProcess(sampleProgram(), machine.dialect), machine).issues,
        id,
      ).toEqual([]);
    }
  });
});
