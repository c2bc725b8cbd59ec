import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvent, EventWriter } from '../../core/log/index.js';
import { parseStreamIndex } from '../../core/es/stream-index.js';
import {
  eventfold,
  eventfoldJson,
  makeEsStore,
  makeLog,
  makeStore,
  writeCheckpoint,
  writeEsStore,
} from './helpers.js';

interface LogInfo {
  ok: boolean;
  kind: string;
  events: { total: number; archived: number; active: number };
  bytes: { active: number; archived: number };
  frames: number;
  lastEvent: { type: string; ts: number; time: string } | null;
  views: {
    name: string;
    offset: number | null;
    valid: boolean;
    problem: string | null;
    lag: { bytes: number; events: number };
  }[];
  lock: { held: boolean; pid: number | null; hostname: string | null; since: string | null } | null;
  problems: number;
}

describe('info on a log folder', () => {
  it('reports events, bytes, frames, views with their lag, and no lock', async () => {
    const dir = await makeLog(4, 3);
    // Two more events after the snapshot: the view is 2 events behind.
    const w = await EventWriter.open(dir);
    await w.append(createEvent('late', { n: 1 }, { ts: 1_800_000_000 }));
    await w.append(createEvent('late', { n: 2 }, { ts: 1_800_000_001 }));
    const size = w.activeLogSize();
    await w.close();

    const { code, json } = await eventfoldJson<LogInfo>(['info', dir]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      ok: true,
      kind: 'log',
      events: { total: 9, archived: 4, active: 5 },
      frames: 1,
      lastEvent: { type: 'late', ts: 1_800_000_001, time: '2027-01-15T08:00:01Z' },
      lock: null,
      problems: 0,
    });
    expect(json.bytes.active).toBe(size);
    expect(json.bytes.archived).toBeGreaterThan(0);
    expect(json.views).toHaveLength(1);
    const view = json.views[0]!;
    expect(view).toMatchObject({ name: 'count', valid: true, problem: null, lag: { events: 2 } });
    expect(view.lag.bytes).toBe(size - view.offset!);

    const human = await eventfold(['info', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('9 events (4 archived, 5 active)');
    expect(human.stdout).toMatch(/count\s+offset \d+\s+behind by 2 events/);
    expect(human.stdout).toContain('Lock: not locked');
  });

  it('shows who holds the lock while a writer (this test process) has the folder open', async () => {
    const dir = await makeLog(0, 2);
    const w = await EventWriter.open(dir);
    try {
      const { json } = await eventfoldJson<LogInfo>(['info', dir]);
      expect(json.lock).toMatchObject({ held: true, pid: process.pid });
      const human = await eventfold(['info', dir]);
      expect(human.stdout).toContain(`process ${process.pid} on`);
    } finally {
      await w.close();
    }
    const { json } = await eventfoldJson<LogInfo>(['info', dir]);
    expect(json.lock).toBeNull();
  });

  it('marks an invalid snapshot and counts the whole history as its lag; counts problems', async () => {
    const dir = await makeLog(2, 2);
    writeFileSync(
      join(dir, 'views', 'count.snapshot.json'),
      '{"state":4,"offset":10,"hash":"0000000000000000"}',
    );
    appendFileSync(join(dir, 'app.jsonl'), '{"type":"torn"');
    const { json } = await eventfoldJson<LogInfo>(['info', dir]);
    expect(json.views[0]).toMatchObject({ valid: false, lag: { events: 4 } });
    expect(json.views[0]!.problem).toMatch(/not at the end of a line|does not match/);
    expect(json.problems).toBe(1);
    const human = await eventfold(['info', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('1 problem found: run `eventfold verify');
  });
});

interface StoreInfo {
  kind: string;
  streams: number;
  events: number;
  types: { type: string; streams: number; events: number; bytes: number }[];
  projections: {
    name: string;
    valid: boolean;
    problem: string | null;
    mode: 'position' | 'cursors' | null;
    position: number | null;
    types: string[] | '*' | null;
    ignoredCursors: number;
    cursors: { stream: string; lagEvents: number; lagBytes: number; problem: string | null }[];
    unseen: string[];
    lag: { events: number; bytes: number; streams: number };
  }[];
  processManagers: { name: string; deadLetters: number; lag: { events: number } }[];
  deadLetters: number;
  registry: { entries: number };
  streamIndex: {
    exists: boolean;
    unreadable: string | null;
    streams: number;
    stale: { stream: string; reason: string }[];
  };
  lastPosition: number;
  locks: { held: boolean; pid: number | null; path: string }[];
  problems: number;
}

describe('info on a store', () => {
  it('reports streams per type, projections and process managers with cursors, lag and dead letters', async () => {
    const store = await makeStore();
    const { code, json } = await eventfoldJson<StoreInfo>(['info', store.dir]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      kind: 'store',
      streams: 3,
      events: 7,
      deadLetters: 2,
      registry: { entries: 3 },
      locks: [],
      problems: 0,
    });
    expect(json.types.map((t) => [t.type, t.streams, t.events])).toEqual([
      ['contact', 2, 5],
      ['deal', 1, 2],
    ]);
    const [proj] = json.projections;
    expect(proj!.name).toBe('contact_list');
    expect(proj!.valid).toBe(true);
    expect(proj!.cursors.map((c) => [c.stream, c.lagEvents])).toEqual([
      ['contact/c1', 0],
      ['contact/c2', 1],
    ]);
    const c2 = store.ends['contact/c2']!;
    expect(proj!.cursors[1]!.lagBytes).toBe(c2[1]!.offset - c2[0]!.offset);
    expect(proj!.lag).toEqual({ events: 1, bytes: c2[1]!.offset - c2[0]!.offset, streams: 1 });
    expect(json.processManagers).toMatchObject([{ name: 'deal_tasks', deadLetters: 2, lag: { events: 0 } }]);

    const human = await eventfold(['info', store.dir]);
    expect(human.stdout).toMatch(/contact\s+2\s+5/);
    expect(human.stdout).toContain('contact_list: 2 cursors, behind by 1 event');
    expect(human.stdout).toContain('deal_tasks: 1 cursor, up to date, 2 dead letters');
  });

  it('counts a new stream of a followed type as lag (unseen), and shows a stream held by a writer', async () => {
    const store = await makeStore();
    const w = await EventWriter.open(join(store.dir, 'streams', 'contact', 'c3'));
    await w.append(createEvent('ContactCreated', { name: 'Cy' }, { ts: 1_714_000_050 }));
    try {
      const { json } = await eventfoldJson<StoreInfo>(['info', store.dir]);
      expect(json.projections[0]!.unseen).toEqual(['contact/c3']);
      expect(json.projections[0]!.lag).toMatchObject({ events: 2, streams: 2 });
      expect(json.locks).toHaveLength(1);
      expect(json.locks[0]).toMatchObject({ held: true, pid: process.pid });
      expect(json.locks[0]!.path).toContain(join('contact', 'c3'));
    } finally {
      await w.close();
    }
  });
});

describe('info on a store written by core/es (position checkpoints)', () => {
  it('a checkpoint is valid by its position; events of its types appended while it was not registered are its lag', async () => {
    const dir = await makeEsStore();
    const { code, json } = await eventfoldJson<StoreInfo>(['info', dir]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ streams: 3, events: 5, problems: 0 });
    const [totals] = json.projections;
    expect(totals).toMatchObject({
      name: 'totals',
      valid: true,
      problem: null,
      mode: 'position',
      types: ['counter'],
      cursors: [],
      ignoredCursors: 0,
      unseen: [],
      // counter/a's second event and counter/b's first: the note/x events are of a type it does not read.
      lag: { events: 2, streams: 2 },
    });
    expect(totals!.lag.bytes).toBeGreaterThan(0);
    expect(json.streamIndex).toMatchObject({ exists: true, unreadable: null, streams: 3, stale: [] });

    const human = await eventfold(['info', dir]);
    expect(human.stdout).toMatch(/totals: position \d+ \(counter\), behind by 2 events \(.+\) in 2 streams/);
    expect(human.stdout).toContain('Stream index: 3 streams recorded, all up to date');
    expect(human.stdout).not.toContain('invalid');
  });

  it('is up to date once the projection ran again (its position is then the lease, past the last event)', async () => {
    const dir = await makeEsStore();
    await writeEsStore(dir, true, []);
    const { json } = await eventfoldJson<StoreInfo>(['info', dir]);
    expect(json.projections[0]).toMatchObject({ valid: true, lag: { events: 0, streams: 0 } });
    // Moved up to where the last run resumed numbering: past every event, yet one the store gave out.
    const index = parseStreamIndex(readFileSync(join(dir, 'meta', 'stream-index.json'), 'utf8'));
    const lastSeq = Math.max(...[...index.values()].map((e) => e.lastSeq));
    expect(json.projections[0]!.position).toBeGreaterThan(lastSeq);
    expect(json.projections[0]!.position).toBeLessThanOrEqual(json.lastPosition);
    expect(json.problems).toBe(0);
    expect((await eventfold(['info', dir])).stdout).toMatch(/totals: position \d+ \(counter\), up to date/);
  });

  it('goes by the position of a checkpoint that also has (stale) cursors, as the store does', async () => {
    const dir = await makeEsStore();
    const file = join(dir, 'projections', 'totals', 'checkpoint.json');
    const cp = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeCheckpoint(dir, 'projections', 'totals', {
      ...cp,
      cursors: {
        'counter/a': { offset: 3, hash: '0000000000000000' },
        'counter/gone': { offset: 0, hash: '' },
      },
    });
    const { json } = await eventfoldJson<StoreInfo>(['info', dir]);
    expect(json.projections[0]).toMatchObject({
      valid: true,
      mode: 'position',
      cursors: [],
      ignoredCursors: 2,
      lag: { events: 2, streams: 2 },
    });
    expect(json.problems).toBe(0);
    expect((await eventfold(['info', dir])).stdout).toContain('(2 old cursors ignored)');
  });

  it('counts every type for a checkpoint without `types`, and everything at position 0', async () => {
    const dir = await makeEsStore();
    writeCheckpoint(dir, 'projections', 'everything', { state: 0, position: 0, version: 1 });
    const { json } = await eventfoldJson<StoreInfo>(['info', dir]);
    const everything = json.projections.find((p) => p.name === 'everything');
    expect(everything).toMatchObject({ valid: true, types: '*', lag: { events: 5, streams: 3 } });
  });

  it('a position beyond the last one the store gave out makes the checkpoint invalid', async () => {
    const dir = await makeEsStore();
    const { json: before } = await eventfoldJson<StoreInfo>(['info', dir]);
    const position = before.lastPosition + 1000;
    writeCheckpoint(dir, 'projections', 'totals', { state: 9, position, version: 1, types: ['counter'] });
    const { code, json } = await eventfoldJson<StoreInfo>(['info', dir]);
    expect(code).toBe(0);
    expect(json.projections[0]).toMatchObject({ valid: false, position });
    expect(json.projections[0]!.problem).toContain(`position ${position} is beyond the last position`);
    expect(json.problems).toBe(1);
  });

  it('shows a stream index behind its log, and one that cannot be read', async () => {
    const dir = await makeEsStore();
    const w = await EventWriter.open(join(dir, 'streams', 'note', 'x'));
    await w.append(createEvent('Noted', { n: 1 }, { ts: 1_800_000_000 }));
    await w.close();
    const { json } = await eventfoldJson<StoreInfo>(['info', dir]);
    expect(json.streamIndex.stale).toEqual([
      { stream: 'note/x', reason: expect.stringContaining('behind its log') as string },
    ]);
    expect(json.problems).toBe(0);
    expect((await eventfold(['info', dir])).stdout).toContain(
      'Stream index: 3 streams recorded, 1 behind their log (brought up to date on open)',
    );

    writeFileSync(join(dir, 'meta', 'stream-index.json'), '{"version":1,');
    const broken = await eventfold(['info', dir]);
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(
      /Stream index: unreadable \(not valid JSON .*\); the store rebuilds it on open/,
    );
  });
});
