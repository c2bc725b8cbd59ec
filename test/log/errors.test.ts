/** Typed errors: each extends EventfoldError, has a stable code, and its message names the dir/file/offset involved. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AppendConflict,
  ClosedError,
  CorruptArchiveError,
  CorruptLogError,
  createEvent,
  EventfoldError,
  EventLog,
  EventReader,
  EventWriter,
  InvalidEventError,
  LockedError,
  StaleOffsetError,
  UnknownViewError,
  WriteFailedError,
} from '../../core/log/index.js';
import { appendN, logDir, readAll, readHistory } from '../helpers/log.js';

async function rejectionOf(p: Promise<unknown>): Promise<EventfoldError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EventfoldError);
  expect(err).toBeInstanceOf(Error);
  return err as EventfoldError;
}

describe('typed errors from real operations', () => {
  it('LockedError names the directory, the holder and when it took the lock', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const err = await rejectionOf(EventWriter.open(dir));
    expect(err).toBeInstanceOf(LockedError);
    expect(err).toMatchObject({ name: 'LockedError', code: 'LOCKED', dir });
    expect(err.message).toMatch(
      new RegExp(`The event log in ${dir} is locked by process ${process.pid} on .+ since \\d{4}-`),
    );
    expect(err.message).toMatch(/Close the other program/);
    await w.close();
  });

  it('AppendConflict names expected and actual offsets (and hashes)', async () => {
    const w = await EventWriter.open(logDir());
    const r = await w.append(createEvent('a', null, { ts: 1 }));
    const off = await rejectionOf(w.appendIf(createEvent('b', null, { ts: 1 }), 0, ''));
    expect(off).toBeInstanceOf(AppendConflict);
    expect(off).toMatchObject({ name: 'AppendConflict', code: 'APPEND_CONFLICT' });
    expect(off.message).toBe(
      `Conditional append refused: expected the log to end at byte 0, but it ends at ${r.endOffset}. Re-read and retry.`,
    );
    const hash = await rejectionOf(w.appendIf(createEvent('b', null, { ts: 1 }), r.endOffset, 'bad'));
    expect(hash.message).toBe(
      `Conditional append refused: the line ending at byte ${r.endOffset} has hash ${r.lineHash}, not bad. Re-read and retry.`,
    );
    await w.close();
  });

  it('CorruptLogError names the file and the byte offset, and how to get past it', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    const rs = await appendN(w, 2);
    await w.close();
    appendFileSync(join(dir, 'app.jsonl'), '{broken\n');
    const err = await rejectionOf(readAll(await EventReader.open(dir)));
    expect(err).toBeInstanceOf(CorruptLogError);
    expect(err).toMatchObject({ name: 'CorruptLogError', code: 'CORRUPT_LOG', offset: rs[1]!.endOffset });
    expect(err.message).toContain(
      `Corrupt event at byte ${rs[1]!.endOffset} of ${join(dir, 'app.jsonl')}: not valid JSON`,
    );
    expect(err.message).toContain("onCorrupt: 'skip'");
  });

  it('StaleOffsetError names the file, the offset and the size, and says to restart from the archive', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 1);
    const size = w.activeLogSize();
    const err = await rejectionOf(readAll(w.reader(), size + 1));
    expect(err).toBeInstanceOf(StaleOffsetError);
    expect(err.message).toBe(
      `Offset ${size + 1} is beyond the end of ${join(dir, 'app.jsonl')} (${size} bytes): the log was rotated or truncated. Restart from the archive with readFull().`,
    );
    await w.close();
  });

  it('CorruptArchiveError names the archive and the byte offset of the bad frame', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 2);
    await w.rotate();
    await w.close();
    const archive = join(dir, 'archive.jsonl.zst');
    const goodSize = readFileSync(archive).length;
    appendFileSync(archive, Buffer.from('definitely not zstd'));
    const err = await rejectionOf(readHistory(await EventReader.open(dir)));
    expect(err).toBeInstanceOf(CorruptArchiveError);
    expect(err).toMatchObject({ code: 'CORRUPT_ARCHIVE', offset: goodSize, file: archive });
    expect(err.message).toContain(
      `Corrupt archive frame at byte ${goodSize} of ${archive}: bad magic number`,
    );
  });

  it('CorruptArchiveError for a frame cut short', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await appendN(w, 20);
    await w.rotate();
    await w.close();
    const archive = join(dir, 'archive.jsonl.zst');
    writeFileSync(archive, readFileSync(archive).subarray(0, 12));
    const err = await rejectionOf(readHistory(await EventReader.open(dir)));
    expect(err).toBeInstanceOf(CorruptArchiveError);
    expect(err.message).toMatch(/byte 0 of .*archive\.jsonl\.zst/);
  });

  it('ClosedError names the directory', async () => {
    const dir = logDir();
    const w = await EventWriter.open(dir);
    await w.close();
    const err = await rejectionOf(w.append(createEvent('a', null, { ts: 1 })));
    expect(err).toBeInstanceOf(ClosedError);
    expect(err.message).toBe(`The writer of ${dir} is closed; open it again to continue.`);
  });

  it('InvalidEventError says which field is wrong', async () => {
    const w = await EventWriter.open(logDir());
    const err = await rejectionOf(w.append({ type: 't', data: 1 } as never));
    expect(err).toBeInstanceOf(InvalidEventError);
    expect(err).toMatchObject({
      code: 'INVALID_EVENT',
      message: 'Invalid event: missing numeric field `ts`',
    });
    await w.close();
  });

  it('UnknownViewError names the view and the known ones', async () => {
    const log = await EventLog.builder(logDir())
      .view('a', (n: number) => n, 0)
      .open();
    let err: unknown;
    try {
      log.view('zzz');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownViewError);
    expect((err as Error).message).toBe('No view named "zzz" is registered (known: a).');
    await log.close();
  });
});

describe('error messages built directly', () => {
  it('LockedError without a known owner still names the directory', () => {
    const e = new LockedError('/data/crm', null);
    expect(e.message).toBe(
      'The event log in /data/crm is locked. Close the other program (or app window) that uses this folder and try again.',
    );
  });

  it('WriteFailedError names the file and the errno, with a disk-full hint for ENOSPC, and keeps the cause', () => {
    const cause = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const e = new WriteFailedError('/data/crm/app.jsonl', cause);
    expect(e).toMatchObject({ code: 'WRITE_FAILED', name: 'WriteFailedError', cause });
    expect(e.message).toBe(
      'Could not write to /data/crm/app.jsonl (ENOSPC). Nothing was appended. The disk is full: free some space and retry.',
    );
    const other = new WriteFailedError('/x/app.jsonl', Object.assign(new Error('io'), { code: 'EIO' }));
    expect(other.message).toMatch(/\(EIO\).*Check the disk and retry\./);
  });
});
