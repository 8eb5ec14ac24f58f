/**
 * Manufacturing benchmarks (issue 4), against the BUILT @clearance/cnc package:
 *   5a  feasibility evaluations per second (strict parse + all 33 rules + hash), 3 typical inputs
 *   5b  G-code validated per second (lines/s) for a large post-processed program
 *   5c  toolpath generation + GRBL post + validation (lines/s) for a 20-ring rosette and a
 *       300 × 200 mm pocket
 */
import {
  buildProgram,
  circleMoves,
  feasibilityHash,
  machineProfile,
  postProcess,
  safeEvaluate,
  validateGcode,
} from '@clearance/cnc';

const BASE = {
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
const INPUTS = [
  BASE,
  {
    ...BASE,
    material_hardness: 'hard',
    stepdown: 4,
    geometry_depth_mm: 14,
    tool_flute_length_mm: 12,
  },
  {
    ...BASE,
    tool_d: 1.5,
    stepover: 0.8,
    wall_thickness_mm: 1.5,
    floor_thickness_mm: 1,
    geometry_complex: true,
  },
];

function bigProgram() {
  const moves = [{ kind: 'rapid', z: 5 }];
  for (let ring = 0; ring < 40; ring++) {
    const r = 10 + ring * 2;
    for (let depth = 1; depth <= 5; depth++) {
      moves.push({ kind: 'rapid', z: 5 }, { kind: 'rapid', x: 150 + r, y: 150 });
      moves.push({ kind: 'linear', z: -depth * 0.5, f: 300 });
      moves.push(...circleMoves(150, 150, r, -depth * 0.5, 800, 'ccw'));
    }
  }
  moves.push({ kind: 'rapid', z: 5 });
  return {
    header: {
      title: 'bench',
      workflow_id: 'wf-bench',
      job_hash: '0'.repeat(64),
      request_hash: '0'.repeat(64),
      versions: { cnc: 'bench' },
    },
    units: 'mm',
    tool: { number: 1, diameter: 3 },
    spindle_rpm: 18000,
    safe_z: 5,
    moves,
  };
}

export async function benchCnc({ row, log, fmtInt }) {
  for (const i of INPUTS) safeEvaluate(i);
  const N = 20_000;
  const t0 = performance.now();
  let red = 0;
  for (let k = 0; k < N; k++) {
    const o = safeEvaluate(INPUTS[k % INPUTS.length]);
    feasibilityHash(o);
    if (o.risk_level === 'RED') red += 1;
  }
  const evalsPerS = N / ((performance.now() - t0) / 1000);
  log(`5a ${fmtInt(evalsPerS)} feasibility evaluations/s (${red} RED)`);
  row(
    '5a',
    `Feasibility evaluations (strict parse, 33 rules, hash), ${fmtInt(N)} over 3 typical inputs`,
    `${fmtInt(evalsPerS)} evaluations/s`,
    '(info)',
    'INFO',
  );

  const machine = machineProfile('grbl-desktop');
  const text = postProcess(bigProgram(), 'grbl');
  const lines = text.split('\n').length;
  validateGcode(text, machine);
  const reps = 10;
  const t1 = performance.now();
  for (let k = 0; k < reps; k++) {
    const v = validateGcode(text, machine);
    if (!v.ok) throw new Error(`bench program invalid: ${JSON.stringify(v.issues.slice(0, 3))}`);
  }
  const linesPerS = (lines * reps) / ((performance.now() - t1) / 1000);
  row(
    '5b',
    `G-code validation of a ${fmtInt(lines)}-line GRBL program (40 rings × 5 depths, arcs)`,
    `${fmtInt(linesPerS)} lines/s`,
    '(info)',
    'INFO',
  );
  const header = {
    title: 'bench',
    workflow_id: 'wf-bench',
    job_hash: '0'.repeat(64),
    request_hash: '0'.repeat(64),
    versions: { cnc: 'bench' },
  };
  const cutting = {
    stepover: 0.4,
    stepdown: 1,
    final_depth: 2,
    feed_xy: 800,
    feed_z: 200,
    rpm: 18000,
    safe_z: 5,
    climb: true,
  };
  const jobs = {
    'rosette (20 rings of 2.5 mm, r 40–100 mm, 2 mm tool, 2 mm deep)': () =>
      buildProgram(
        Array.from({ length: 20 }, (_, i) => ({
          kind: 'ring_channel',
          cx: 200,
          cy: 200,
          inner_radius: 40 + i * 3,
          outer_radius: 40 + i * 3 + 2.5,
        })),
        { diameter: 2, type: 'flat' },
        cutting,
        header,
      ),
    'pocket (300 × 200 mm, 6 mm tool, 2 mm deep)': () =>
      buildProgram(
        [{ kind: 'rect_pocket', x: 50, y: 50, width: 300, length: 200 }],
        { diameter: 6, type: 'flat' },
        cutting,
        header,
      ),
  };
  const generation = {};
  for (const [name, build] of Object.entries(jobs)) {
    build();
    const t = performance.now();
    let genLines = 0;
    const reps = 5;
    for (let k = 0; k < reps; k++) {
      const gcode = postProcess(build(), 'grbl');
      const v = validateGcode(gcode, machine);
      if (!v.ok)
        throw new Error(
          `${name}: generated G-code invalid: ${JSON.stringify(v.issues.slice(0, 3))}`,
        );
      genLines += gcode.split('\n').length;
    }
    const perS = genLines / ((performance.now() - t) / 1000);
    generation[name] = { lines: genLines / reps, lines_per_s: perS };
    row(
      '5c',
      `Generate + post (GRBL) + validate: ${name}`,
      `${fmtInt(genLines / reps)} lines, ${fmtInt(perS)} lines/s`,
      '(info)',
      'INFO',
    );
  }
  return {
    generation,
    feasibility_per_s: evalsPerS,
    validate_lines_per_s: linesPerS,
    program_lines: lines,
  };
}
