/**
 * Hands fetched batches from per-source workers to one consumer in arrival order. A
 * source may have at most `perKey` batches waiting or being handed over; its worker
 * waits for space, which bounds memory whatever the consumer's pace. Problems are passed
 * through without counting.
 */
export class BatchChannel<K, T extends { log: K }> {
  readonly #items: T[] = [];
  readonly #counts = new Map<K, number>();
  readonly #spaceWaiters = new Map<K, Array<() => void>>();
  #takeWaiter: (() => void) | undefined;
  #closed = false;

  constructor(private readonly perKey: number) {}

  /**
   * Queues an item. A batch waits while its source is at the limit; returns
   * false if `signal` aborted meanwhile. Problems are not counted and never wait.
   */
  async put(item: T, signal?: AbortSignal): Promise<boolean> {
    const counted = !("problem" in item);
    if (counted) {
      while ((this.#counts.get(item.log) ?? 0) >= this.perKey) {
        if (signal?.aborted === true) return false;
        await until(signal, (wake) => {
          const waiters = this.#spaceWaiters.get(item.log) ?? [];
          waiters.push(wake);
          this.#spaceWaiters.set(item.log, waiters);
        });
      }
      if (signal?.aborted === true) return false;
      this.#counts.set(item.log, (this.#counts.get(item.log) ?? 0) + 1);
    }
    this.#items.push(item);
    this.#wake();
    return true;
  }

  /** The next item; undefined once closed and empty, or when `signal` aborts. */
  async take(signal: AbortSignal): Promise<T | undefined> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) return item;
      if (this.#closed || signal.aborted) return undefined;
      await until(signal, (wake) => {
        this.#takeWaiter = wake;
      });
    }
  }

  /** A batch of `log` has been handed over: its worker may fetch another. */
  release(log: K): void {
    this.#counts.set(log, Math.max(0, (this.#counts.get(log) ?? 0) - 1));
    this.#spaceWaiters.get(log)?.shift()?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const waiter = this.#takeWaiter;
    this.#takeWaiter = undefined;
    waiter?.();
  }
}

/**
 * Waits until `register`'s callback is called or `signal` aborts, whichever is first,
 * and removes its abort listener either way (a long follow waits thousands of times).
 */
function until(
  signal: AbortSignal | undefined,
  register: (wake: () => void) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      signal?.removeEventListener("abort", wake);
      resolve();
    };
    signal?.addEventListener("abort", wake, { once: true });
    register(wake);
  });
}
