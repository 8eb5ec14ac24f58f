/** The state timeline of a workflow, from its audit events (oldest first). */
import type { AuditEvent } from '@clearance/client';

/** One step of the timeline: an event that moved (or first showed) the workflow's state. */
export interface TimelineEntry {
  readonly state: string;
  readonly eventType: string;
  readonly timestamp: string;
  readonly message: string | undefined;
  readonly severity: string | undefined;
}

/** Events where the workflow state changes, plus every warning-or-worse event. */
export function stateTimeline(events: readonly AuditEvent[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let previous: string | undefined;
  for (const e of events) {
    const serious = e.severity === 'warning' || e.severity === 'error' || e.severity === 'critical';
    if (e.workflow_state !== previous || serious) {
      out.push({
        state: e.workflow_state,
        eventType: e.event_type,
        timestamp: e.timestamp,
        message: e.message,
        severity: e.severity,
      });
    }
    previous = e.workflow_state;
  }
  return out;
}
