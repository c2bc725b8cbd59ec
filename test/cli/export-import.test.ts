import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore, type Aggregate, type DomainEvent } from '../../core/es/index.js';
import { createEvent, EventLog, EventWriter, readArchiveFrames, type Event } from '../../core/log/index.js';
import { tempDir } from '../helpers/log.js';
import {
  eventfold,
  eventfoldJson,
  jsonl,
  lineStarts,
  makeLog,
  makeStore,
  replaceLineAt,
  STORE_EVENTS,
} from './helpers.js';

/** Every file under `dir`, relative, sorted. */
function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
    )
    .sort();
}

/** A reducer a real app could register on a stream: last value per field plus a version. */
const entity = (s: Record<string, unknown>, e: Event): Record<string, unknown> => ({
  ...s,
  ...(e.data as Record<string, unknown>),
  version: ((s.version as number) ?? 0) + 1,
});

async function viewState(streamDir: string): Promise<unknown> {
  const log = await EventLog.builder(streamDir).maxLogSize(0).view('entity', entity, {}).open();
  const state = log.view('entity');
  await log.close();
  return state;
}

describe('export then import of a store', () => {
  it('re-creates every stream byte for byte, plus registry and process-manager files; read models rebuild identically', async () => {
    const store = await makeStore();
    const out = join(tempDir('eventfold-cli-export-'), 'backup.jsonl');
    const ex = await eventfoldJson(['export', store.dir, '--out', out]);
    expect(ex.code).toBe(0);
    expect(ex.json).toMatchObject({ ok: true, kind: 'store', events: 7, streams: 3, files: 3 });

    const records = jsonl(readFileSync(out, 'utf8'));
    expect(records[0]).toMatchObject({ eventfold_export: 1, source: 'store', order: 'position' });
    const events = records.filter((r) => 'event' in r);
    expect(events.map((r) => r.stream)).toEqual(STORE_EVENTS.flat().map(([s]) => s));
    expect(records.filter((r) => 'file' in r).map((r) => r.file)).toEqual([
      'meta/streams.jsonl',
      'process_managers/deal_tasks/checkpoint.json',
      'process_managers/deal_tasks/dead_letters.jsonl',
    ]);
    expect(records.at(-1)).toEqual({ eventfold_export_end: { events: 7, streams: 3, files: 3 } });

    const into = join(tempDir('eventfold-cli-import-'), 'restored');
    const im = await eventfoldJson(['import', out, '--into', into]);
    expect(im.code).toBe(0);
    expect(im.json).toMatchObject({
      ok: true,
      source: 'store',
      events: 7,
      streams: 3,
      files: 3,
      reserialized: 0,
    });

    const expected = files(store.dir).filter(
      (f) => !f.startsWith('projections') && !f.endsWith('snapshot.json'),
    );
    expect(files(into).filter((f) => !f.endsWith('snapshot.json'))).toEqual(expected);
    for (const f of expected)
      expect(readFileSync(join(into, f)).equals(readFileSync(join(store.dir, f))), f).toBe(true);
    // The batch of deal/d1 kept its marker, so it is still atomic.
    expect(readFileSync(join(into, 'streams', 'deal', 'd1', 'app.jsonl'), 'utf8')).toContain('"more":true');
    // Cursors of the imported process-manager checkpoint are valid on the imported streams.
    expect((await eventfold(['verify', into])).code).toBe(0);
    for (const s of ['contact/c1', 'contact/c2', 'deal/d1']) {
      const [type, id] = s.split('/') as [string, string];
      expect(await viewState(join(into, 'streams', type, id))).toEqual(
        await viewState(join(store.dir, 'streams', type, id)),
      );
    }
  });

  it('writes stream by stream when events carry no meta.position', async () => {
    const dir = join(tempDir('eventfold-cli-plain-'), 'store');
    for (const s of ['b/1', 'a/1']) {
      const w = await EventWriter.open(join(dir, 'streams', ...s.split('/')));
      await w.append(createEvent('E', { s }, { ts: 1 }));
      await w.close();
    }
    const r = await eventfold(['export', dir, '--out', '-']);
    expect(r.code).toBe(0);
    const records = jsonl(r.stdout);
    expect(records[0]).toMatchObject({ source: 'store', order: 'stream' });
    expect(records.filter((x) => 'event' in x).map((x) => x.stream)).toEqual(['a/1', 'b/1']);
    expect(r.stderr).toContain('exported 2 events');
  });
});

