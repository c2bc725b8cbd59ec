import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppendConflict, createEvent, EventLog, EventWriter } from '../../core/log/index.js';
import { appendN, dummyEvent, logDir, readAll, readHistory, types } from '../helpers/log.js';

async function conflictOf(p: Promise<unknown>): Promise<AppendConflict> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppendConflict);
  return err as AppendConflict;
}

describe('appendIf', () => {
  it('appends to an empty log with (0, "")', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.appendIf(dummyEvent('first'), 0, '');
    expect(r.startOffset).toBe(0);
    expect(types(await readAll(w.reader()))).toEqual(['first']);
    await w.close();
  });

  it("appends after the previous result's endOffset and lineHash, in a chain", async () => {
    const w = await EventWriter.open(logDir());
    let r = await w.append(dummyEvent('e0'));
    for (let i = 1; i < 5; i++) r = await w.appendIf(dummyEvent(`e${i}`), r.endOffset, r.lineHash);
    expect(types(await readAll(w.reader()))).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    await w.close();
  });

  it('an offset mismatch is a conflict with actualOffset and actualHash null; nothing is written', async () => {
    const w = await EventWriter.open(logDir());
    const r1 = await w.append(dummyEvent('a'));
    const r2 = await w.append(dummyEvent('b'));
    const before = readFileSync(w.paths.log);
    const c = await conflictOf(w.appendIf(dummyEvent('x'), r1.endOffset, r1.lineHash));
    expect(c).toMatchObject({
      expectedOffset: r1.endOffset,
      expectedHash: r1.lineHash,
      actualOffset: r2.endOffset,
      actualHash: null,
      code: 'APPEND_CONFLICT',
    });
    expect(c.message).toContain(`end at byte ${r1.endOffset}`);
    expect(c.message).toContain(`ends at ${r2.endOffset}`);
    expect(readFileSync(w.paths.log)).toEqual(before);
    expect(w.activeLogSize()).toBe(r2.endOffset);
    await w.close();
  });

  it('a hash mismatch at the right offset is a conflict reporting the actual hash; nothing is written', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(dummyEvent('a'));
    const c = await conflictOf(w.appendIf(dummyEvent('x'), r.endOffset, 'ffffffffffffffff'));
    expect(c.actualOffset).toBe(r.endOffset);
    expect(c.actualHash).toBe(r.lineHash);
    expect(c.message).toContain(r.lineHash);
    expect(types(await readAll(w.reader()))).toEqual(['a']);
    await w.close();
  });

  it('(0, "") on a non-empty log is a conflict', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(dummyEvent('a'));
    const c = await conflictOf(w.appendIf(dummyEvent('x'), 0, ''));
    expect(c).toMatchObject({ actualOffset: r.endOffset, actualHash: null });
    await w.close();
  });

  it('returns the same result as append would have', async () => {
    const a = await EventWriter.open(logDir());
    const b = await EventWriter.open(logDir());
    await appendN(a, 2);
    await appendN(b, 2);
    const viaAppend = await a.append(dummyEvent('z'));
    const viaIf = await b.appendIf(dummyEvent('z'), b.activeLogSize(), b.lastLineHash());
    expect(viaIf).toEqual(viaAppend);
    await a.close();
    await b.close();
  });

  it('appends a list of events atomically under one condition, and refuses all of them on conflict', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(dummyEvent('a'));
    const rs = await w.appendIf([dummyEvent('b'), dummyEvent('c')], r.endOffset, r.lineHash);
    expect(rs.map((x) => x.startOffset)).toEqual([r.endOffset, rs[0]!.endOffset]);
    await conflictOf(w.appendIf([dummyEvent('d'), dummyEvent('e')], r.endOffset, r.lineHash));
    expect(types(await readAll(w.reader()))).toEqual(['a', 'b', 'c']);
    await w.close();
  });

  it('two actors racing on the same expectation: one wins, the other conflicts', async () => {
    const w = await EventWriter.open(logDir());
    const base = await w.append(dummyEvent('base'));
    const [a, b] = await Promise.allSettled([
      w.appendIf(dummyEvent('actor_a'), base.endOffset, base.lineHash),
      w.appendIf(dummyEvent('actor_b'), base.endOffset, base.lineHash),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(AppendConflict);
    expect(types(await readAll(w.reader()))).toEqual(['base', 'actor_a']);
    await w.close();
  });

  it('the values after a reopen (activeLogSize, lastLineHash) are valid expectations', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 3);
    await w.close();
    const w2 = await EventWriter.open(dir);
    await w2.appendIf(dummyEvent('next'), w2.activeLogSize(), w2.lastLineHash());
    expect((await readAll(w2.reader())).length).toBe(4);
    await w2.close();
  });

  it('without a lock, a second writer’s appends are seen: a stale expectation conflicts', async () => {
    const dir = logDir();
    const a = await EventWriter.open(dir, { lock: 'none' });
    const b = await EventWriter.open(dir, { lock: 'none' });
    const r = await a.append(dummyEvent('a1'));
    await b.append(dummyEvent('b1'));
    await conflictOf(a.appendIf(dummyEvent('a2'), r.endOffset, r.lineHash));
    expect(types(await readAll(a.reader()))).toEqual(['a1', 'b1']);
    await a.close();
    await b.close();
  });
});

describe('EventLog.appendIf', () => {
  it('delegates to the writer (success and conflict)', async () => {
    const log = await EventLog.builder(logDir()).open();
    const r = await log.appendIf(dummyEvent('a'), 0, '');
    await log.appendIf(dummyEvent('b'), r.endOffset, r.lineHash);
    await conflictOf(log.appendIf(dummyEvent('c'), r.endOffset, r.lineHash));
    expect(types(await readHistory(log.reader()))).toEqual(['a', 'b']);
    await log.close();
  });

  it('with maxLogSize 1 every append rotates, and each result stays valid for the next appendIf', async () => {
    const log = await EventLog.builder(logDir()).maxLogSize(1).open();
    let r = await log.appendIf(createEvent('e', { i: 0 }, { ts: 1 }), 0, '');
    expect(r).toEqual({ startOffset: 0, endOffset: 0, lineHash: '', rotated: true });
    for (let i = 1; i < 4; i++)
      r = await log.appendIf(createEvent('e', { i }, { ts: 1 }), r.endOffset, r.lineHash);
    expect(await log.reader().activeLogSize()).toBe(0);
    expect((await readHistory(log.reader())).map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
    await log.close();
  });
});
