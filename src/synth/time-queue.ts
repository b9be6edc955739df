/**
 * Items by time, earliest first (a binary heap); items of equal time come out in the
 * order they went in, so a repost planned at its original's time still follows it.
 */
export class TimeQueue<T extends { at: number }> {
  private readonly heap: Array<{ item: T; seq: number }> = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(item: T): void {
    const heap = this.heap;
    heap.push({ item, seq: this.seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The earliest item, left in the queue. */
  peek(): T | undefined {
    return this.heap[0]?.item;
  }

  /** The earliest item, taken out. */
  pop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heap.length && this.less(left, least)) least = left;
        if (right < heap.length && this.less(right, least)) least = right;
        if (least === i) break;
        this.swap(i, least);
        i = least;
      }
    }
    return top.item;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as { item: T; seq: number };
    const y = this.heap[b] as { item: T; seq: number };
    return x.item.at < y.item.at || (x.item.at === y.item.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b] as (typeof heap)[number], heap[a] as (typeof heap)[number]];
  }
}
