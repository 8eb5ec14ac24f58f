/**
 * Seam to the context of an open orchestrator, for tests that must reach an internal (e.g. the
 * workspace locks, to hold one while an operation runs) and, until the domain registry (issue 11
 * item 1) hands domains what they need, cnc/service.ts. Not on the package face: the orchestrator
 * has no public accessor for its context.
 */
import type { OrchestratorContext } from './context.js';

const contexts = new WeakMap<object, OrchestratorContext>();

/** Register the context of an orchestrator (done once, by Orchestrator.open). */
export function registerContext(orchestrator: object, ctx: OrchestratorContext): void {
  contexts.set(orchestrator, ctx);
}

/** The context of an orchestrator opened in this process. */
export function contextOf(orchestrator: object): OrchestratorContext {
  const ctx = contexts.get(orchestrator);
  if (ctx === undefined) throw new Error('not an open orchestrator');
  return ctx;
}
