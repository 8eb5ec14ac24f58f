/**
 * The per-workflow queue: operations on one workflow run one after another, so concurrent
 * submissions see each other's effects (of two concurrent approvals of the same request exactly
 * one is accepted, S-11). Operations on different workflows run side by side.
 */

/** Serialises operations per workflow id; `settle` runs after each one, even when it failed. */
export class WorkflowQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** @param settle what every operation ends with (its snapshot written, its audit durable). */
  constructor(private readonly settle: (workflowId: string) => Promise<void>) {}

  /** Run `fn` after every operation queued before it on `workflowId`. */
  run<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(workflowId) ?? Promise.resolve();
    const op = async (): Promise<T> => {
      try {
        return await fn();
      } finally {
        await this.settle(workflowId);
      }
    };
    // A failed operation does not stop the queue: the next one runs after it either way.
    const next = previous.then(op, op);
    this.tails.set(
      workflowId,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Wait for every queued operation to finish (whatever its outcome). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
