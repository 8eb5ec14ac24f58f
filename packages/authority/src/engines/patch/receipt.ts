/**
 * Engine receipts (schema `EngineOutput`), built deterministically: the receipt id is derived from
 * the input bytes and the mode, never from a clock or randomness (ENG-4, ENG-14).
 */
import { HASH_DOMAINS } from '@clearance/protocol';
import { receiptIdOf } from '../kit/receipt-id.js';
import type { PatchError } from './errors.js';

/** The engine id every receipt carries. */
export const ENGINE_ID = 'clearance.patch';

/** One artifact listed in a receipt (schema `EngineArtifact`). */
export type ReceiptArtifact = {
  readonly name: string;
  readonly role: 'evidence';
  readonly path: string;
  readonly hash: string;
  readonly size: number;
};

/** A metric in a receipt (schema `EngineMetric`). */
export type ReceiptMetric = { readonly name: string; readonly value: number };

/** The receipt object (a schema-valid `EngineOutput`). */
export type Receipt = {
  readonly protocol_version: string;
  readonly engine_id: typeof ENGINE_ID;
  readonly mode: 'flight-plan' | 'take-off';
  readonly receipt_id: string;
  readonly status: 'success' | 'failure';
  readonly error?: string;
  readonly diagnostics?: { readonly code: string; readonly reason: string };
  readonly artifacts?: readonly ReceiptArtifact[];
  readonly metrics?: readonly ReceiptMetric[];
};

/** The receipt id of one run: a UUID-shaped digest of mode and input (see receiptIdOf). */
export function receiptId(input: Uint8Array, mode: string): string {
  return receiptIdOf(HASH_DOMAINS.PATCH_ENGINE_RECEIPT, input, mode);
}

type Base = Pick<Receipt, 'protocol_version' | 'mode'> & { readonly input: Uint8Array };

function header(
  base: Base,
): Pick<Receipt, 'protocol_version' | 'engine_id' | 'mode' | 'receipt_id'> {
  return {
    protocol_version: base.protocol_version,
    engine_id: ENGINE_ID,
    mode: base.mode,
    receipt_id: receiptId(base.input, base.mode),
  };
}

/** A success receipt. */
export function successReceipt(
  base: Base,
  artifacts: readonly ReceiptArtifact[],
  metrics: readonly ReceiptMetric[],
): Receipt {
  return { ...header(base), status: 'success', artifacts, metrics };
}

/** A failure receipt naming the error's code, reason and message (never file content). */
export function failureReceipt(base: Base, error: PatchError): Receipt {
  return {
    ...header(base),
    status: 'failure',
    error: `${error.code}: ${error.message}`,
    diagnostics: { code: error.code, reason: error.reason },
  };
}

/** The receipt as the single line the engine writes to stdout. */
export function serializeReceipt(receipt: Receipt): string {
  return `${JSON.stringify(receipt)}\n`;
}
