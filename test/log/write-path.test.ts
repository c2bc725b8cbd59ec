/**
 * The write path's bookkeeping: a group is encoded into one shared scratch buffer, line by line, with each line
 * hashed from its string. Every result must still describe exactly the bytes on disk, whatever the group holds
 * (batches, conditional appends that pass or conflict, invalid or unwritable events, multi-byte text, lines bigger
 * than the scratch buffer), and `serializeEvent`'s fast quoting must give `JSON.stringify`'s bytes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AppendConflict,
  createEvent,
  EventWriter,
  InvalidEventError,
  lineHash,
  serializeEvent,
  type AppendResult,
  type Durability,
  type Event,
} from '../../core/log/index.js';
import { logDir, readAll } from '../helpers/log.js';

const ev = (i: number, data: unknown = { i }): Event => createEvent('w', data, { ts: 1, id: `e-${i}` });

/** Every result's bytes in the file: its line (ending at `endOffset` with a newline) hashes to its `lineHash`. */
function expectResultsMatchFile(file: string, results: AppendResult[]): void {
  const bytes = readFileSync(file);
  for (const r of results) {
    expect(bytes[r.endOffset - 1]).toBe(0x0a);
    const line = bytes.subarray(r.startOffset, r.endOffset - 1);
    expect(line.includes(0x0a)).toBe(false);
    expect(r.lineHash).toBe(lineHash(line));
  }
}

/** The settled outcome of each promise: its results (as an array) or its error. */
async function outcomes(ps: Promise<AppendResult | AppendResult[]>[]): Promise<(AppendResult[] | Error)[]> {
  const settled = await Promise.allSettled(ps);
  return settled.map((s) =>
    s.status === 'fulfilled' ? [s.value].flat() : s.reason instanceof Error ? s.reason : new Error('?'),
  );
}

