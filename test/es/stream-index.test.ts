/**
 * The store's stream index (`meta/stream-index.json`): checked against the logs on open, it decides which streams a
 * catch-up reads. A clean reopen reads none; a stale, missing or corrupt index costs reads, never a wrong read model;
 * a stream that lost events rebuilds the read models of its type. After a clean close the next open trusts the index
 * (no `stat` per stream) and checks the logs in the background; a crash is never taken for a clean close.
 */
import { appendFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore, type AnyProjection, type StoreOptions } from '../../core/es/index.js';
import { StreamIndex } from '../../core/es/stream-index.js';
import { StoreLayout } from '../../core/es/layout.js';
import type { Logger } from '../../core/log/index.js';
import { spawnHelper } from '../helpers/child.js';
import { eventfold } from '../cli/helpers.js';
import {
  countedApplies,
  countedTotals,
  counter,
  recordingLogger,
  tempDir,
  totals,
  type Totals,
} from './fixtures.js';

function openStore(
  dir: string,
  o: { projections?: AnyProjection[]; logger?: Logger; options?: StoreOptions } = {},
): Promise<AggregateStore> {
  const b = AggregateStore.builder(dir).aggregate(counter);
  for (const p of o.projections ?? [totals, countedTotals]) b.projection(p);
  if (o.logger) b.logger(o.logger);
  return b.options(o.options ?? {}).open();
}

async function fill(store: AggregateStore, streams: number, perStream: number): Promise<void> {
  for (let round = 0; round < perStream; round++)
    await Promise.all(
      Array.from({ length: streams }, (_, i) => store.get(counter, `c-${i}`).execute({ type: 'Increment' })),
    );
}

const indexFile = (dir: string): string => new StoreLayout(dir).streamIndexFile;

