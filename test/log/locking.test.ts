import { appendFileSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EventLog,
  EventReader,
  EventWriter,
  LockedError,
  logPaths,
  readLockOwner,
} from '../../core/log/index.js';
import { deadPid, leaveStaleLock } from '../helpers/crash-states.js';
import { appendN, dummyEvent, logDir, readAll, readHistory } from '../helpers/log.js';

async function lockedErrorOf(p: Promise<unknown>): Promise<LockedError> {
  const err = await p.then(
    async (opened) => {
      await (opened as { close(): Promise<void> }).close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LockedError);
  return err as LockedError;
}

describe('writer lock', () => {
  it('the writer takes the lock and records its pid and host', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const owner = readLockOwner(logPaths(dir).lock);
    expect(owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(owner!.since).toBeLessThanOrEqual(Date.now());
    await w.close();
  });

  it('a second writer fails at once with a LockedError naming the directory and the holder', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const err = await lockedErrorOf(EventWriter.open(dir));
    expect(err.dir).toBe(dir);
    expect(err.code).toBe('LOCKED');
    expect(err.owner?.pid).toBe(process.pid);
    expect(err.message).toContain(dir);
    expect(err.message).toContain(`process ${process.pid}`);
    await w.close();
  });

  it('the lock is released on close', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    expect(existsSync(logPaths(dir).lock)).toBe(false);
    const w = await EventWriter.open(dir);
    await w.close();
  });

  it("lock: 'none' allows several writers and takes no lock", async () => {
    const dir = logDir();
    const a = await EventWriter.open(dir, { lock: 'none' });
    const b = await EventWriter.open(dir, { lock: 'none' });
    expect(existsSync(logPaths(dir).lock)).toBe(false);
    await a.append(dummyEvent('a'));
    await b.append(dummyEvent('b'));
    expect((await readAll(a.reader())).map((e) => e.type)).toEqual(['a', 'b']);
    await a.close();
    await b.close();
  });

  it("lock: 'held' takes no lock and keeps its own position (the caller's lock rules out other writers)", async () => {
    const dir = logDir();
    const a = await EventWriter.open(dir, { lock: 'held' });
    expect(existsSync(logPaths(dir).lock)).toBe(false);
    const first = await a.append(dummyEvent('a'));
    // What 'held' promises cannot happen: a line appended behind its back is not looked for ('none' would).
    writeFileSync(logPaths(dir).log, '{"type":"x","data":null,"ts":1}\n', { flag: 'a' });
    const second = await a.append(dummyEvent('b'));
    expect(second.startOffset).toBe(first.endOffset);
    await a.close();
  });

  it('a writer opened with the tail its predecessor left skips reading it, and appends right after it', async () => {
    const dir = logDir();
    const a = await EventWriter.open(dir, { lock: 'held' });
    const last = (await appendN(a, 3)).at(-1)!;
    const tail = { size: last.endOffset, hash: last.lineHash };
    await a.close();
    const b = await EventWriter.open(dir, { lock: 'held', tail });
    expect(b.lastLineHash()).toBe(tail.hash);
    const next = await b.appendIf(dummyEvent('next'), tail.size, tail.hash);
    expect(next.startOffset).toBe(tail.size);
    expect((await readAll(b.reader())).length).toBe(4);
    await b.close();
  });

  it('a fresh writer makes its folder (and missing parents) with views/; a folder there after all opens as usual', async () => {
    const dir = join(logDir(), 'type', 'id');
    const a = await EventWriter.open(dir, { lock: 'held', fresh: true });
    expect(a.recovery.createdDirectory).toBe(true);
    expect(existsSync(join(dir, 'views'))).toBe(true);
    expect([a.activeLogSize(), a.lastLineHash()]).toEqual([0, '']);
    const last = (await appendN(a, 2)).at(-1)!;
    await a.close();
    appendFileSync(join(dir, 'app.jsonl'), '{"type":"torn"');
    const b = await EventWriter.open(dir, { lock: 'held', fresh: true });
    expect(b.recovery.createdDirectory).toBe(false);
    expect(b.recovery.tornBytesTruncated).toBe('{"type":"torn"'.length);
    expect([b.activeLogSize(), b.lastLineHash()]).toEqual([last.endOffset, last.lineHash]);
    await b.close();
  });

  it('the lock survives rotation', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 3);
    await w.rotate();
    await lockedErrorOf(EventWriter.open(dir));
    await w.append(dummyEvent('after'));
    await w.close();
  });

  it('readers need no lock: they work with a locked writer and with no writer', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    const reader = await EventReader.open(dir);
    expect((await readAll(reader)).length).toBe(2);
    await w.close();
    expect((await readHistory(reader)).length).toBe(2);
  });

  it('the builder locks by default, and builder.lock("none") does not', async () => {
    const dir = logDir();
    const log = await EventLog.builder(dir).open();
    await lockedErrorOf(EventLog.builder(dir).open());
    await log.close();
    const a = await EventLog.builder(dir).lock('none').open();
    const b = await EventLog.builder(dir).lock('none').open();
    await a.close();
    await b.close();
  });

  it('an open that fails after taking the lock releases it', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    rmSync(join(dir, 'app.jsonl'));
    mkdirSync(join(dir, 'app.jsonl')); // the log cannot be opened as a file
    await expect(EventWriter.open(dir)).rejects.toThrow(/EISDIR/);
    expect(existsSync(logPaths(dir).lock)).toBe(false);
    rmSync(join(dir, 'app.jsonl'), { recursive: true });
    await (await EventWriter.open(dir)).close();
  });

  it('a lock left by a dead process on this host is taken over', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    const dead = leaveStaleLock(dir);
    expect(readLockOwner(logPaths(dir).lock)?.pid).toBe(dead);
    const w = await EventWriter.open(dir);
    expect(readLockOwner(logPaths(dir).lock)?.pid).toBe(process.pid);
    await w.close();
  });

  it('a lock held by a process on another host is never taken over', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    mkdirSync(logPaths(dir).lock);
    writeFileSync(
      join(logPaths(dir).lock, 'owner.json'),
      JSON.stringify({ pid: deadPid(), hostname: 'some-other-host', since: 0 }),
    );
    const err = await lockedErrorOf(EventWriter.open(dir));
    expect(err.message).toContain('some-other-host');
  });

  it('a lock directory without an owner file is respected while young and taken over when old', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    const lock = logPaths(dir).lock;
    mkdirSync(lock);
    const err = await lockedErrorOf(EventWriter.open(dir));
    expect(err.owner).toBeNull();
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const w = await EventWriter.open(dir);
    await w.close();
  });
});
