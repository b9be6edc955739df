/**
 * Lets a batch wait until every earlier batch of the run has been stored or has failed.
 *
 * Batches are stored concurrently, so batch 8 may commit before batch 7. That is harmless
 * for content-addressed rows, but not for a source cursor: if batch 8 stored "next entry
 * is 4,000" and the process died before batch 7 committed, batch 7's entries would never
 * be read again. So a batch that carries a cursor waits here for its predecessors before
 * it writes; once any batch has failed, no later cursor is written in the run, and the
 * next run starts again from the last cursor stored before the failure (at least once).
 *
 * Requires the queue to start jobs in the order they were added (both queues do), or a
 * job could wait on one that cannot start.
 */
export class CommitOrder {
  #tail: Promise<void> = Promise.resolve();
  readonly #pending = new Map<number, { before: Promise<void>; settle: () => void }>();
  #failed = false;

  /** Registers batch `n`; call in batch order, before the batch is queued. */
  enqueue(n: number): void {
    let settle = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.#pending.set(n, { before: this.#tail, settle });
    const previous = this.#tail;
    this.#tail = previous.then(() => done);
  }

  /**
   * Resolves once every batch before `n` has settled: true if the cursor of `n` may be
   * written, false if an earlier batch failed.
   */
  async mayWriteCursor(n: number): Promise<boolean> {
    await this.#pending.get(n)?.before;
    return !this.#failed;
  }

  /** Marks batch `n` stored (`ok`) or failed; later batches waiting on it go on. */
  settle(n: number, ok: boolean): void {
    if (!ok) this.#failed = true;
    const entry = this.#pending.get(n);
    this.#pending.delete(n);
    entry?.settle();
  }
}
