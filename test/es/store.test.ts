/**
 * AggregateStore on real temp dirs: round trips, the exact files on disk (eventfold-es 0.2 layout), reads that
 * create nothing, enumeration, reopen, the store lock (same process and a real second process), bad ids, a
 * stream folder deleted by hand, and unknown names.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AggregateStore,
  EventfoldStoreLockedError,
  InvalidStreamIdError,
  StreamNotFoundError,
  UnknownNameError,
} from '../../core/es/index.js';
import type { Event } from '../../core/log/index.js';
import { spawnHelper, straceWorks, tsNodeArgs } from '../helpers/child.js';
import { counter, inbox, tempDir } from './fixtures.js';

const open = (dir: string): Promise<AggregateStore> =>
  AggregateStore.builder(dir).aggregate(counter).aggregate(inbox).open();

/** Every file and folder under `dir`, relative, sorted (the store's lock folder excluded). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      out.push(relative(dir, p) + (e.isDirectory() ? '/' : ''));
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('round trip and the files on disk', () => {
  it('writes app.jsonl lines with id, actor, meta.seq and meta.correlation_id, and reads them back', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const h = store.get(counter, 'c-1');
    await h.execute({ type: 'Increment' }, { actor: 'user:ana', correlationId: 'corr-1' });
    await h.execute({ type: 'Add', n: 2 }, { actor: 'user:bob', correlationId: 'corr-2' });
    expect(await h.state()).toEqual({ value: 3 });
    expect(await h.version()).toBe(3);

    const file = join(dir, 'streams/counter/c-1/app.jsonl');
    const written = lines(file);
    expect(written.map((l) => [l.type, l.data, l.actor, (l.meta as Event['meta'])!])).toEqual([
      ['Incremented', null, 'user:ana', { correlation_id: 'corr-1', seq: 1 }],
      ['Added', { n: 1 }, 'user:bob', { correlation_id: 'corr-2', seq: 2 }],
      ['Added', { n: 1 }, 'user:bob', { correlation_id: 'corr-2', seq: 3 }],
    ]);
    for (const l of written) {
      expect(typeof l.id).toBe('string');
      expect(Number.isInteger(l.ts)).toBe(true);
    }
    // The same events come back from readEvents (without the batch marker).
    const read = await store.readEvents('counter', 'c-1');
    expect(read.map((e) => ({ ...e }))).toEqual(written.map(({ more: _more, ...e }) => e));
    await store.close();

    // After close: the aggregate state snapshot is the state, at the end of the log.
    const snap = JSON.parse(
      readFileSync(join(dir, 'streams/counter/c-1/views/state.snapshot.json'), 'utf8'),
    ) as {
      state: unknown;
      offset: number;
      hash: string;
    };
    expect(snap.state).toEqual({ value: 3 });
    expect(snap.offset).toBe(statSync(file).size);
    expect(snap.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('meta/streams.jsonl has one {"id","ts","type"} line per stream, keys sorted, in creation order', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.get(counter, 'b').execute({ type: 'Increment' });
    await store.get(counter, 'a').execute({ type: 'Increment' });
    await store.get(counter, 'b').execute({ type: 'Increment' });
    await store.get(inbox, 'a').execute({ type: 'Receive', from: 'x' });
    await store.close();
    const again = await open(dir); // reopening adds nothing
    await again.get(counter, 'a').execute({ type: 'Increment' });
    await again.close();
    const text = readFileSync(join(dir, 'meta/streams.jsonl'), 'utf8');
    const rows = text.split('\n').filter((l) => l !== '');
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^\{"id":"[^"]+","ts":\d+,"type":"[^"]+"\}$/);
    expect(
      rows.map((r) => JSON.parse(r) as { id: string; type: string }).map((r) => `${r.type}/${r.id}`),
    ).toEqual(['counter/b', 'counter/a', 'inbox/a']);
    const ts = (JSON.parse(rows[0]!) as { ts: number }).ts;
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(3600); // seconds, not milliseconds
  });

  it('the layout is the eventfold-es one: streams/<type>/<id>/{app.jsonl,views/}, meta/streams.jsonl', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.get(counter, 'c-1').execute({ type: 'Increment' });
    await store.close();
    expect(tree(dir)).toEqual([
      'meta/',
      'meta/clean-close.json',
      'meta/journal.jsonl',
      'meta/sequence.json',
      'meta/stream-index.json',
      'meta/streams.jsonl',
      'streams/',
      'streams/counter/',
      'streams/counter/c-1/',
      'streams/counter/c-1/app.jsonl',
      'streams/counter/c-1/views/',
      'streams/counter/c-1/views/es.snapshot.json',
      'streams/counter/c-1/views/state.snapshot.json',
    ]);
  });

  it('state survives a reopen, and new events continue the version and the global position', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'c').execute({ type: 'Add', n: 5 });
    await store.get(counter, 'd').execute({ type: 'Increment' });
    await store.close();
    store = await open(dir);
    expect(await store.get(counter, 'c').state()).toEqual({ value: 5 });
    expect(await store.get(counter, 'd').version()).toBe(1);
    const r = await store.get(counter, 'c').execute({ type: 'Decrement' });
    expect(r.version).toBe(6);
    expect(r.position).toBeGreaterThan(6);
    expect(await store.get(counter, 'c').state()).toEqual({ value: 4 });
    await store.close();
  });

  it('two aggregate types coexist, with the same ids, each listed only under its type', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.get(counter, 'x').execute({ type: 'Increment' });
    await store.get(inbox, 'x').execute({ type: 'Receive', from: 'ana' });
    await store.get(inbox, 'y').execute({ type: 'Receive', from: 'bob' });
    expect(await store.get(counter, 'x').state()).toEqual({ value: 1 });
    expect(await store.get(inbox, 'x').state()).toEqual({ received: ['ana'] });
    expect(store.list(counter)).toEqual(['x']);
    expect(store.list(inbox)).toEqual(['x', 'y']);
    expect(store.list('inbox')).toEqual(['x', 'y']);
    expect((await store.readEvents('inbox', 'x')).map((e) => e.type)).toEqual(['Received']);
    await store.close();
  });
});

describe('durability of the registry and the global position', () => {
  const canStrace = straceWorks();

  it.skipIf(!canStrace)(
    'the registry line of a new stream is written and fdatasynced (traced in a real process)',
    () => {
      const dir = tempDir();
      const trace = join(dir, '..', `${dir.split('/').at(-1)}.trace`);
      const run = spawnSync(
        'strace',
        [
          '-f',
          '-qq',
          '-s',
          '256',
          '-e',
          'trace=openat,write,pwrite64,fsync,fdatasync,close',
          '-o',
          trace,
          process.execPath,
          ...tsNodeArgs('../es/es-child.ts', ['exec', dir, 'c-1', 'k-1', '2']),
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.stdout).toContain('result ');
      const registry = join(dir, 'meta/streams.jsonl');
      const fds = new Set<string>();
      const events: string[] = [];
      for (const line of readFileSync(trace, 'utf8').split('\n')) {
        // Threads of one process share descriptors (the async write and sync run on libuv's pool): key by fd.
        let m: RegExpExecArray | null;
        if ((m = /openat\(AT_FDCWD, "([^"]+)", [^)]*\) = (\d+)/.exec(line))) {
          if (m[1] === registry) fds.add(m[2]!);
          else fds.delete(m[2]!);
        } else if ((m = /^\S+\s+close\((\d+)\)/.exec(line))) {
          if (fds.delete(m[1]!)) events.push('close');
        } else if ((m = /^\S+\s+p?write(?:64)?\((\d+), "((?:[^"\\]|\\.)*)"/.exec(line)) && fds.has(m[1]!)) {
          events.push(`write ${m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))}`);
        } else if ((m = /^\S+\s+f(?:data)?sync\((\d+)/.exec(line)) && fds.has(m[1]!)) {
          events.push('sync');
        }
      }
      rmSync(trace, { force: true });
      expect(events).toEqual([
        expect.stringMatching(/^write \{"id":"c-1","ts":\d+,"type":"counter"\}\n$/),
        'sync',
        'close',
      ]);
    },
  );

  it.skipIf(!canStrace)(
    "a new stream's folder names are fsynced before the commit journal lets go of its entries (traced)",
    () => {
      // The journal, not the writer, syncs a new stream's folders (its entries say the log is new until then):
      // every folder entry made for the log must be synced before the journal starts over (its header rewrite).
      const dir = tempDir();
      const trace = join(dir, '..', `${dir.split('/').at(-1)}.names.trace`);
      const run = spawnSync(
        'strace',
        [
          ...['-f', '-qq', '-s', '64', '-e', 'trace=openat,mkdir,fsync,pwrite64', '-o', trace],
          process.execPath,
          ...tsNodeArgs('../es/es-child.ts', ['exec', dir, 'c-1', 'k-1', '2']),
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.stdout).toContain('result ');
      const journal = join(dir, 'meta/journal.jsonl');
      const streams = join(dir, 'streams');
      const fdPath = new Map<string, string>();
      const pending = new Set<string>();
      const made: string[] = [];
      let startsOver = 0;
      let journalEntries = false;
      for (const line of readFileSync(trace, 'utf8').split('\n')) {
        let m: RegExpExecArray | null;
        if ((m = /openat\(AT_FDCWD, "([^"]+)", ([A-Z_|]+)[^)]*\) = (\d+)/.exec(line))) {
          fdPath.set(m[3]!, m[1]!);
          if (m[1]!.startsWith(streams) && m[1]!.endsWith('/app.jsonl') && m[2]!.includes('O_CREAT'))
            pending.add(dirname(m[1]!));
        } else if ((m = /mkdir\("([^"]+)", \d+\)\s+= 0/.exec(line)) && m[1]!.startsWith(streams)) {
          if (!m[1]!.endsWith('/views')) pending.add(dirname(m[1]!)); // views/ holds caches only
          made.push(m[1]!.slice(dir.length));
        } else if ((m = /\sfsync\((\d+)/.exec(line))) {
          pending.delete(fdPath.get(m[1]!) ?? '');
        } else if ((m = /pwrite64\((\d+), "(.)(?:[^"\\]|\\.)*"\.*, \d+, (\d+)\)/.exec(line))) {
          if (fdPath.get(m[1]!) !== journal) continue;
          if (m[3] !== '0') journalEntries = true;
          else if (m[2] === '{' && journalEntries) {
            startsOver++;
            expect([...pending]).toEqual([]);
          }
        }
      }
      rmSync(trace, { force: true });
      expect(made).toEqual([
        '/streams',
        '/streams/counter',
        '/streams/counter/c-1',
        '/streams/counter/c-1/views',
      ]);
      expect(startsOver).toBeGreaterThan(0);
      expect([...pending]).toEqual([]);
    },
  );

  it('a missing or corrupt meta/sequence.json resumes positions above every one written', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'a').execute({ type: 'Add', n: 3 });
    await store.get(counter, 'b').execute({ type: 'Add', n: 2 });
    await store.close();
    rmSync(join(dir, 'meta/sequence.json'));
    store = await open(dir);
    const r1 = await store.get(counter, 'a').execute({ type: 'Increment' });
    expect(r1.position).toBeGreaterThan(5);
    await store.close();
    writeFileSync(join(dir, 'meta/sequence.json'), '{"leased":');
    store = await open(dir);
    const r2 = await store.get(counter, 'b').execute({ type: 'Increment' });
    expect(r2.position).toBeGreaterThan(r1.position);
    await store.close();
  });

  it('positions after a reopen are above the previous lease (no reuse, even of unwritten ones)', async () => {
    const dir = tempDir();
    let store = await open(dir);
    const r1 = await store.get(counter, 'a').execute({ type: 'Increment' });
    await store.close();
    const { leased } = JSON.parse(readFileSync(join(dir, 'meta/sequence.json'), 'utf8')) as {
      leased: number;
    };
    expect(leased).toBeGreaterThanOrEqual(r1.position);
    store = await open(dir);
    const r2 = await store.get(counter, 'a').execute({ type: 'Increment' });
    expect(r2.position).toBeGreaterThan(leased);
    await store.close();
  });
});

describe('reads create nothing', () => {
  it('get of an unknown id, then state() and version(), creates nothing on disk, before or after close', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const before = tree(dir);
    const h = store.get(counter, 'never-written');
    expect(await h.state()).toEqual({ value: 0 });
    expect(await h.version()).toBe(0);
    expect(tree(dir)).toEqual(before);
    expect(store.list(counter)).toEqual([]);
    await expect(store.readEvents('counter', 'never-written')).rejects.toBeInstanceOf(StreamNotFoundError);
    await store.close();
    expect(existsSync(join(dir, 'streams/counter'))).toBe(false);
    expect(existsSync(join(dir, 'meta/streams.jsonl'))).toBe(false);
  });

  it('a command that produces no event creates no stream', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const r = await store.get(counter, 'noop').execute({ type: 'Noop' });
    expect(r).toEqual({ events: [], version: 0, position: 0, duplicate: false });
    await store.close();
    expect(existsSync(join(dir, 'streams/counter/noop'))).toBe(false);
    expect(existsSync(join(dir, 'meta/streams.jsonl'))).toBe(false);
  });
});

describe('enumeration and raw reads', () => {
  it('list and listStreams are sorted (by type, then id), and listStreams filters by type', async () => {
    const dir = tempDir();
    let store = await open(dir);
    for (const id of ['m', 'b', 'z', 'a-10', 'a-2'])
      await store.get(counter, id).execute({ type: 'Increment' });
    for (const id of ['q', 'c']) await store.get(inbox, id).execute({ type: 'Receive', from: 'x' });
    const check = (s: AggregateStore): void => {
      expect(s.list(counter)).toEqual(['a-10', 'a-2', 'b', 'm', 'z']);
      expect(s.listStreams()).toEqual([
        ...['a-10', 'a-2', 'b', 'm', 'z'].map((id) => ({ type: 'counter', id })),
        { type: 'inbox', id: 'c' },
        { type: 'inbox', id: 'q' },
      ]);
      expect(s.listStreams('inbox')).toEqual([
        { type: 'inbox', id: 'c' },
        { type: 'inbox', id: 'q' },
      ]);
      expect(s.listStreams('nothing')).toEqual([]);
    };
    check(store);
    await store.close();
    store = await open(dir);
    check(store);
    await store.close();
  });

  it('an empty store lists nothing', async () => {
    const store = await open(tempDir());
    expect(store.listStreams()).toEqual([]);
    expect(store.list(counter)).toEqual([]);
    await store.close();
  });

  it('readEvents returns every event in order; a missing stream or type is StreamNotFoundError', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.get(counter, 'c').execute({ type: 'Increment' });
    await store.get(counter, 'c').execute({ type: 'Add', n: 2 });
    await store.get(counter, 'c').execute({ type: 'Decrement' });
    expect((await store.readEvents('counter', 'c')).map((e) => e.type)).toEqual([
      'Incremented',
      'Added',
      'Added',
      'Decremented',
    ]);
    const err = await store.readEvents('counter', 'missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamNotFoundError);
    expect((err as Error).message).toContain('counter/missing');
    await expect(store.readEvents('nope', 'c')).rejects.toBeInstanceOf(StreamNotFoundError);
    await store.close();
  });

  it('readStream reads committed events straight from the log, with stream and position, opening no actor', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.get(counter, 'c').execute({ type: 'Add', n: 2 });
    await store.get(counter, 'd').execute({ type: 'Increment' });
    const before = store.metrics().actors;
    await store.close();
    const again = await open(dir);
    const events = await again.readStream('counter', 'c');
    expect(events.map((e) => [e.stream, e.event.type])).toEqual([
      ['counter/c', 'Added'],
      ['counter/c', 'Added'],
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((e) => e.event.meta?.seq));
    expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
    expect(again.metrics().actors).toBe(0);
    expect(before).toBe(2);
    expect(await again.readStream('counter', 'missing')).toEqual([]);
    await again.close();
  });

  it('readEvents works for a type whose aggregate is not registered in this session', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'c').execute({ type: 'Add', n: 2 });
    await store.close();
    store = await AggregateStore.open(dir);
    expect((await store.readEvents('counter', 'c')).map((e) => e.type)).toEqual(['Added', 'Added']);
    expect(store.listStreams()).toEqual([{ type: 'counter', id: 'c' }]);
    await store.close();
  });
});

describe('the store lock', () => {
  it('a second open in this process fails with EventfoldStoreLockedError naming the folder; after close it opens', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventfoldStoreLockedError);
    expect((err as EventfoldStoreLockedError).dir).toBe(dir);
    expect((err as Error).message).toContain(dir);
    expect((err as EventfoldStoreLockedError).owner?.pid).toBe(process.pid);
    // The first store is unaffected.
    await store.get(counter, 'c').execute({ type: 'Increment' });
    await store.close();
    const again = await open(dir);
    expect(await again.get(counter, 'c').state()).toEqual({ value: 1 });
    await again.close();
  });

  it('a second open from another process fails while this one holds it, and close releases it', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const child = spawnHelper('../es/es-child.ts', ['open', dir]);
    const line = await child.waitFor((l) => l.startsWith('locked ') || l === 'opened');
    await child.exited;
    expect(line.startsWith('locked EventfoldStoreLockedError ')).toBe(true);
    expect(line).toContain(dir);
    expect(line).toContain(`process ${process.pid}`);
    await store.close();
    expect(existsSync(join(dir, 'meta/store.lock'))).toBe(false); // released for any process
  });

  it('while another process holds it, this one fails with EventfoldStoreLockedError naming the folder and pid', async () => {
    const dir = tempDir();
    const child = spawnHelper('../es/es-child.ts', ['hold', dir]);
    try {
      const ready = await child.waitFor((l) => l.startsWith('ready '));
      const pid = Number(ready.split(' ')[1]);
      const err = await open(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventfoldStoreLockedError);
      expect((err as Error).message).toContain(dir);
      expect((err as EventfoldStoreLockedError).owner?.pid).toBe(pid);
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
    }
    // The holder died: its lock is stale and is taken over at once.
    const store = await open(dir);
    await store.close();
  });
});

describe('bad input', () => {
  const bad = ['../x', 'a/b', '', 'con', '..', 'a\\b', 'nul.txt', 'x\u0000y', 'trailing.'];

  it.each(bad)('id %j is refused with InvalidStreamIdError and touches nothing', async (id) => {
    const dir = tempDir();
    const store = await open(dir);
    const before = tree(dir);
    expect(() => store.get(counter, id)).toThrow(InvalidStreamIdError);
    await expect(store.execute(counter, id, { type: 'Increment' })).rejects.toBeInstanceOf(
      InvalidStreamIdError,
    );
    await expect(
      store.dispatch({ aggregateType: 'counter', instanceId: id, command: { type: 'Increment' } }),
    ).rejects.toBeInstanceOf(InvalidStreamIdError);
    await expect(
      store.injectEvent(counter, id, { type: 'Incremented', data: null, ts: 1, id: 'e-1' }),
    ).rejects.toBeInstanceOf(InvalidStreamIdError);
    expect(tree(dir)).toEqual(before);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(existsSync(join(dir, 'streams/x'))).toBe(false);
    await store.close();
  });

  it('an aggregate type that cannot be a folder name is refused', async () => {
    const store = await open(tempDir());
    expect(() => store.get({ ...counter, type: '../evil' }, 'c')).toThrow(InvalidStreamIdError);
    await store.close();
  });

  it('dispatch to an unknown aggregate type is UnknownNameError listing the known ones, and writes nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    const before = tree(dir);
    const err = await store
      .dispatch({ aggregateType: 'ghost', instanceId: 'g-1', command: { type: 'Boo' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownNameError);
    expect((err as UnknownNameError).unknown).toBe('ghost');
    expect((err as UnknownNameError).known).toEqual(['counter', 'inbox']);
    expect(tree(dir)).toEqual(before);
    await store.close();
  });

  it('dispatch of an unknown command to a known type is refused by parseCommand and writes nothing', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await expect(
      store.dispatch({ aggregateType: 'counter', instanceId: 'c', command: { type: 'Explode' } }),
    ).rejects.toThrow(/not a counter command/);
    expect(store.list(counter)).toEqual([]);
    expect(existsSync(join(dir, 'streams/counter'))).toBe(false);
    await store.close();
  });

  it('a stream folder copied in while the store is closed is registered and indexed by the check after a clean close', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'keep').execute({ type: 'Add', n: 2 });
    await store.close();
    cpSync(join(dir, 'streams/counter/keep'), join(dir, 'streams/counter/copy'), { recursive: true });
    store = await open(dir);
    await store.streamsVerified();
    expect(store.list(counter)).toEqual(['copy', 'keep']);
    expect((await store.readEvents('counter', 'copy')).map((e) => e.type)).toEqual(['Added', 'Added']);
    expect(readFileSync(join(dir, 'meta/streams.jsonl'), 'utf8')).toContain('"id":"copy"');
    const r = await store.get(counter, 'copy').execute({ type: 'Increment' });
    expect(r.version).toBe(3);
    await store.close();
    store = await open(dir);
    expect(await store.get(counter, 'copy').state()).toEqual({ value: 3 });
    await store.close();
  });

  it('a stream folder deleted by hand while the store is closed is simply gone on reopen', async () => {
    const dir = tempDir();
    let store = await open(dir);
    await store.get(counter, 'keep').execute({ type: 'Increment' });
    await store.get(counter, 'gone').execute({ type: 'Add', n: 3 });
    await store.close();
    rmSync(join(dir, 'streams/counter/gone'), { recursive: true });
    store = await open(dir);
    // After a clean close the folders are compared with the index in the background.
    await store.streamsVerified();
    expect(store.list(counter)).toEqual(['keep']);
    expect(store.listStreams()).toEqual([{ type: 'counter', id: 'keep' }]);
    await expect(store.readEvents('counter', 'gone')).rejects.toBeInstanceOf(StreamNotFoundError);
    expect(await store.get(counter, 'gone').state()).toEqual({ value: 0 });
    // It can be written again from scratch.
    const r = await store.get(counter, 'gone').execute({ type: 'Increment' });
    expect(r.version).toBe(1);
    expect(store.list(counter)).toEqual(['gone', 'keep']);
    await store.close();
    store = await open(dir);
    expect(await store.get(counter, 'gone').state()).toEqual({ value: 1 });
    expect(await store.get(counter, 'keep').state()).toEqual({ value: 1 });
    await store.close();
  });
});
