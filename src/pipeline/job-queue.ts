/**
 * Where the pipeline puts work between ingest and detect. The in-process queue below is
 * the default; a Redis-backed one (BullMQ) implements the same interface, which is why
 * jobs are plain JSON data and handlers get nothing but the job.
 */
export interface JobQueue<J> {
  /** Queues a job; resolves once it is accepted, waiting while the queue is full (backpressure). */
  add(job: J): Promise<void>;
  /** Resolves when every queued job has been handled. */
  drain(): Promise<void>;
}

export type JobHandler<J> = (job: J) => Promise<void>;

/** Largest number of jobs handled at once by default. */
export const DEFAULT_CONCURRENCY = 2;

/**
 * An in-process queue with bounded concurrency and a bounded backlog: `add` waits when
 * `maxQueued` jobs are waiting, so a fast reader cannot fill memory ahead of the store.
 * A handler that throws is reported through `onError` (awaited, so its own writes finish
 * before `drain` resolves) and the queue goes on.
 */
export class InProcessQueue<J> implements JobQueue<J> {
  private readonly waiting: J[] = [];
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly spaceWaiters: Array<() => void> = [];

  constructor(
    private readonly handler: JobHandler<J>,
    private readonly options: {
      concurrency?: number;
      maxQueued?: number;
      onError: (job: J, error: unknown) => void | Promise<void>;
    },
  ) {
    if ((options.concurrency ?? DEFAULT_CONCURRENCY) < 1)
      throw new RangeError("concurrency must be at least 1");
  }

  async add(job: J): Promise<void> {
    const maxQueued = this.options.maxQueued ?? 4;
    while (this.waiting.length >= maxQueued) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    this.waiting.push(job);
    this.pump();
  }

  drain(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? DEFAULT_CONCURRENCY;
    while (this.running < concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as J;
      this.spaceWaiters.shift()?.();
      this.running++;
      this.handler(job)
        .catch((err: unknown) => this.options.onError(job, err))
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }
}
