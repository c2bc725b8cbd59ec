/**
 * Line hashes: xxh64 (seed 0) of a line's bytes without its newline, as 16 lowercase hex digits,
 * byte-identical to the Rust crate's `line_hash`.
 * @module
 */
import xxhash from 'xxhash-wasm';

type Hasher = Awaited<ReturnType<typeof xxhash>>;
let hasher: Hasher | undefined;
let loading: Promise<Hasher> | undefined;

/** Loads the WebAssembly hasher once; every `open` awaits this so hashing stays synchronous afterwards. */
export async function initHasher(): Promise<void> {
  if (hasher) return;
  loading ??= xxhash();
  hasher = await loading;
}

function ready(): Hasher {
  if (!hasher) throw new Error('xxhash not loaded: await initHasher() first');
  return hasher;
}

/**
 * The hash of one line (bytes or string, without the trailing newline).
 * @example lineHash('abc') === '44bc2cf5ad770999'
 */
export function lineHash(line: Uint8Array | string): string {
  const h = ready();
  const n = typeof line === 'string' ? h.h64(line) : h.h64Raw(line, 0n);
  return n.toString(16).padStart(16, '0');
}
