/**
 * Test seam: the context of an open orchestrator, for tests that must reach an internal (e.g. the
 * workspace locks, to hold one while an operation runs). Not on the package face: the orchestrator
 * has no public accessor for its context, and nothing in src/ outside this folder reads it.
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
