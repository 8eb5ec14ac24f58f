/**
 * The cnc engine's receipts: the engine kit's receipts (kit/receipt.ts) under the cnc engine's
 * identity. The receipt id is derived from the input bytes and the mode (ENG-4, ENG-14).
 */
import { HASH_DOMAINS, type ClearanceError, type EngineOutput } from '@clearance/protocol';

import { receiptIdOf } from '../kit/receipt-id.js';
import { failureReceipt as kitFailureReceipt } from '../kit/receipt.js';
import type { EngineIdentity, ReceiptBase } from '../kit/receipt.js';
import { reasonOf } from './errors.js';

/** The engine id every receipt carries. */
export const ENGINE_ID = 'clearance.cnc';

/** The cnc engine's identity in the engine kit. */
export const CNC_IDENTITY: EngineIdentity = {
  engineId: ENGINE_ID,
  receiptDomain: HASH_DOMAINS.CNC_ENGINE_RECEIPT,
};

/** The receipt id of one run: a UUID-shaped digest of mode and input (see receiptIdOf). */
export function receiptId(input: Uint8Array, mode: string): string {
  return receiptIdOf(CNC_IDENTITY.receiptDomain, input, mode);
}

/**
 * A failure receipt: `diagnostics` `{code, reason}` plus the job field's JSON pointer for a
 * refused job and the issue codes for a refused program.
 */
export function failureReceipt(base: ReceiptBase, error: ClearanceError): EngineOutput {
  return kitFailureReceipt(CNC_IDENTITY, base, error, reasonOf(error));
}
