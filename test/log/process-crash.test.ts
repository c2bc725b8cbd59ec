/**
 * Real crashes: a child process appends in a loop and is killed with SIGKILL mid-stream. Every event it
 * acknowledged must be there, nothing may be torn, and the next writer (in this process) takes over the lock.
 */
import { describe, expect, it } from 'vitest';
import { EventLog, EventReader, EventWriter, LockedError, createEvent } from '../../core/log/index.js';
import { spawnHelper } from '../helpers/child.js';
import { counterReducer, logDir } from '../helpers/log.js';

describe.each(['always', 'group'])(
  'a writer killed with SIGKILL mid-stream (durability %s)',
  (durability) => {
    it('keeps every acknowledged event, leaves nothing torn, and hands the lock over', async () => {
      const dir = logDir();
      const proc = spawnHelper('crash-writer.ts', [dir, durability]);
      try {
        const ready = await proc.waitFor((l) => l.startsWith('ready '));
        const childPid = Number(ready.split(' ')[1]);
        expect(childPid).toBe(proc.child.pid);

        // While the child runs, nobody else can open the writer; the error names the directory and the holder.
        const err = await EventWriter.open(dir).then(
          async (w) => {
            await w.close();
            return null;
          },
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(LockedError);
        expect((err as LockedError).dir).toBe(dir);
        expect((err as LockedError).owner?.pid).toBe(childPid);
        expect((err as Error).message).toContain(dir);

        // Let it write a while, then kill it without warning.
        await proc.waitFor((l) => l.startsWith('ack 300 '));
        proc.child.kill('SIGKILL');
        const exit = await proc.exited;
        expect(exit.signal).toBe('SIGKILL');
      } finally {
        proc.child.kill('SIGKILL');
        await proc.exited;
      }

      const acked = new Map<number, number>();
      for (const l of proc.lines) {
        const m = /^ack (\d+) (\d+)$/.exec(l);
        if (m) acked.set(Number(m[1]), Number(m[2]));
      }
      expect(acked.size).toBeGreaterThan(300);

      // Readers need no repair: every complete line parses (a corrupt one would throw), a torn tail is skipped.
      const reader = await EventReader.open(dir);
      const seen = new Map<number, number>();
      for await (const e of reader.readFrom(0)) seen.set((e.event.data as { i: number }).i, e.nextOffset);
      for (const [i, end] of acked) expect(seen.get(i)).toBe(end);
      const order = [...seen.keys()];
      expect(order).toEqual([...Array(order.length).keys()]); // in order, no gap, no duplicate

      // The killed child's lock is stale: this process takes it over at once, repairs the tail and appends.
      const log = await EventLog.builder(dir).maxLogSize(0).view('count', counterReducer, 0).open();
      expect(log.recovery.batchLinesRolledBack).toBe(0);
      expect(log.view('count')).toBe(seen.size);
      const r = await log.append(createEvent('after_crash', null, { ts: 1 }));
      expect(r.startOffset).toBe(Math.max(...seen.values()));
      await log.refreshAll();
      expect(log.view('count')).toBe(seen.size + 1);
      await log.close();
    });
  },
);
