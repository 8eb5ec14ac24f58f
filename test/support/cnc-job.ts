/**
 * The one shared CNC job fixture (I11-7): a GREEN rosette job, one 3 mm ring channel in maple cut
 * with a 3 mm flat end mill, used by the cnc, authority, server, cli and root tests alike.
 */
import type { JsonObject } from '@clearance/protocol';

/** The GREEN rosette job, with optional `cutting` overrides (e.g. `{ feed_z: 650 }` for YELLOW). */
export function rosetteJob(cutting: JsonObject = {}): JsonObject {
  return {
    units: 'mm',
    machine: 'grbl-desktop',
    tool: { type: 'flat', diameter: 3, flutes: 2, flute_length: 12, stickout: 20 },
    material: { id: 'maple', hardness: 'medium', thickness: 6, resinous: false },
    cutting: {
      stepover: 0.4,
      stepdown: 0.5,
      final_depth: 1.5,
      feed_xy: 800,
      feed_z: 200,
      rpm: 12000,
      safe_z: 5,
      climb: true,
      coolant: false,
      ...cutting,
    },
    operations: [
      { kind: 'rosette', cx: 100, cy: 100, rings: [{ inner_radius: 48.5, outer_radius: 51.5 }] },
    ],
    stock: { x: 0, y: 0, width: 200, length: 200 },
  };
}
