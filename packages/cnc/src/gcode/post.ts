import { ClearanceError } from '@clearance/protocol';

import { dialectStyle, type DialectStyle } from './dialects.js';
import { formatNumber } from './format.js';
import type { Dialect, MotionProgram, Move } from './types.js';

/** Options of `postProcess`. */
export interface PostOptions {
  /** FANUC program number (O-word), 1–9999. Default 1000. */
  readonly programNumber?: number;
}

const MOTION_CODE: Readonly<Record<Move['kind'], number>> = Object.freeze({
  rapid: 0,
  linear: 1,
  arc_cw: 2,
  arc_ccw: 3,
});

function invalid(message: string): ClearanceError {
  return new ClearanceError('VALIDATION_FAILED', message);
}

/** Spindle speed and tool number must be positive integers: they are printed without decimals. */
function checkInteger(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalid(`${name} must be an integer in 1..${max}: ${value}`);
  }
}

/** Header comment lines: identity and version stamps, never a timestamp. */
function headerComments(program: MotionProgram, dialect: Dialect): string[] {
  const h = program.header;
  // Code-point order, not localeCompare: the output must not depend on the host locale.
  const versions = Object.keys(h.versions).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    `title: ${h.title}`,
    `workflow_id: ${h.workflow_id}`,
    `job_hash: ${h.job_hash}`,
    `request_hash: ${h.request_hash}`,
    ...versions.map((k) => `version ${k}: ${h.versions[k] ?? ''}`),
    `post: ${dialect}`,
    `tool: T${program.tool.number} D${formatNumber(program.tool.diameter, 3)} mm`,
  ];
}

/** One move as a block; `state.feed` tracks the modal feed so F is printed only on change. */
function moveBlock(move: Move, style: DialectStyle, state: { feed: number | undefined }): string {
  const words = [style.code('G', MOTION_CODE[move.kind])];
  const axis = (letter: string, value: number | undefined): void => {
    if (value !== undefined) words.push(`${letter}${formatNumber(value, style.decimals)}`);
  };
  axis('X', move.x);
  axis('Y', move.y);
  axis('Z', move.z);
  if (move.kind === 'arc_cw' || move.kind === 'arc_ccw') {
    if (move.i === undefined && move.j === undefined) throw invalid('arc move without I/J');
    axis('I', move.i ?? 0);
    axis('J', move.j ?? 0);
  }
  if (move.kind !== 'rapid' && move.f !== undefined && move.f !== state.feed) {
    words.push(`F${formatNumber(move.f, style.feedDecimals)}`);
    state.feed = move.f;
  }
  return words.join(' ');
}

/** Blocks in execution order, before line numbers and tape marks. */
function blocks(program: MotionProgram, style: DialectStyle): string[] {
  const safe = `${style.code('G', 0)} Z${formatNumber(program.safe_z, style.decimals)}`;
  const tool = style.toolChange(program.tool.number);
  const state = { feed: undefined as number | undefined };
  return [
    `${style.code('G', 21)}`,
    `${style.code('G', 90)}`,
    `${style.code('G', 17)}`,
    ...style.extraModes,
    ...(tool === undefined ? [] : [tool]),
    safe,
    `S${program.spindle_rpm} ${style.code('M', 3)}`,
    ...(program.coolant === true ? [style.code('M', 8)] : []),
    ...program.moves.map((m) => moveBlock(m, style, state)),
    safe,
    ...(program.coolant === true ? [style.code('M', 9)] : []),
    style.code('M', 5),
    style.code('M', 30),
  ];
}

/**
 * G-code text of `program` in `dialect`: deterministic (same input, same bytes), `\n` line ends
 * with a final newline, header comments carrying workflow id, job hash, request hash and version
 * stamps, and no wall-clock time. Every dialect ends with `M5` then `M30` (rewind + end; GRBL
 * treats M30 like M2). Run `validateGcode` on the result before release: the post formats, it
 * does not judge feeds, envelopes or rapids. Throws VALIDATION_FAILED for values it cannot print.
 */
export function postProcess(
  program: MotionProgram,
  dialect: Dialect,
  options: PostOptions = {},
): string {
  if (program.units !== 'mm') throw invalid('only mm programs are supported');
  checkInteger('spindle_rpm', program.spindle_rpm, 1_000_000);
  checkInteger('tool number', program.tool.number, 99);
  const style = dialectStyle(dialect);
  const comments = headerComments(program, dialect).map(style.comment);
  const body = blocks(program, style);
  if (!style.tapeMarks) return [...comments, ...body].join('\n') + '\n';
  const programNumber = options.programNumber ?? 1000;
  checkInteger('program number', programNumber, 9999);
  const numbered = body.map((b, k) => `N${(k + 1) * 10} ${b}`);
  const o = `O${String(programNumber).padStart(4, '0')}`;
  return ['%', o, ...comments, ...numbered, '%'].join('\n') + '\n';
}
