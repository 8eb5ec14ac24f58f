/** Jobs for the manufacturing tests: one per operation kind, on every built-in machine. */
import type { JsonObject } from '@clearance/protocol';

import {
  CNC_ENGINE_VERSION,
  cncRequestHash,
  type ManufactureStamp,
} from '../../src/manufacture/index.js';
import type { NormalizedJob } from '@clearance/protocol/portable';
import { normalizeJob, parseJob } from '../../src/job/index.js';
import { dxfText } from '../job/fixtures.js';

/** One machine per dialect (the dialect is a property of the machine). */
export const MACHINES = [
  { dialect: 'grbl', machine: 'grbl-desktop' },
  { dialect: 'linuxcnc', machine: 'linuxcnc-router' },
  { dialect: 'fanuc', machine: 'fanuc-mill' },
] as const;

export const CUTTING = {
  stepover: 0.4,
  stepdown: 1.5,
  final_depth: 3,
  feed_xy: 1000,
  feed_z: 300,
  rpm: 10000,
  safe_z: 5,
  climb: true,
  coolant: false,
} as const;

const END_MILL = { type: 'flat', diameter: 6, flutes: 2, flute_length: 20, stickout: 30 };
const DRILL = { type: 'drill', diameter: 3, flutes: 2, flute_length: 20, stickout: 30 };
export const TOOL_RADIUS = 3;

/** An L: 100 × 100 with the upper right 50 × 50 quarter missing. */
export const L_SHAPE = [
  { x: 100, y: 50 },
  { x: 200, y: 50 },
  { x: 200, y: 100 },
  { x: 150, y: 100 },
  { x: 150, y: 150 },
  { x: 100, y: 150 },
];

const L_DXF = dxfText([
  { type: 'LWPOLYLINE', layer: 'POCKET', closed: true, points: L_SHAPE.map((p) => [p.x, p.y]) },
]);

const DRILL_POINTS = [
  { x: 120, y: 80 },
  { x: 180, y: 80 },
  { x: 150, y: 120 },
];

/** XY extent of the tool centre a case must produce: [xMin, xMax, yMin, yMax]. */
export type Extent = readonly [number, number, number, number];

export interface Case {
  readonly name: string;
  readonly tool: typeof END_MILL | typeof DRILL;
  readonly operation: JsonObject;
  readonly extent: Extent;
}

const r = TOOL_RADIUS;
const inside: Extent = [100 + r, 200 - r, 50 + r, 150 - r];

/** Every operation kind, with the extent its geometry implies. */
export const CASES: readonly Case[] = [
  {
    name: 'rosette',
    tool: END_MILL,
    operation: {
      kind: 'rosette',
      cx: 150,
      cy: 100,
      rings: [{ inner_radius: 20, outer_radius: 30 }],
    },
    extent: [150 - (30 - r), 150 + (30 - r), 100 - (30 - r), 100 + (30 - r)],
  },
  {
    name: 'circular-pocket',
    tool: END_MILL,
    operation: { kind: 'circular_pocket', cx: 150, cy: 100, radius: 20 },
    extent: [150 - (20 - r), 150 + (20 - r), 100 - (20 - r), 100 + (20 - r)],
  },
  {
    name: 'rect-pocket',
    tool: END_MILL,
    operation: { kind: 'rect_pocket', x: 100, y: 70, width: 60, length: 40 },
    extent: [100 + r, 160 - r, 70 + r, 110 - r],
  },
  {
    name: 'rounded-rect-pocket',
    tool: END_MILL,
    operation: { kind: 'rect_pocket', x: 100, y: 70, width: 60, length: 40, corner_radius: 8 },
    extent: [100 + r, 160 - r, 70 + r, 110 - r],
  },
  {
    name: 'profile-inside',
    tool: END_MILL,
    operation: { kind: 'profile', contour: L_SHAPE, side: 'inside' },
    extent: inside,
  },
  {
    name: 'profile-outside',
    tool: END_MILL,
    operation: { kind: 'profile', contour: L_SHAPE, side: 'outside' },
    extent: [100 - r, 200 + r, 50 - r, 150 + r],
  },
  {
    name: 'profile-on',
    tool: END_MILL,
    operation: { kind: 'profile', contour: L_SHAPE, side: 'on' },
    extent: [100, 200, 50, 150],
  },
  {
    name: 'contour-pocket-dxf',
    tool: END_MILL,
    operation: { kind: 'dxf', dxf: L_DXF, layer: 'POCKET', as: 'pocket' },
    extent: inside,
  },
  {
    name: 'drill-peck',
    tool: DRILL,
    operation: { kind: 'drill', points: DRILL_POINTS, peck: 1 },
    extent: [120, 180, 80, 120],
  },
  {
    name: 'drill',
    tool: DRILL,
    operation: { kind: 'drill', points: DRILL_POINTS },
    extent: [120, 180, 80, 120],
  },
];

/** The client job of `c` on `machine`, as a client would send it. */
export function clientJob(c: Case, machine: string): JsonObject {
  return {
    units: 'mm',
    machine,
    tool: c.tool,
    material: { id: 'maple', hardness: 'medium', thickness: 20, resinous: false },
    cutting: CUTTING,
    operations: [c.operation],
    stock: { x: 0, y: 0, width: 300, length: 200 },
  };
}

/** parseJob → normalizeJob, as the engine's flight-plan does. */
export function normalized(c: Case, machine: string): NormalizedJob {
  return normalizeJob(parseJob(clientJob(c, machine)));
}

/** The stamp the engine would use for `c` in workflow `wf_manufacture_test`. */
export function stampFor(c: Case, machine: string): ManufactureStamp {
  return {
    workflow_id: 'wf_manufacture_test',
    request_hash: cncRequestHash(clientJob(c, machine)),
    engine_version: CNC_ENGINE_VERSION,
  };
}
