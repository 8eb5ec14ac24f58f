import { ClearanceError } from '@clearance/protocol';

import type { MachineProfile } from './types.js';

/** Profile used when none is named (GRBL is the default dialect). */
export const DEFAULT_MACHINE_ID = 'grbl-desktop';

function profile(p: MachineProfile): MachineProfile {
  return Object.freeze({
    ...p,
    envelope: Object.freeze({
      x: Object.freeze(p.envelope.x),
      y: Object.freeze(p.envelope.y),
      z: Object.freeze(p.envelope.z),
    }),
  });
}

/**
 * Built-in machines. Envelopes are in work coordinates with Z = 0 at the stock top and the
 * spoilboard below, so cutting depths are negative.
 */
const PROFILES: readonly MachineProfile[] = Object.freeze([
  profile({
    id: 'grbl-desktop',
    dialect: 'grbl',
    envelope: { x: [0, 400], y: [0, 400], z: [-60, 20] },
    min_rpm: 1000,
    max_rpm: 24000,
    max_feed_xy: 3000,
    max_feed_z: 800,
    stock_top_z: 0,
  }),
  profile({
    id: 'linuxcnc-router',
    dialect: 'linuxcnc',
    envelope: { x: [0, 1200], y: [0, 600], z: [-100, 50] },
    min_rpm: 6000,
    max_rpm: 24000,
    max_feed_xy: 8000,
    max_feed_z: 2000,
    stock_top_z: 0,
  }),
  profile({
    id: 'fanuc-mill',
    dialect: 'fanuc',
    envelope: { x: [-300, 300], y: [-200, 200], z: [-150, 100] },
    min_rpm: 100,
    max_rpm: 12000,
    max_feed_xy: 10000,
    max_feed_z: 5000,
    stock_top_z: 0,
  }),
]);

/** Ids of the built-in machine profiles, in a stable order. */
export const MACHINE_IDS: readonly string[] = Object.freeze(PROFILES.map((p) => p.id));

/** The built-in profile `id`; throws VALIDATION_FAILED for an unknown id (no silent default). */
export function machineProfile(id: string): MachineProfile {
  const found = PROFILES.find((p) => p.id === id);
  if (found === undefined) {
    throw new ClearanceError('VALIDATION_FAILED', `unknown machine profile: ${id}`, {
      detail: { machine: id.slice(0, 64) },
    });
  }
  return found;
}
