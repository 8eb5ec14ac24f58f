import type { GcodeValidation } from './issues.js';
import type { MachineProfile, Range } from './types.js';

function range(r: Range | null): string {
  return r === null ? '-' : `${r[0].toFixed(3)}..${r[1].toFixed(3)}`;
}

/**
 * Human-readable text of a verdict, one issue per line then a summary, for
 * `clearance gcode validate FILE [--machine PROFILE]`. Deterministic; ends with a newline.
 */
export function renderValidation(v: GcodeValidation, machine: MachineProfile): string {
  const issues = v.issues.map((i) => `line ${i.line}: ${i.code}: ${i.message}`);
  const { lines, rapids, cuts, arcs } = v.stats;
  const summary = [
    `${v.ok ? 'OK' : 'REJECTED'}: ${v.issues.length} issue(s) on machine ${machine.id}`,
    `lines ${lines}, rapids ${rapids}, cuts ${cuts}, arcs ${arcs}`,
    `bounds X ${range(v.bounds.x)} Y ${range(v.bounds.y)} Z ${range(v.bounds.z)}`,
  ];
  return [...issues, ...summary].join('\n') + '\n';
}
