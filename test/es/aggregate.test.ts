/**
 * The aggregate side without a store (given/when/then, upcasting helpers) and, through a real store, how a
 * command's context becomes each event's `actor` and `meta`, and what event ids look like.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AggregateStore,
  DomainError,
  contextMeta,
  eventVersion,
  given,
  newEventId,
  toDomainEvent,
  upcastEvent,
  type Aggregate,
  type CommandContext,
  type DomainEvent,
} from '../../core/es/index.js';
import type { Event } from '../../core/log/index.js';
import { counter, tempDir, type CounterEvent } from './fixtures.js';

const inc: CounterEvent = { type: 'Incremented', data: null };
const dec: CounterEvent = { type: 'Decremented', data: null };
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('given/when/then on the counter', () => {
  it('Increment on a new counter produces Incremented', () => {
    const r = given(counter, []).when({ type: 'Increment' });
    expect(r.then([inc])).toEqual([inc]);
    expect(r.state).toEqual({ value: 1 });
    expect(r.error).toBeNull();
  });

  it('Decrement above zero produces Decremented; the state folds past and new events', () => {
    const r = given(counter, [inc, inc]).when({ type: 'Decrement' });
    r.then([dec]);
    expect(r.state).toEqual({ value: 1 });
  });

  it('Decrement at zero fails with AT_ZERO and produces nothing', () => {
    const r = given(counter, [inc, dec]).when({ type: 'Decrement' });
    const err = r.thenFails('AT_ZERO');
    expect(err).toBeInstanceOf(DomainError);
    expect(r.events).toEqual([]);
    expect(r.state).toEqual({ value: 0 });
  });

  it('Add n produces n events; Noop produces none', () => {
    given(counter, [])
      .when({ type: 'Add', n: 3 })
      .then([
        { type: 'Added', data: { n: 1 } },
        { type: 'Added', data: { n: 1 } },
        { type: 'Added', data: { n: 1 } },
      ]);
    expect(given(counter, [inc]).when({ type: 'Noop' }).then([])).toEqual([]);
  });

  it('then and thenFails throw when the outcome differs', () => {
    expect(() => given(counter, []).when({ type: 'Increment' }).then([dec])).toThrow(/expected events/);
    expect(() => given(counter, []).when({ type: 'Increment' }).thenFails('AT_ZERO')).toThrow(
      /expected the command to fail/,
    );
    expect(() => given(counter, []).when({ type: 'Decrement' }).then([dec])).toThrow(/AT_ZERO/);
    expect(() => given(counter, []).when({ type: 'Decrement' }).thenFails('OTHER')).toThrow(
      /expected error OTHER/,
    );
  });

  it('an error other than DomainError is a bug and is rethrown', () => {
    const buggy: Aggregate<null, null, CounterEvent> = {
      type: 'buggy',
      initialState: () => null,
      decide: () => {
        throw new TypeError('boom');
      },
      evolve: (s) => s,
    };
    expect(() => given(buggy, []).when(null)).toThrow(TypeError);
  });

  it('decide gets the id, the version (number of past events) and the clock', () => {
    const seen: unknown[] = [];
    const spy: Aggregate<null, null, CounterEvent> = {
      type: 'spy',
      initialState: () => null,
      decide: (_s, _c, ctx) => {
        seen.push({ id: ctx.id, version: ctx.version, now: ctx.now.toISOString() });
        return [];
      },
      evolve: (s) => s,
    };
    given(spy, [inc, inc], { id: 'x-1', now: new Date('2030-05-05T00:00:00Z') }).when(null);
    expect(seen).toEqual([{ id: 'x-1', version: 2, now: '2030-05-05T00:00:00.000Z' }]);
  });

  it('decide cannot mutate the given state it is passed', () => {
    const mutating: Aggregate<{ list: number[] }, null, DomainEvent<'X', null>> = {
      type: 'mut',
      initialState: () => ({ list: [] }),
      decide: (s) => {
        s.list.push(99);
        return [];
      },
      evolve: (s) => s,
    };
    const g = given(mutating, []);
    expect(g.when(null).state).toEqual({ list: [] });
    expect(g.state).toEqual({ list: [] });
  });
});

describe('eventVersion, toDomainEvent, upcastEvent', () => {
  const ev = (type: string, data: unknown, meta?: Record<string, unknown>): Event => ({
    type,
    data,
    ts: 1,
    id: 'e-1',
    actor: 'ana',
    ...(meta ? { meta } : {}),
  });

  // v1 Bumped {by} -> v2 Added {n} (rename) -> v3 Added {n, note}
  const versioned: Aggregate<number, null, DomainEvent<'Added', { n: number; note: string }>> = {
    type: 'versioned',
    initialState: () => 0,
    decide: () => [],
    evolve: (s, e) => (e.type === 'Added' ? s + e.data.n : s),
    eventVersions: { Added: 3 },
    upcasters: [
      {
        type: 'Bumped',
        fromVersion: 1,
        upcast: (e) => ({ type: 'Added', data: { n: (e.data as { by: number }).by } }),
      },
      {
        type: 'Added',
        fromVersion: 2,
        upcast: (e) => ({ type: 'Added', data: { ...(e.data as object), note: '' } }),
      },
    ],
  };

  it('eventVersion is meta.v, 1 when absent or not a positive integer', () => {
    expect(eventVersion(ev('A', null))).toBe(1);
    expect(eventVersion(ev('A', null, { v: 3 }))).toBe(3);
    for (const bad of [0, -1, 1.5, '2', null]) expect(eventVersion(ev('A', null, { v: bad }))).toBe(1);
  });

  it('toDomainEvent keeps type and data, null for a missing data', () => {
    expect(toDomainEvent(counter, ev('Added', { n: 2 }))).toEqual({ type: 'Added', data: { n: 2 } });
    expect(toDomainEvent(counter, { type: 'Incremented', ts: 1 } as unknown as Event)).toEqual(inc);
  });

  it('toDomainEvent runs the chain from the written version, including a rename', () => {
    expect(toDomainEvent(versioned, ev('Bumped', { by: 4 }))).toEqual({
      type: 'Added',
      data: { n: 4, note: '' },
    });
    expect(toDomainEvent(versioned, ev('Added', { n: 5 }, { v: 2 }))).toEqual({
      type: 'Added',
      data: { n: 5, note: '' },
    });
    const current = { n: 6, note: 'x' };
    expect(toDomainEvent(versioned, ev('Added', current, { v: 3 }))).toEqual({
      type: 'Added',
      data: current,
    });
  });

  it('upcastEvent returns a current-shape log event with the same id, ts, actor and meta, and meta.v set', () => {
    const old = ev('Bumped', { by: 4 }, { correlation_id: 'c', seq: 7 });
    const up = upcastEvent(versioned, old);
    expect(up).toEqual({
      type: 'Added',
      data: { n: 4, note: '' },
      ts: 1,
      id: 'e-1',
      actor: 'ana',
      meta: { correlation_id: 'c', seq: 7, v: 3 },
    });
    expect(old).toEqual(ev('Bumped', { by: 4 }, { correlation_id: 'c', seq: 7 })); // not mutated
  });

  it('upcastEvent returns the same event when nothing applies (or no aggregate is known)', () => {
    const current = ev('Added', { n: 1, note: '' }, { v: 3 });
    expect(upcastEvent(versioned, current)).toBe(current);
    expect(upcastEvent(undefined, current)).toBe(current);
    const plain = ev('Incremented', null);
    expect(upcastEvent(counter, plain)).toBe(plain);
  });
});

describe('context -> actor and meta, through a real store', () => {
  async function written(
    ctx: CommandContext | undefined,
    command: { type: 'Increment' } | { type: 'Add'; n: number } = { type: 'Increment' },
  ): Promise<Event[]> {
    const dir = tempDir();
    const store = await AggregateStore.builder(dir).aggregate(counter).open();
    await store.get(counter, 'c').execute(command, ctx);
    await store.close();
    return readFileSync(join(dir, 'streams/counter/c/app.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);
  }

  it('actor, correlation_id, causation_id and source_device are written; metadata is merged into meta', async () => {
    const [e] = await written({
      actor: 'user:ana',
      correlationId: 'corr-42',
      causationId: 'evt-1',
      sourceDevice: 'device-A',
      metadata: { ui: 'contact-form', nested: { a: [1, 2] } },
    });
    expect(e!.actor).toBe('user:ana');
    expect(e!.meta).toEqual({
      ui: 'contact-form',
      nested: { a: [1, 2] },
      correlation_id: 'corr-42',
      causation_id: 'evt-1',
      source_device: 'device-A',
      seq: 1,
    });
  });

  it('an absent or empty context writes no actor and no context keys in meta (only the global position)', async () => {
    for (const ctx of [undefined, {}]) {
      const [e] = await written(ctx);
      expect('actor' in e!).toBe(false);
      expect(e!.meta).toEqual({ seq: 1 });
    }
  });

  it('the context fields win over metadata keys of the same name', async () => {
    const [e] = await written({ correlationId: 'real', metadata: { correlation_id: 'fake', x: 1 } });
    expect(e!.meta).toMatchObject({ correlation_id: 'real', x: 1 });
  });

  it('metadata cannot set the runtime keys command_id, seq or v', async () => {
    // A metadata `command_id` would make a later command with that id look like a duplicate after a restart,
    // and a metadata `v` would skip upcasters.
    expect(contextMeta({ metadata: { command_id: 'evil', seq: 99, v: 9, ok: true } })).toEqual({ ok: true });
    const [e] = await written({ metadata: { command_id: 'evil', seq: 99, v: 9 } });
    expect(e!.meta).toEqual({ seq: 1 });
  });

  it('a metadata command_id does not turn a later command with that id into a duplicate after a restart', async () => {
    const dir = tempDir();
    let store = await AggregateStore.builder(dir).aggregate(counter).open();
    await store.get(counter, 'c').execute({ type: 'Increment' }, { metadata: { command_id: 'k-1' } });
    await store.close();
    rmSync(join(dir, 'streams/counter/c/views'), { recursive: true }); // replay the log, not the snapshot
    store = await AggregateStore.builder(dir).aggregate(counter).open();
    const r = await store.get(counter, 'c').execute({ type: 'Add', n: 2 }, {}, { commandId: 'k-1' });
    expect(r.duplicate).toBe(false);
    expect(await store.get(counter, 'c').state()).toEqual({ value: 3 });
    await store.close();
  });

  it('every event of a multi-event command carries the same context, and its own id', async () => {
    const events = await written({ actor: 'bulk', correlationId: 'imp-1' }, { type: 'Add', n: 4 });
    expect(events).toHaveLength(4);
    for (const [i, e] of events.entries()) {
      expect(e.actor).toBe('bulk');
      expect(e.meta).toEqual({ correlation_id: 'imp-1', seq: i + 1 });
      expect(e.id).toMatch(UUID_V7);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(4);
  });

  it('a fieldless variant is stored with data: null and ts in Unix seconds from the store clock', async () => {
    const dir = tempDir();
    const store = await AggregateStore.builder(dir)
      .aggregate(counter)
      .options({ clock: () => new Date('2026-03-04T05:06:07.890Z') })
      .open();
    await store.get(counter, 'c').execute({ type: 'Increment' });
    await store.close();
    const line = readFileSync(join(dir, 'streams/counter/c/app.jsonl'), 'utf8').trim();
    expect(line).toMatch(
      /^\{"type":"Incremented","data":null,"ts":1772600767,"id":"[0-9a-f-]{36}","meta":\{"seq":1\}\}$/,
    );
  });
});

describe('event ids', () => {
  it('newEventId gives UUIDv7s, unique and in creation order, even many in one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    for (const id of ids.slice(0, 100)) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('the first 48 bits are the Unix milliseconds', () => {
    const t = Date.now() + 10_000_000; // ahead of every id made so far
    const id = newEventId(t);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBe(t);
  });

  it('ids stay ordered when the clock goes backwards', () => {
    const a = newEventId(Date.now() + 20_000_000);
    const b = newEventId(1_000);
    expect(b > a).toBe(true);
  });

  it('the ids the store writes are UUIDv7, unique, and ordered like the events', async () => {
    const dir = tempDir();
    const store = await AggregateStore.builder(dir).aggregate(counter).open();
    const h = store.get(counter, 'c');
    for (let i = 0; i < 20; i++) await h.execute({ type: 'Add', n: 3 });
    const ids = (await store.readEvents('counter', 'c')).map((e) => e.id!);
    await store.close();
    expect(ids).toHaveLength(60);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(60);
    expect([...ids].sort()).toEqual(ids);
  });
});