describe('export of a store written by core/es', () => {
  it('is in global order by meta.seq (the sequence core/es writes), across interleaved streams', async () => {
    type Counter = { type: 'Add'; n: number };
    const counter: Aggregate<number, Counter, DomainEvent<'Added', { n: number }>> = {
      type: 'counter',
      initialState: () => 0,
      decide: (_s, c) => [{ type: 'Added', data: { n: c.n } }],
      evolve: (s, e) => s + e.data.n,
    };
    const dir = join(tempDir('eventfold-cli-es-'), 'store');
    const store = await AggregateStore.builder(dir).aggregate(counter).open();
    // Streams created in the order b, a, c, then written to in an order that is neither by name nor by stream.
    const writes = ['b', 'a', 'c', 'a', 'b', 'c', 'a', 'b'];
    for (const [i, id] of writes.entries()) await store.execute(counter, id, { type: 'Add', n: i }, {});
    await store.close();

    const out = join(tempDir('eventfold-cli-export-'), 'es.jsonl');
    expect((await eventfold(['export', dir, '--out', out])).code).toBe(0);
    const records = jsonl(readFileSync(out, 'utf8'));
    expect(records[0]).toMatchObject({ source: 'store', order: 'position' });
    const events = records.filter((r) => 'event' in r) as { stream: string; event: Event }[];
    expect(events.map((r) => r.stream)).toEqual(writes.map((id) => `counter/${id}`));
    expect(events.map((r) => (r.event.data as { n: number }).n)).toEqual(writes.map((_, i) => i));
    const seqs = events.map((r) => r.event.meta?.seq as number);
    expect(seqs.every((x) => typeof x === 'number')).toBe(true);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('falls back to stream by stream when an event has neither meta.seq nor meta.position', async () => {
    const store = await makeStore();
    const log = join(store.dir, 'streams', 'contact', 'c2', 'app.jsonl');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0]!) as Event;
    delete first.meta;
    lines[0] = JSON.stringify(first);
    writeFileSync(log, lines.join('\n') + '\n');
    const out = join(tempDir('eventfold-cli-export-'), 'mixed.jsonl');
    expect((await eventfold(['export', store.dir, '--out', out])).code).toBe(0);
    const records = jsonl(readFileSync(out, 'utf8'));
    expect(records[0]).toMatchObject({ order: 'stream' });
    expect(records.filter((r) => 'event' in r).map((r) => r.stream)).toEqual([
      'contact/c1',
      'contact/c1',
      'contact/c1',
      'contact/c2',
      'contact/c2',
      'deal/d1',
      'deal/d1',
    ]);
  });

  it('explains the order in its help', async () => {
    const r = await eventfold(['export', '--help']);
    expect(r.stdout).toContain('meta.seq');
    expect(r.stdout).toContain('meta.position');
  });
});

