/**
 * The global position: every committed event gets `meta.seq`, strictly increasing in commit order across streams.
 *
 * Durable without a second fsync per command: the number is written inside the event line itself (synced with
 * it), and the counter is leased in blocks (`meta/sequence.json`, one fsync per {@link LEASE_BLOCK} positions), so
 * after a crash numbering resumes above anything that may have been written. Gaps are allowed (a failed write).
 *
 * Commit order: positions are taken in the order appends are submitted; {@link Sequencer} releases committed
 * events to the read side strictly in position order, holding back a later position until every earlier one
 * is durable or has failed. So a projection never sees position 7 before 6, live or replayed.
 * @module
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../log/index.js';

/** How many positions one lease covers. */
export const LEASE_BLOCK = 100_000;

interface Slot<T> {
  first: number;
  count: number;
  state: 'pending' | 'done' | 'abandoned';
  items: T[];
}

/**
 * Allocates positions and releases committed items in position order.
 * `T` is whatever the store delivers (committed events with their cursor positions).
 */
export class Sequencer<T> {
  private next: number;
  private leased: number;
  private released: number;
  private readonly slots: Slot<T>[] = [];

  private constructor(
    private readonly file: string,
    start: number,
    private readonly onRelease: (items: T[], position: number) => void,
  ) {
    this.next = start + 1;
    this.released = start;
    this.leased = start;
  }

  /**
   * Opens the counter: resumes above the last lease (or above `floor`, the highest position found in the streams,
   * when the lease file is missing or unreadable) and takes a new lease.
   */
  static open<T>(
    file: string,
    floor: () => number,
    onRelease: (items: T[], position: number) => void,
  ): Sequencer<T> {
    let start: number | null = null;
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as { leased?: unknown };
      if (typeof v.leased === 'number' && Number.isSafeInteger(v.leased) && v.leased >= 0) start = v.leased;
    } catch {
      start = null;
    }
    const seq = new Sequencer<T>(file, start ?? floor(), onRelease);
    seq.extend(1);
    return seq;
  }

  /** The highest position released to the read side (every position up to it is settled). */
  get position(): number {
    return this.released;
  }

  /** Whether some allocated positions are not settled yet. */
  get busy(): boolean {
    return this.slots.length > 0;
  }

  /** Takes `count` consecutive positions; returns the first. Settle them with `complete` or `abandon`. */
  allocate(count: number): number {
    if (this.next + count - 1 > this.leased) this.extend(count);
    const first = this.next;
    this.next += count;
    this.slots.push({ first, count, state: 'pending', items: [] });
    return first;
  }

  /** The positions from `first` are durable: release `items` once everything before them is settled. */
  complete(first: number, items: T[]): void {
    this.settle(first, 'done', items);
  }

  /** The positions from `first` were not written (the append failed): skip them. */
  abandon(first: number): void {
    this.settle(first, 'abandoned', []);
  }

  private settle(first: number, state: 'done' | 'abandoned', items: T[]): void {
    const slot = this.slots.find((s) => s.first === first && s.state === 'pending');
    if (!slot) throw new Error(`position ${first} is not pending`);
    slot.state = state;
    slot.items = items;
    while (this.slots.length > 0 && this.slots[0]!.state !== 'pending') {
      const head = this.slots.shift()!;
      this.released = head.first + head.count - 1;
      if (head.state === 'done') this.onRelease(head.items, this.released);
    }
  }

  private extend(atLeast: number): void {
    this.leased = this.next - 1 + Math.max(LEASE_BLOCK, atLeast);
    writeFileAtomic(this.file, JSON.stringify({ leased: this.leased }) + '\n');
  }
}
