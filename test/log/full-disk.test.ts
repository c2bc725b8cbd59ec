/**
 * A full disk, for real: a tiny tmpfs is mounted (needs root), filled to the last page, and the log is used on it.
 * Appends must fail with a typed WriteFailedError and leave the log exactly as it was; everything works again
 * once space is freed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  CommitJournal,
  createEvent,
  readJournal,
  EventLog,
  EventReader,
  EventWriter,
  loadSnapshot,
  View,
  WriteFailedError,
  type Durability,
} from '../../core/log/index.js';
import { counterReducer, indices, readAll, readHistory } from '../helpers/log.js';
import { RecordingLogger } from '../helpers/logger.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'eventfold-fulldisk-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint], {
  encoding: 'utf8',
});
const mounted = mount.status === 0;
if (!mounted) {
  console.log(
    `full-disk: skipped, could not mount a tmpfs (needs root): ${(mount.stderr || mount.error?.message) ?? ''}`,
  );
}

let n = 0;
/** A fresh log directory on the tiny filesystem. */
const smallDir = (): string => join(mountPoint, `log-${n++}`);
const filler = (dir: string): string => `${dir}-filler`;

/** Fills the filesystem completely; returns a function that frees `bytes` again. */
function fillDisk(dir: string): { free(bytes?: number): void } {
  const path = filler(dir);
  onTestFinished(() => rmSync(path, { force: true })); // a failed test must not leave the disk full for the next
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4096, 0x61);
  let size = 0;
  try {
    for (;;) size += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return {
    free(bytes?: number) {
      if (bytes === undefined) rmSync(path, { force: true });
      else truncateSync(path, Math.max(0, (size -= bytes)));
    },
  };
}

const big = (i: number): ReturnType<typeof createEvent> =>
  createEvent('big', { i, pad: 'x'.repeat(12_000) }, { ts: 1 });

