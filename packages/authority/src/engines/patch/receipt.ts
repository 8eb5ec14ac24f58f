/**
 * The patch engine's receipts: the engine kit's receipts (kit/receipt.ts) under the patch
 * engine's identity. The receipt id is derived from the input bytes and the mode (ENG-4, ENG-14).
 */
import { HASH_DOMAINS } from '@clearance/protocol';
import { receiptIdOf } from '../kit/receipt-id.js';
import type { EngineIdentity } from '../kit/receipt.js';

/** The engine id every receipt carries. */
export const ENGINE_ID = 'clearance.patch';

/** The patch engine's identity in the engine kit. */
export const PATCH_IDENTITY: EngineIdentity = {
  engineId: ENGINE_ID,
  receiptDomain: HASH_DOMAINS.PATCH_ENGINE_RECEIPT,
};

/** The receipt id of one run: a UUID-shaped digest of mode and input (see receiptIdOf). */
export function receiptId(input: Uint8Array, mode: string): string {
  return receiptIdOf(PATCH_IDENTITY.receiptDomain, input, mode);
}
