/**
 * An async iterator over batches: the readers parse a chunk of lines at a time, and this hands the events out one by
 * one without an async-generator round trip per event (a `yield` in an async generator costs several promise
 * ticks; here an event already parsed costs one already-resolved promise).
 * @module
 */

/**
 * Flattens an async generator of arrays into an `AsyncGenerator` of their elements, in order. Errors of the source
 * are raised after the elements it yielded before them. `return()` (a `break` out of `for await`) closes the
 * source, so the files it holds open are closed.
 */
export class BatchedIterator<T> implements AsyncGenerator<T, void, undefined> {
  private batch: T[] = [];
  private index = 0;
  private pending: Promise<IteratorResult<T, void>> | null = null;
  private finished = false;

  /** @param source yields batches of elements; an empty batch is skipped. */
  constructor(private readonly source: AsyncGenerator<T[], void, undefined>) {}

  /** The next element: resolved at once while the current batch lasts, else after the source's next batch. */
  next(): Promise<IteratorResult<T, void>> {
    if (this.pending) return this.pending.then(() => this.next());
    if (this.index < this.batch.length) {
      const value = this.batch[this.index++] as T;
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    const p = this.refill().finally(() => {
      this.pending = null;
    });
    this.pending = p;
    return p;
  }

  /** Stops the iteration and closes the source. */
  async return(): Promise<IteratorResult<T, void>> {
    await this.pending?.catch(() => undefined);
    this.stop();
    await this.source.return(undefined);
    return { value: undefined, done: true };
  }

  /** Stops the iteration, closes the source and rethrows `err`. */
  async throw(err: unknown): Promise<IteratorResult<T, void>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async refill(): Promise<IteratorResult<T, void>> {
    for (;;) {
      let r: IteratorResult<T[], void>;
      try {
        r = await this.source.next();
      } catch (err) {
        this.stop();
        throw err;
      }
      if (r.done) {
        this.stop();
        return { value: undefined, done: true };
      }
      if (r.value.length === 0) continue;
      this.batch = r.value;
      this.index = 1;
      return { value: r.value[0] as T, done: false };
    }
  }

  private stop(): void {
    this.finished = true;
    this.batch = [];
    this.index = 0;
  }
}