describe('stream index', () => {
  it('after a clean close, reopening reads no stream and applies nothing again', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await fill(s, 20, 3);
    await s.close();
    countedApplies.n = 0;
    s = await openStore(dir);
    expect(s.indexReport).toEqual({ unchanged: 20, grown: 0, readWhole: 0, changed: [], trusted: true });
    expect(countedApplies.n).toBe(0);
    expect(s.projection<Totals>(totals).state.total).toBe(60);
    await s.close();
  });

  it('an index of version 1 (an object keyed by stream, as earlier builds wrote it) is read and trusted; the next save writes version 2', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await fill(s, 5, 2);
    await s.close();
    const v2 = JSON.parse(readFileSync(indexFile(dir), 'utf8')) as {
      version: number;
      token: string;
      keys: string[];
      ends: (number | string)[];
    };
    expect(v2.version).toBe(2);
    expect(v2.ends).toHaveLength(3 * v2.keys.length);
    const streams = Object.fromEntries(v2.keys.map((k, i) => [k, v2.ends.slice(3 * i, 3 * i + 3)]));
    writeFileSync(indexFile(dir), JSON.stringify({ version: 1, token: v2.token, streams }));
    countedApplies.n = 0;
    s = await openStore(dir);
    expect(s.indexReport).toEqual({ unchanged: 5, grown: 0, readWhole: 0, changed: [], trusted: true });
    await s.streamsVerified();
    expect(countedApplies.n).toBe(0);
    await s.get(counter, 'c-0').execute({ type: 'Increment' });
    await s.close();
    expect((JSON.parse(readFileSync(indexFile(dir), 'utf8')) as { version: number }).version).toBe(2);
    s = await openStore(dir);
    expect(s.indexReport.trusted).toBe(true);
    expect(s.projection<Totals>(totals).state.total).toBe(11);
    await s.close();
  });

  it('a stale index (saved before the last commits) costs reads from the recorded ends, and the read models are right', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await fill(s, 10, 2);
    await s.close();
    const checkpoint = join(dir, 'projections', 'counted-totals', 'checkpoint.json');
    const stale = {
      index: readFileSync(indexFile(dir), 'utf8'),
      checkpoint: readFileSync(checkpoint, 'utf8'),
    };
    s = await openStore(dir);
    await s.get(counter, 'c-3').execute({ type: 'Add', n: 5 });
    await s.get(counter, 'c-new').execute({ type: 'Increment' });
    await s.close();
    // As if the process had died before saving the index and that checkpoint again: both are behind the logs.
    writeFileSync(indexFile(dir), stale.index);
    writeFileSync(checkpoint, stale.checkpoint);
    countedApplies.n = 0;
    s = await openStore(dir);
    expect(s.indexReport).toMatchObject({ unchanged: 9, grown: 1, readWhole: 1, changed: [] });
    expect(s.projection<Totals>(totals).state.byId).toMatchObject({ 'c-3': 7, 'c-new': 1 });
    expect(s.projection<Totals>(countedTotals).state).toEqual(s.projection<Totals>(totals).state);
    expect(countedApplies.n).toBe(6); // what came after its checkpoint (Add 5 is five events, then one), nothing else
    await s.close();
  });

  it('a missing or corrupt index is rebuilt from the logs, with a warning for the corrupt one', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await fill(s, 5, 2);
    await s.awaitProjections(); // a command resolves once durable; its projection may still be applying it
    const expected = structuredClone(s.projection<Totals>(totals).state);
    await s.close();
    rmSync(indexFile(dir));
    s = await openStore(dir);
    expect(s.indexReport).toMatchObject({ unchanged: 0, readWhole: 5, changed: [] });
    expect(s.projection<Totals>(totals).state).toEqual(expected);
    await s.close();
    writeFileSync(indexFile(dir), '{"version":1,"streams":');
    const logger = recordingLogger();
    s = await openStore(dir, { logger });
    expect(logger.messages.some((m) => m.includes('stream-index.json is unreadable'))).toBe(true);
    expect(s.projection<Totals>(totals).state).toEqual(expected);
    await s.get(counter, 'c-0').execute({ type: 'Increment' }, {}, { waitForProjections: true });
    expect(s.projection<Totals>(totals).state.byId['c-0']).toBe(3);
    await s.close();
    expect(JSON.parse(readFileSync(indexFile(dir), 'utf8'))).toMatchObject({ version: 2 });
  });

  it('a stream that lost events it had (a truncated log) is reported, and the read models of its type rebuild', async () => {
    const dir = tempDir();
    let s = await openStore(dir);
    await fill(s, 3, 3);
    await s.close();
    const log = join(dir, 'streams', 'counter', 'c-1', 'app.jsonl');
    const text = readFileSync(log, 'utf8');
    truncateSync(log, text.indexOf('\n') + 1);
    const logger = recordingLogger();
    s = await openStore(dir, { logger });
    await s.streamsVerified(); // a clean close came before: the logs are checked in the background
    expect(s.indexReport.changed).toEqual([
      { stream: 'counter/c-1', reason: expect.stringContaining('its last event is now at position') },
    ]);
    expect(s.projection<Totals>(totals).state.byId).toEqual({ 'c-0': 3, 'c-1': 1, 'c-2': 3 });
    expect(logger.messages.some((m) => m.startsWith('totals: counter/c-1') && m.includes('rebuilding'))).toBe(
      true,
    );
    await s.close();
    // Rebuilt and saved: the next open has nothing to rebuild.
    const quiet = recordingLogger();
    s = await openStore(dir, { logger: quiet });
    expect(quiet.messages.filter((m) => m.includes('rebuilding'))).toEqual([]);
    expect(s.projection<Totals>(totals).state.byId).toEqual({ 'c-0': 3, 'c-1': 1, 'c-2': 3 });
    await s.close();
  });

  it('a stream whose log cannot be read is read again by every catch-up, so its error is not hidden', async () => {
    const dir = tempDir();
    let s = await openStore(dir, { projections: [totals] });
    await fill(s, 2, 1);
    await s.close();
    rmSync(indexFile(dir));
    rmSync(join(dir, 'projections'), { recursive: true });
    appendFileSync(join(dir, 'streams', 'counter', 'c-1', 'app.jsonl'), 'not json\n');
    const logger = recordingLogger();
    s = await openStore(dir, { projections: [totals], logger, options: { retryMs: 60_000 } });
    expect(logger.messages.some((m) => m.startsWith('counter/c-1: its log could not be read'))).toBe(true);
    expect(s.metrics().projections[0]).toMatchObject({ name: 'totals', status: 'stalled' });
    await s.close();
  });

  it('streamsAfter lists the streams with an event after a position (and every stream for position 0)', async () => {
    const dir = tempDir();
    const s = await openStore(dir, { projections: [] });
    await fill(s, 4, 1); // positions 1..4, one per stream
    await s.get(counter, 'c-2').execute({ type: 'Increment' }); // position 5
    const position = s.position;
    await s.close();
    const layout = new StoreLayout(dir);
    const streams = {
      types: () => ['counter'],
      ids: (t: string) => (t === 'counter' ? ['c-0', 'c-1', 'c-2', 'c-3'] : []),
      streamDir: (t: string, id: string) => layout.streamDir(t, id),
    };
    const index = await StreamIndex.open(indexFile(dir), streams, recordingLogger());
    expect(index.streamsAfter(['counter'], position)).toEqual([]);
    expect(index.streamsAfter(['counter'], position - 1)).toEqual([['counter', 'c-2']]);
    expect(index.streamsAfter(['counter'], 0)).toHaveLength(4);
    expect(index.streamsAfter(['other'], 0)).toEqual([]);
    expect(index.maxSeq()).toBe(position);
  });

  describe('after a clean close', () => {
    const marker = (dir: string): string => new StoreLayout(dir).cleanCloseFile;

    it('the next open trusts the index (the marker is removed first), and checks the logs in the background', async () => {
      const dir = tempDir();
      let s = await openStore(dir);
      await fill(s, 5, 2);
      await s.close();
      const token = (JSON.parse(readFileSync(marker(dir), 'utf8')) as { token: string }).token;
      expect((JSON.parse(readFileSync(indexFile(dir), 'utf8')) as { token: string }).token).toBe(token);
      // Edited by hand while the store was closed: c-4's last event becomes a decrement (a longer line).
      const log = join(dir, 'streams', 'counter', 'c-4', 'app.jsonl');
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
      lines[1] = lines[1]!
        .replace('"Incremented"', '"Decremented"')
        .replace('"data":null', '"data":{"edited":1}');
      writeFileSync(log, lines.join('\n') + '\n');

      const logger = recordingLogger();
      s = await openStore(dir, { logger });
      expect(existsSync(marker(dir))).toBe(false);
      expect(s.indexReport.trusted).toBe(true);
      await s.streamsVerified();
      expect(s.projection<Totals>(totals).state.byId['c-4']).toBe(0);
      expect(s.indexReport.changed.map((c) => c.stream)).toEqual(['counter/c-4']);
      expect(
        logger.messages.some((m) => m.startsWith('totals: counter/c-4') && m.includes('rebuilding')),
      ).toBe(true);
      await s.close();
      s = await openStore(dir);
      await s.streamsVerified();
      expect(s.projection<Totals>(totals).state.byId['c-4']).toBe(0);
      await s.close();
    });

    it('a session that crashed is never taken for a clean close: every stream is checked on open', async () => {
      const dir = tempDir();
      const s = await openStore(dir);
      await fill(s, 3, 1);
      await s.close();
      const child = spawnHelper('../es/es-child.ts', ['hold', dir]);
      await child.waitFor((l) => l.startsWith('ready '));
      child.child.kill('SIGKILL');
      await child.exited;
      expect(existsSync(marker(dir))).toBe(false);
      truncateSync(join(dir, 'streams', 'counter', 'c-1', 'app.jsonl'), 0);
      const again = await openStore(dir);
      expect(again.indexReport).toMatchObject({ trusted: false, unchanged: 2 });
      expect(again.indexReport.changed.map((c) => c.stream)).toEqual(['counter/c-1']);
      await again.close();
    });

    it('a CLI command that takes the store lock removes the marker: the logs may change under it', async () => {
      const dir = tempDir();
      const s = await openStore(dir);
      await fill(s, 2, 2);
      await s.close();
      expect(existsSync(marker(dir))).toBe(true);
      const r = await eventfold(['rotate', dir, '--stream', 'counter/c-1']);
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(marker(dir))).toBe(false);
      const again = await openStore(dir);
      expect(again.indexReport.trusted).toBe(false);
      expect(again.projection<Totals>(totals).state.total).toBe(4);
      await again.close();
    });
  });
});
