import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, EventReader, EventWriter } from '../../core/log/index.js';
import {
  appendRaw,
  count,
  eventfold,
  eventfoldJson,
  makeEsStore,
  makeLog,
  makeStore,
  writeEsStore,
} from './helpers.js';

describe('rotate', () => {
  it('moves the active log into the archive; views stay valid; the history is unchanged', async () => {
    const dir = await makeLog(2, 3);
    const archive = join(dir, 'archive.jsonl.zst');
    const before = statSync(archive).size;
    const activeBytes = statSync(join(dir, 'app.jsonl')).size;
    const { code, json } = await eventfoldJson(['rotate', dir]);
    expect(code).toBe(0);
    expect(json).toEqual({ ok: true, dir, rotated: true, bytes: activeBytes, frames: 1, repaired: [] });
    expect(statSync(join(dir, 'app.jsonl')).size).toBe(0);
    expect(statSync(archive).size).toBeGreaterThan(before);
    const log = await EventLog.builder(dir).maxLogSize(0).view('count', count, 0).open();
    expect(log.recovery.viewsRebuilt).toEqual([]); // the up-to-date snapshot was moved to offset 0
    expect(log.view('count')).toBe(5);
    await log.close();
    const again = await eventfold(['rotate', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to rotate: the active log');
  });

  it('reports the repairs that opening the log applied first', async () => {
    const dir = await makeLog(0, 2);
    appendRaw(join(dir, 'app.jsonl'), '{"type":"to');
    const r = await eventfold(['rotate', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('truncated 11 bytes of a torn last line');
    expect(r.stdout).toMatch(/Rotated .*: \d+ B moved into the archive \(1 new frame\)/);
  });

  it('refuses politely while the app holds the lock (exit 1, nothing changed)', async () => {
    const dir = await makeLog(0, 2);
    const w = await EventWriter.open(dir);
    try {
      const before = readFileSync(join(dir, 'app.jsonl'));
      const r = await eventfold(['rotate', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `Refusing to rotate: the folder is in use (${dir} is locked by process ${process.pid}`,
      );
      expect(readFileSync(join(dir, 'app.jsonl')).equals(before)).toBe(true);
    } finally {
      await w.close();
    }
  });

  it('rotates one stream of a store (--stream), which is required there', async () => {
    const store = await makeStore();
    const usage = await eventfold(['rotate', store.dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('a store needs --stream');
    const missing = await eventfold(['rotate', store.dir, '--stream', 'deal/nope']);
    expect(missing.code).toBe(1);
    const { code, json } = await eventfoldJson(['rotate', store.dir, '--stream', 'deal/d1']);
    expect(code).toBe(0);
    expect(json).toMatchObject({ ok: true, stream: 'deal/d1', rotated: true, frames: 1 });
    const w = await EventWriter.open(join(store.dir, 'streams', 'contact', 'c1'));
    try {
      const busy = await eventfold(['rotate', store.dir, '--stream', 'deal/d1']);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(
        `Refusing to rotate: the folder is in use (${join('streams', 'contact', 'c1')}`,
      );
    } finally {
      await w.close();
    }
    const reader = await EventReader.open(join(store.dir, 'streams', 'deal', 'd1'));
    const types: string[] = [];
    for await (const e of reader.readFull()) types.push(e.event.type);
    expect(types).toEqual(['DealOpened', 'DealStageChanged']);
  });
});

describe('rotate in a store written by core/es', () => {
  it('leaves position checkpoints valid, with the same lag (positions are kept in the archive)', async () => {
    const dir = await makeEsStore();
    type Info = {
      projections: { valid: boolean; lag: { events: number; streams: number } }[];
      problems: number;
    };
    const before = (await eventfoldJson<Info>(['info', dir])).json;
    expect((await eventfold(['rotate', dir, '--stream', 'counter/a'])).code).toBe(0);
    const after = (await eventfoldJson<Info>(['info', dir])).json;
    // The same events behind (rotated ones no longer count in bytes: the archive is compressed).
    expect(before.projections[0]).toMatchObject({ valid: true, lag: { events: 2, streams: 2 } });
    expect(after.projections[0]).toMatchObject({ valid: true, lag: { events: 2, streams: 2 } });
    expect(after.problems).toBe(0);
    // Until the store opens, its stream index still has the log's old end: a note for verify, not a problem.
    const v = await eventfoldJson<{ problems: unknown[]; notes: { message: string }[] }>(['verify', dir]);
    expect(v.code).toBe(0);
    expect(v.json.notes.map((n) => n.message)).toEqual([expect.stringContaining('counter/a: recorded end')]);
    await writeEsStore(dir, true, []);
    const settled = await eventfoldJson<{ notes: unknown[] }>(['verify', dir]);
    expect(settled).toMatchObject({ code: 0, json: { notes: [] } });
    expect((await eventfoldJson<Info>(['info', dir])).json.projections[0]!.lag.events).toBe(0);
  });

  it('says in its help that projections do not rebuild', async () => {
    const r = await eventfold(['rotate', '--help']);
    expect(r.stdout).toContain('rebuild nothing');
    expect(r.stdout).not.toMatch(/^In a store.*projections whose cursor was in that stream rebuild/m);
  });
});
