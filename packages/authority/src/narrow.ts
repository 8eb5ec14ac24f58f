/** Narrowing helpers for data read back from disk: check, never assert blindly. */
import { ClearanceError, isPlainObject } from '@clearance/protocol';

/** True for a non-null, non-array object (the protocol's strict-reader check). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}

/** `array[index]`, or INTERNAL when the index is out of range (a bug, never user input). */
export function itemAt<T>(array: readonly T[], index: number): T {
  const item = array[index];
  if (item === undefined) throw new ClearanceError('INTERNAL', `index ${index} out of range`);
  return item;
}
