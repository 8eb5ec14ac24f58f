/**
 * Drafting of audit events before they are sealed and appended: the log fills the id and time,
 * redacts secrets (keeping a PlanToken's public digest), and words the `incomplete_entry` event
 * that records a recovered torn tail. Sealing (`sealAuditEvent`) then validates the draft against
 * the schema and profile, so an invalid event never reaches the file.
 */
import {
  isSha256Hex,
  REDACTED,
  Redactor,
  toProfileTimestamp,
  type AuditEventDraft,
} from '@clearance/protocol';
import type { Clock, IdSource } from '../runtime.js';
import type { TornTail } from './torn-tail.js';

/** An event as callers submit it: the log fills ids, time, chain and signature. */
export type AuditEventInput = Omit<AuditEventDraft, 'event_id' | 'timestamp'> & {
  readonly event_id?: string;
  readonly timestamp?: string;
};

/** What drafting needs: the redactor (default rules when absent), the id source and the clock. */
export interface DraftContext {
  readonly redactor?: Redactor;
  readonly ids: IdSource;
  readonly clock: Clock;
}

const defaultRedactor = new Redactor();

/** The draft of `input`: redacted, with its event id and timestamp filled when absent. */
export function draftEvent(input: AuditEventInput, ctx: DraftContext): AuditEventDraft {
  const redactor = ctx.redactor ?? defaultRedactor;
  const { event_id, timestamp, plan_token: planToken, ...rest } = input;
  return {
    ...redactor.redact(rest),
    // PlanToken.token is a public digest, not a credential: keep it (only when it is one), and
    // redact the rest of the token object like anything else.
    ...(planToken === undefined
      ? {}
      : {
          plan_token: {
            ...redactor.redact(planToken),
            token: isSha256Hex(planToken.token) ? planToken.token : REDACTED,
          },
        }),
    event_id: event_id ?? ctx.ids.uuid(),
    timestamp: timestamp ?? toProfileTimestamp(ctx.clock.now()),
  };
}

/** The `incomplete_entry` event recording a torn final line moved to quarantine on open. */
export function tornTailEvent(t: TornTail): AuditEventInput {
  return {
    event_type: 'incomplete_entry',
    workflow_state: 'NONE',
    severity: 'warning',
    message: `torn final line of ${t.file} recovered: ${t.length} bytes at offset ${t.offset} (sha256 ${t.sha256}) moved to ${t.quarantinedAs}; it was never acknowledged`,
  };
}