describe('export then import of a log folder', () => {
  it('the imported app.jsonl is the whole history, byte for byte (archive, then active log)', async () => {
    const dir = await makeLog(3, 2);
    const w = await EventWriter.open(dir);
    await w.appendBatch([
      createEvent('b', { x: 1 }, { ts: 9 }),
      createEvent('b', { x: 'é\u2028' }, { ts: 9 }),
    ]);
    await w.close();
    const out = join(tempDir('eventfold-cli-export-'), 'log.jsonl');
    expect((await eventfold(['export', dir, '--out', out])).code).toBe(0);
    const into = join(tempDir('eventfold-cli-import-'), 'copy');
    mkdirSync(into); // an existing empty folder is fine
    const r = await eventfold(['import', out, '--into', into]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported 7 events into');
    const archived: Buffer[] = [];
    for await (const frame of readArchiveFrames(join(dir, 'archive.jsonl.zst'))) archived.push(frame);
    const history = Buffer.concat([...archived, readFileSync(join(dir, 'app.jsonl'))]);
    expect(readFileSync(join(into, 'app.jsonl')).equals(history)).toBe(true);
    const tail = await eventfold(['tail', into]);
    expect(jsonl(tail.stdout).at(-1)).toEqual({ type: 'b', data: { x: 'é\u2028' }, ts: 9 });
  });
});

describe('export refuses what it cannot do faithfully', () => {
  it('stops at a corrupt line (exit 1) and leaves no file behind', async () => {
    const dir = await makeLog(0, 3);
    replaceLineAt(join(dir, 'app.jsonl'), lineStarts(join(dir, 'app.jsonl'))[1]!, 'garbage');
    const folder = tempDir('eventfold-cli-export-');
    const r = await eventfold(['export', dir, '--out', join(folder, 'x.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Corrupt event at byte');
    expect(readdirSync(folder)).toEqual([]);
  });

  it('does not overwrite an existing file without --force, and needs --out', async () => {
    const dir = await makeLog(0, 1);
    const file = join(tempDir('eventfold-cli-export-'), 'x.jsonl');
    writeFileSync(file, 'keep');
    const r = await eventfold(['export', dir, '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('keep');
    expect((await eventfold(['export', dir, '--out', file, '--force'])).code).toBe(0);
    expect((await eventfold(['export', dir])).code).toBe(2);
  });
});

describe('import refuses bad input and leaves nothing behind', () => {
  async function exported(): Promise<{ file: string; lines: string[] }> {
    const store = await makeStore();
    const file = join(tempDir('eventfold-cli-export-'), 'backup.jsonl');
    await eventfold(['export', store.dir, '--out', file]);
    return { file, lines: readFileSync(file, 'utf8').trimEnd().split('\n') };
  }

  async function refused(lines: string[], message: string): Promise<void> {
    const folder = tempDir('eventfold-cli-import-');
    const file = join(folder, 'bad.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = await eventfold(['import', file, '--into', join(folder, 'target')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(readdirSync(folder)).toEqual(['bad.jsonl']);
  }

  it('a truncated export (no end record)', async () => {
    const { lines } = await exported();
    await refused(lines.slice(0, 4), 'the export is incomplete');
  });

  it('a file that is not an export, and a bad event', async () => {
    await refused(['{"type":"x","data":1,"ts":1}'], 'not an eventfold export');
    const { lines } = await exported();
    const bad = [...lines];
    bad[1] = '{"stream":"contact/c1","event":{"data":1,"ts":1}}';
    await refused(bad, 'line 2: Invalid event: missing string field `type`');
  });

  it('paths that would escape the folder', async () => {
    const { lines } = await exported();
    const escape = [...lines];
    escape[1] = '{"stream":"../x","event":{"type":"E","data":1,"ts":1}}';
    await refused(escape, 'invalid stream name "../x"');
    const file = [lines[0]!, '{"file":"meta/../../evil","text":"x"}', lines.at(-1)!];
    await refused(file, 'refusing to write "meta/../../evil"');
  });

  it('a folder that is not empty', async () => {
    const { file } = await exported();
    const into = tempDir('eventfold-cli-import-');
    writeFileSync(join(into, 'something'), 'x');
    const r = await eventfold(['import', file, '--into', into]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not empty');
    expect(readdirSync(into)).toEqual(['something']);
  });

  it('a reformatted export still imports, with a warning that lines were re-serialized', async () => {
    const { lines } = await exported();
    const swapped = lines.map((l) => {
      const v = JSON.parse(l) as Record<string, unknown>;
      return 'event' in v ? JSON.stringify({ event: v.event, stream: v.stream }) : l;
    });
    const folder = tempDir('eventfold-cli-import-');
    const file = join(folder, 'swapped.jsonl');
    writeFileSync(file, swapped.join('\n') + '\n');
    const r = await eventfold(['import', file, '--into', join(folder, 'target')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('7 events had been reformatted');
    expect(existsSync(join(folder, 'target', 'streams', 'deal', 'd1', 'app.jsonl'))).toBe(true);
  });
});