afterAll(() => {
  // Lazy: detaches even if a failed test left a file open on it.
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a full disk', () => {
  it.each<Durability>(['always', 'none'])(
    'append fails with WriteFailedError (ENOSPC) and leaves the log untouched (%s)',
    async (durability) => {
      const dir = smallDir();
      const w = await EventWriter.open(dir, { durability });
      await w.append(big(0));
      const before = readFileSync(w.paths.log);
      const size = w.activeLogSize();
      const hash = w.lastLineHash();
      const disk = fillDisk(dir);

      const err = await w.append(big(1)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WriteFailedError);
      expect((err as Error).message).toContain(`Could not write to ${w.paths.log} (ENOSPC)`);
      expect((err as Error).message).toContain('The disk is full');
      expect(readFileSync(w.paths.log)).toEqual(before);
      expect(w.activeLogSize()).toBe(size);
      expect(w.lastLineHash()).toBe(hash);

      disk.free();
      const r = await w.append(big(2));
      expect(r.startOffset).toBe(size);
      expect(indices(await readAll(w.reader()))).toEqual([0, 2]);
      await w.close();
    },
  );

  it('a write that only partly fits is rolled back, not left as a torn line', async () => {
    const dir = smallDir();
    const w = await EventWriter.open(dir);
    await w.append(big(0));
    const before = readFileSync(w.paths.log);
    const disk = fillDisk(dir);
    disk.free(8192); // room for part of the next 12 KB line only
    await expect(w.append(big(1))).rejects.toBeInstanceOf(WriteFailedError);
    expect(readFileSync(w.paths.log)).toEqual(before);
    disk.free();
    await w.append(big(2));
    await w.close();
    const again = await EventWriter.open(dir);
    expect(again.recovery.tornBytesTruncated).toBe(0);
    expect(indices(await readAll(again.reader()))).toEqual([0, 2]);
    await again.close();
  });

  it('an append that is durable resolves even when the auto-rotation after it fails for lack of space', async () => {
    const dir = smallDir();
    const logger = new RecordingLogger();
    const log = await EventLog.builder(dir)
      .maxLogSize(30_000)
      .view('count', counterReducer, 0)
      .logger(logger)
      .open();
    await log.append(big(0));
    await log.append(big(1));
    const disk = fillDisk(dir);
    disk.free(16_384); // room for the next line, not for the rotation that it triggers
    const r = await log.append(big(2));
    expect(r.rotated).toBeUndefined();
    expect(r.endOffset).toBe(await log.reader().activeLogSize());
    expect(logger.text).toMatch(/rotation .*failed/);
    expect(indices(await readAll(log.reader()))).toEqual([0, 1, 2]);
    disk.free();
    expect((await log.append(big(3))).rotated).toBe(true);
    expect(indices(await readHistory(log.reader()))).toEqual([0, 1, 2, 3]);
    await log.refreshAll();
    expect(log.view('count')).toBe(4);
    await log.close();
  });

  it('a batch is all-or-nothing on a full disk', async () => {
    const dir = smallDir();
    const w = await EventWriter.open(dir);
    await w.append(big(0));
    const before = readFileSync(w.paths.log);
    const disk = fillDisk(dir);
    disk.free(16384);
    await expect(w.appendBatch([big(1), big(2), big(3)])).rejects.toBeInstanceOf(WriteFailedError);
    expect(readFileSync(w.paths.log)).toEqual(before);
    disk.free();
    await w.close();
  });

  it("in 'group' mode every append of the failed group is rejected and nothing is written", async () => {
    const dir = smallDir();
    const w = await EventWriter.open(dir, { durability: 'group' });
    await w.append(big(0));
    const before = readFileSync(w.paths.log);
    const disk = fillDisk(dir);
    const results = await Promise.allSettled([w.append(big(1)), w.append(big(2)), w.append(big(3))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WriteFailedError);
    expect(readFileSync(w.paths.log)).toEqual(before);
    disk.free();
    const [a, b] = await Promise.all([w.append(big(4)), w.append(big(5))]);
    expect(a!.startOffset).toBe(before.length);
    expect(b!.startOffset).toBe(a!.endOffset);
    expect(indices(await readAll(w.reader()))).toEqual([0, 4, 5]);
    await w.close();
  });

  it('a snapshot that cannot be saved leaves the previous one intact; a later view recovers', async () => {
    const dir = smallDir();
    const w = await EventWriter.open(dir);
    const view = new View(
      'count',
      (s: { n: number; pad: string }) => ({ n: s.n + 1, pad: s.pad }),
      () => ({ n: 0, pad: 'p'.repeat(20_000) }),
      w.paths.views,
    );
    await w.append(createEvent('e', 0, { ts: 1 }));
    await view.refresh(w.reader());
    const saved = readFileSync(view.snapshotPath, 'utf8');
    await w.append(createEvent('e', 1, { ts: 1 }));
    const disk = fillDisk(dir);
    await expect(view.refresh(w.reader())).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(view.snapshotPath, 'utf8')).toBe(saved);
    disk.free();
    const fresh = new View(
      'count',
      (s: { n: number; pad: string }) => ({ n: s.n + 1, pad: s.pad }),
      () => ({ n: 0, pad: '' }),
      w.paths.views,
    );
    expect((await fresh.refresh(w.reader())).n).toBe(2);
    expect(fresh.lastRefresh).toEqual({ folded: 1, rebuilt: false });
    await w.close();
  });

  it.each([
    ['not even the rotation marker', 0],
    ['the marker but not the archive frame', 4096],
  ])('a rotation on a disk with room for %s changes nothing and can be redone', async (_name, room) => {
    const dir = smallDir();
    const w = await EventWriter.open(dir);
    const count = new View('count', counterReducer, 0, w.paths.views);
    // Incompressible lines, so the archive frame needs several pages.
    for (let i = 0; i < 6; i++) {
      await w.append(createEvent('r', { i, noise: randomBytes(3000).toString('base64') }, { ts: 1 }));
    }
    await count.refresh(w.reader());
    const log = readFileSync(w.paths.log);
    const disk = fillDisk(dir);
    if (room > 0) disk.free(room);
    await expect(w.rotate([count])).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(w.paths.log)).toEqual(log);
    // With room for the marker, the archive was created and the failed frame cut off again.
    expect(existsSync(w.paths.archive)).toBe(room > 0);
    expect(existsSync(w.paths.archive) ? readFileSync(w.paths.archive).length : 0).toBe(0);
    expect(existsSync(w.paths.marker)).toBe(false);
    expect(loadSnapshot(count.snapshotPath)).toMatchObject({ state: 6, offset: log.length });
    disk.free();
    expect((await w.rotate([count])).rotated).toBe(true);
    expect(indices(await readHistory(await EventReader.open(dir)))).toEqual([0, 1, 2, 3, 4, 5]);
    await w.close();
    // Reopening finds nothing to repair.
    const again = await EventWriter.open(dir);
    expect(again.recovery.rotation).toBe('none');
    await again.close();
  });
  it('through a commit journal: a round that does not fit fails per log, and the journal keeps no line of it', async () => {
    const base = smallDir();
    // A small journal: the default 8 MiB would not fit on this 512 KiB file system.
    const journal = await CommitJournal.open(join(base, 'journal.jsonl'), { checkpointBytes: 64 * 1024 });
    const ws = await Promise.all(
      [0, 1].map((i) => EventWriter.open(join(base, `log-${i}`), { durability: 'group', journal })),
    );
    await Promise.all(ws.map((w, i) => w.append(big(10 * i))));
    await journal.checkpoint();
    const before = ws.map((w) => readFileSync(w.paths.log));
    const disk = fillDisk(base);
    // Room for one log line, not for both (the journal, allocated up front, needs none): the second log's write
    // fails after the round's journal lines are written, so the round is withdrawn from the journal.
    disk.free(16_384);
    const results = await Promise.allSettled(ws.map((w, i) => w.append(big(10 * i + 1))));
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') continue;
      expect(r.reason).toBeInstanceOf(WriteFailedError);
      expect((r.reason as Error).message).toContain('The disk is full');
      expect(readFileSync(ws[i]!.paths.log)).toEqual(before[i]);
    }
    const journaled = (await readJournal(journal.file)).map((l) => l.log);
    for (const [i, r] of results.entries())
      if (r.status === 'rejected') expect(journaled).not.toContain(`log-${i}/app.jsonl`);

    disk.free();
    await Promise.all(ws.map((w, i) => w.append(big(10 * i + 2))));
    for (const w of ws) await w.close();
    await journal.close();
    const again = await CommitJournal.open(join(base, 'journal.jsonl'), { checkpointBytes: 64 * 1024 });
    expect(again.recovery.restored).toEqual([]);
    for (const [i, r] of results.entries()) {
      const w = await EventWriter.open(join(base, `log-${i}`));
      const want = r.status === 'fulfilled' ? [10 * i, 10 * i + 1, 10 * i + 2] : [10 * i, 10 * i + 2];
      expect(indices(await readAll(w.reader()))).toEqual(want);
      await w.close();
    }
    await again.close();
  });
});