describe('the write path', () => {
  for (const durability of ['group', 'always'] as Durability[]) {
    it(`a mixed group: results chain, match the bytes on disk, and skip what failed (${durability})`, async () => {
      const w = await EventWriter.open(logDir(), { durability });
      const base = await w.append(ev(0));
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const got = await outcomes([
        w.append(ev(1, { text: 'héllo wörld ✓ 𝄞' })), // 2-, 3- and 4-byte UTF-8
        w.appendBatch([ev(2), ev(3), ev(4, { big: 1n })]), // unwritable third event: the whole batch fails
        w.appendIf(ev(5), base.endOffset, base.lineHash), // stale: ev(1) came after base
        w.appendBatch([ev(6), ev(7)]),
        w.append({ type: 'w', ts: 1 } as unknown as Event), // no `data`: invalid, rejected before queueing
        w.appendBatch([ev(8), ev(9, cyclic)]), // cycle in the last event
        w.append(ev(10, 'line\nbreak "quoted" \\ \u2028')),
      ]);
      expect(got[1]).toBeInstanceOf(InvalidEventError);
      expect(got[2]).toBeInstanceOf(AppendConflict);
      expect(got[4]).toBeInstanceOf(InvalidEventError);
      expect(got[5]).toBeInstanceOf(InvalidEventError);
      const written = [base, ...[got[0], got[3], got[6]].flatMap((r) => r as AppendResult[])];
      for (let i = 1; i < written.length; i++)
        expect(written[i]!.startOffset).toBe(written[i - 1]!.endOffset);
      expect(written.at(-1)!.endOffset).toBe(w.activeLogSize());
      expect(w.lastLineHash()).toBe(written.at(-1)!.lineHash);
      expectResultsMatchFile(w.paths.log, written);
      const events = await readAll(w.reader());
      expect(events.map((e) => e.id)).toEqual(['e-0', 'e-1', 'e-6', 'e-7', 'e-10']);
      expect(events[1]!.data).toEqual({ text: 'héllo wörld ✓ 𝄞' });
      expect(events[4]!.data).toBe('line\nbreak "quoted" \\ \u2028');
      // The batch with the failed event left nothing, and the next append chains on the real end.
      const next = await w.appendIf(ev(11), w.activeLogSize(), w.lastLineHash());
      expectResultsMatchFile(w.paths.log, [next]);
      await w.close();
    });
  }

  it('appendIf inside a group sees the exact position and hash the requests before it leave', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const first = await w.append(ev(0));
    const multiByte = ev(1, { s: 'ü'.repeat(50) });
    const afterFirst = first.endOffset + Buffer.byteLength(serializeEvent(multiByte)) + 1;
    const hashAfter = lineHash(serializeEvent(multiByte));
    const got = await outcomes([
      w.append(multiByte),
      w.appendIf(ev(2), afterFirst, hashAfter), // right: follows the multi-byte line
      w.appendIf(ev(3), afterFirst, hashAfter), // stale now: ev(2) is there
      w.appendIf(ev(4), first.endOffset + 1, 'x'), // not a line end at all
    ]);
    expect((got[1] as AppendResult[])[0]!.startOffset).toBe(afterFirst);
    const stale = got[2] as AppendConflict;
    expect(stale).toBeInstanceOf(AppendConflict);
    expect(stale.actualOffset).toBe((got[1] as AppendResult[])[0]!.endOffset);
    expect(stale.actualHash).toBeNull();
    expect(got[3]).toBeInstanceOf(AppendConflict);
    expectResultsMatchFile(w.paths.log, [
      first,
      ...(got[0] as AppendResult[]),
      ...(got[1] as AppendResult[]),
    ]);
    await w.close();
  });

  it('a conflict at the right offset reports the actual hash of the line the group left there', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const first = await w.append(ev(0));
    const size = first.endOffset + Buffer.byteLength(serializeEvent(ev(1))) + 1;
    const got = await outcomes([w.append(ev(1)), w.appendIf(ev(2), size, 'not-the-hash')]);
    const c = got[1] as AppendConflict;
    expect(c).toBeInstanceOf(AppendConflict);
    expect(c.actualOffset).toBe(size);
    expect(c.actualHash).toBe(lineHash(serializeEvent(ev(1))));
    await w.close();
  });

  it('lines and groups bigger than the scratch buffer (64 KiB, and over the 1 MiB kept) are written exactly', async () => {
    const w = await EventWriter.open(logDir(), { durability: 'group' });
    const huge = ev(0, { s: '€'.repeat(400_000) }); // one 1.2 MB line of 3-byte characters
    const many = Array.from({ length: 3000 }, (_, i) => ev(i + 1, { s: 'x'.repeat(i % 300), t: 'ñ' }));
    const got = await outcomes([w.append(huge), w.appendBatch(many), w.append(ev(9999))]);
    const all = got.flatMap((r) => r as AppendResult[]);
    expect(all).toHaveLength(3002);
    for (let i = 1; i < all.length; i++) expect(all[i]!.startOffset).toBe(all[i - 1]!.endOffset);
    expectResultsMatchFile(w.paths.log, all);
    // And after it, an ordinary append still lands where the writer says.
    const r = await w.append(ev(10_000));
    expect(r.startOffset).toBe(all.at(-1)!.endOffset);
    expectResultsMatchFile(w.paths.log, [r]);
    expect((await readAll(w.reader())).length).toBe(3003);
    await w.close();
  });

  it('two writers in one process share the scratch buffer without mixing their lines', async () => {
    const a = await EventWriter.open(logDir(), { durability: 'group' });
    const b = await EventWriter.open(logDir(), { durability: 'group' });
    const ra = Promise.all(Array.from({ length: 50 }, (_, i) => a.append(ev(i, { w: 'a' }))));
    const rb = Promise.all(Array.from({ length: 50 }, (_, i) => b.append(ev(i, { w: 'b'.repeat(i) }))));
    const [resA, resB] = await Promise.all([ra, rb]);
    expectResultsMatchFile(a.paths.log, resA);
    expectResultsMatchFile(b.paths.log, resB);
    expect((await readAll(a.reader())).every((e) => (e.data as { w: string }).w === 'a')).toBe(true);
    expect((await readAll(b.reader())).map((e) => (e.data as { w: string }).w.length)).toEqual([
      ...Array(50).keys(),
    ]);
    await a.close();
    await b.close();
  });

  it('serializeEvent writes the same bytes as JSON.stringify for any type, id and actor', () => {
    const reference = (e: Event, more: boolean): string => {
      let line = `{"type":${JSON.stringify(e.type)},"data":${JSON.stringify(e.data ?? null)},"ts":${Math.floor(e.ts)}`;
      if (e.id !== undefined) line += `,"id":${JSON.stringify(e.id)}`;
      if (e.actor !== undefined) line += `,"actor":${JSON.stringify(e.actor)}`;
      if (e.meta !== undefined) line += `,"meta":${JSON.stringify(e.meta)}`;
      return more ? `${line},"more":true}` : `${line}}`;
    };
    // Printable ASCII (the fast path), quotes, backslashes, control characters, DEL, lone surrogates, and long ones.
    const str = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.string({
        unit: fc.constantFrom('a', '"', '\\', '\n', '\u007f', '\ud800', '\udc00', '\u2028', 'é'),
        maxLength: 70,
      }),
    );
    fc.assert(
      fc.property(
        str,
        fc.option(str, { nil: undefined }),
        fc.option(str, { nil: undefined }),
        fc.boolean(),
        (type, id, actor, more) => {
          const e = createEvent(
            type,
            { type },
            { ts: 7, ...(id !== undefined && { id }), ...(actor !== undefined && { actor }) },
          );
          expect(serializeEvent(e, more)).toBe(reference(e, more));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
