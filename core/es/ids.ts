/**
 * Event ids: UUIDv7 (time-ordered, unique across processes and devices), monotonic within a process.
 * @module
 */
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/**
 * Random bytes are drawn 4 KiB at a time: a `randomBytes(16)` per id cost about 15 µs here (the CSPRNG call, not
 * the bytes), more than the rest of a command's bookkeeping.
 */
const POOL = Buffer.alloc(4096);
let poolAt = POOL.length;

function random10(): Buffer {
  if (poolAt + 10 > POOL.length) {
    randomFillSync(POOL);
    poolAt = 0;
  }
  poolAt += 10;
  return POOL.subarray(poolAt - 10, poolAt);
}

/**
 * A new UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids created in the same
 * millisecond in order, then random bits.
 * @example newEventId() // '0193a5f2-7c1e-7000-8a3f-6e2b1c9d4e5f'
 */
export function newEventId(now = Date.now()): string {
  if (now <= lastMs) {
    counter++;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond rather than repeat.
      lastMs++;
      counter = 0;
    }
  } else {
    lastMs = now;
    counter = 0;
  }
  const b = Buffer.allocUnsafe(16);
  random10().copy(b, 6);
  const ms = lastMs;
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | ((counter >>> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
