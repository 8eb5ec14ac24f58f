/**
 * Engine receipts (schema `EngineOutput`) for every built-in engine, built deterministically: the
 * receipt id is derived from the input bytes and the mode, never from a clock or randomness
 * (ENG-4, ENG-14).
 */
import type {
  ClearanceError,
  EngineArtifact,
  EngineMetric,
  EngineOutput,
} from '@clearance/protocol';

import type { EngineMode } from './input.js';
import { receiptIdOf } from './receipt-id.js';

/** Who writes the receipt: its `engine_id` and the domain tag of its receipt ids. */
export type EngineIdentity = {
  readonly engineId: string;
  readonly receiptDomain: string;
};

/** What every receipt needs: protocol version, mode and the raw input bytes. */
export type ReceiptBase = Readonly<Pick<EngineOutput, 'protocol_version'>> & {
  readonly mode: EngineMode;
  readonly input: Uint8Array;
};

function header(
  identity: EngineIdentity,
  base: ReceiptBase,
): Pick<EngineOutput, 'protocol_version' | 'engine_id' | 'mode' | 'receipt_id'> {
  return {
    protocol_version: base.protocol_version,
    engine_id: identity.engineId,
    mode: base.mode,
    receipt_id: receiptIdOf(identity.receiptDomain, base.input, base.mode),
  };
}

/** A success receipt. */
export function successReceipt(
  identity: EngineIdentity,
  base: ReceiptBase,
  artifacts: readonly EngineArtifact[],
  metrics: readonly EngineMetric[],
): EngineOutput {
  return { ...header(identity, base), status: 'success', artifacts, metrics };
}

/**
 * A failure receipt: `error` is `<CODE>: <message>`, `diagnostics` `{code, reason}` plus a
 * refused field's JSON pointer (`detail.pointer`) and a list of issue codes (`detail.issues`,
 * comma-separated) when the error carries them. Never file or job content.
 */
export function failureReceipt(
  identity: EngineIdentity,
  base: ReceiptBase,
  error: ClearanceError,
  reason: string,
): EngineOutput {
  const issues = error.detail?.['issues'];
  const pointer = error.detail?.['pointer'];
  const diagnostics = {
    code: error.code,
    reason,
    ...(typeof pointer === 'string' ? { pointer } : {}),
    ...(typeof issues === 'string' ? { issues: issues.split(',') } : {}),
  };
  return {
    ...header(identity, base),
    status: 'failure',
    error: `${error.code}: ${error.message}`,
    diagnostics,
  };
}

/** The receipt as the single line the engine writes to stdout. */
export function serializeReceipt(receipt: EngineOutput): string {
  return `${JSON.stringify(receipt)}\n`;
}
