/**
 * Engine receipts (schema `EngineOutput`), built deterministically: the receipt id is derived from
 * the input bytes and the mode, never from a clock or randomness (ENG-4, ENG-14).
 */
import { HASH_DOMAINS } from '@clearance/protocol';
import { receiptIdOf } from '../kit/receipt-id.js';
import type {
  ClearanceError,
  EngineArtifact,
  EngineMetric,
  EngineOutput,
} from '@clearance/protocol';

import { reasonOf } from './errors.js';
import type { EngineMode } from './input.js';

/** The engine id every receipt carries. */
export const ENGINE_ID = 'clearance.cnc';

/** The receipt id of one run: a UUID-shaped digest of mode and input (see receiptIdOf). */
export function receiptId(input: Uint8Array, mode: string): string {
  return receiptIdOf(HASH_DOMAINS.CNC_ENGINE_RECEIPT, input, mode);
}

/** What every receipt needs: protocol version, mode and the raw input bytes. */
export type ReceiptBase = {
  readonly protocol_version: string;
  readonly mode: EngineMode;
  readonly input: Uint8Array;
};

function header(
  base: ReceiptBase,
): Pick<EngineOutput, 'protocol_version' | 'engine_id' | 'mode' | 'receipt_id'> {
  return {
    protocol_version: base.protocol_version,
    engine_id: ENGINE_ID,
    mode: base.mode,
    receipt_id: receiptId(base.input, base.mode),
  };
}

/** A success receipt. */
export function successReceipt(
  base: ReceiptBase,
  artifacts: readonly EngineArtifact[],
  metrics: readonly EngineMetric[],
): EngineOutput {
  return { ...header(base), status: 'success', artifacts, metrics };
}

/**
 * A failure receipt: `error` is `<CODE>: <message>`, `diagnostics` `{code, reason}` plus the
 * job field's JSON pointer for a refused job and the issue codes for a refused program.
 */
export function failureReceipt(base: ReceiptBase, error: ClearanceError): EngineOutput {
  const issues = error.detail?.['issues'];
  const pointer = error.detail?.['pointer'];
  const diagnostics = {
    code: error.code,
    reason: reasonOf(error),
    // Which field of the job was refused (parseJob's JSON pointer), never its value.
    ...(typeof pointer === 'string' ? { pointer } : {}),
    ...(typeof issues === 'string' ? { issues: issues.split(',') } : {}),
  };
  return {
    ...header(base),
    status: 'failure',
    error: `${error.code}: ${error.message}`,
    diagnostics,
  };
}

/** The receipt as the single line the engine writes to stdout. */
export function serializeReceipt(receipt: EngineOutput): string {
  return `${JSON.stringify(receipt)}\n`;
}
