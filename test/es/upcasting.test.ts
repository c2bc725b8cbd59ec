/**
 * Event versioning: old event shapes written straight into a stream's log (as an older app version did) are
 * upcast on every read (aggregate state, readEvents, projections, subscriptions); new events are written with
 * their current version in `meta.v`.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AggregateStore,
  DomainError,
  UnreadableEventError,
  type Aggregate,
  type DomainEvent,
  type Projection,
  type StoredEvent,
} from '../../core/es/index.js';
import { createEvent, EventWriter, type Event } from '../../core/log/index.js';
import { tempDir } from './fixtures.js';

// History of the "ledger" aggregate's deposit event:
//   v1  MoneyIn   { amount: 12.5 }                  (euros, a float)
//   v2  Deposited { amount: 12.5 }                  (renamed)
//   v3  Deposited { cents: 1250, currency: 'EUR' }  (current)
// Withdrawn { cents } never changed (version 1, no meta.v).
type LedgerEvent =
  DomainEvent<'Deposited', { cents: number; currency: string }> | DomainEvent<'Withdrawn', { cents: number }>;
type LedgerCommand = { type: 'Deposit'; cents: number } | { type: 'Withdraw'; cents: number };
interface Ledger {
  cents: number;
  deposits: number;
}

const ledger: Aggregate<Ledger, LedgerCommand, LedgerEvent> = {
  type: 'ledger',
  initialState: () => ({ cents: 0, deposits: 0 }),
  decide(state, cmd) {
    if (cmd.type === 'Deposit') return [{ type: 'Deposited', data: { cents: cmd.cents, currency: 'EUR' } }];
    if (cmd.cents > state.cents) throw new DomainError('INSUFFICIENT', 'Not enough money.');
    return [{ type: 'Withdrawn', data: { cents: cmd.cents } }];
  },
  evolve(state, e) {
    if (e.type === 'Deposited') {
      if (typeof e.data.cents !== 'number' || e.data.currency !== 'EUR') throw new Error('not a v3 deposit');
      return { cents: state.cents + e.data.cents, deposits: state.deposits + 1 };
    }
    if (e.type === 'Withdrawn') return { ...state, cents: state.cents - e.data.cents };
    return state;
  },
  eventVersions: { Deposited: 3 },
  upcasters: [
    { type: 'MoneyIn', fromVersion: 1, upcast: (e) => ({ type: 'Deposited', data: e.data }) },
    {
      type: 'Deposited',
      fromVersion: 2,
      upcast: (e) => {
        const amount = (e.data as { amount: unknown }).amount;
        if (typeof amount !== 'number')
          throw new Error(`a v2 deposit needs a numeric amount, got ${String(amount)}`);
        return { type: 'Deposited', data: { cents: Math.round(amount * 100), currency: 'EUR' } };
      },
    },
  ],
};

/** What a projection saw: every event's type, data and meta.v, and a balance. */
interface Seen {
  balance: number;
  events: { type: string; data: unknown; v: unknown; seq: number }[];
}
const ledgerView: Projection<Seen> = {
  name: 'ledger-view',
  subscriptions: ['ledger'],
  initialState: () => ({ balance: 0, events: [] }),
  apply(s, e: StoredEvent) {
    const data = e.event.data as { cents: number };
    s.balance += e.event.type === 'Deposited' ? data.cents : -data.cents;
    s.events.push({ type: e.event.type, data: e.event.data, v: e.event.meta?.v, seq: e.seq });
    return s;
  },
};

const open = (dir: string): Promise<AggregateStore> =>
  AggregateStore.builder(dir).aggregate(ledger).projection(ledgerView).open();

/** Writes the history of an older app version, raw, through core/log's writer. */
async function writeOldHistory(dir: string, id: string, events: Event[]): Promise<string> {
  const streamDir = join(dir, 'streams/ledger', id);
  mkdirSync(streamDir, { recursive: true });
  const w = await EventWriter.open(streamDir);
  for (const e of events) await w.append(e);
  await w.close();
  return join(streamDir, 'app.jsonl');
}

const oldHistory = (): Event[] => [
  createEvent('MoneyIn', { amount: 12.5 }, { ts: 1700000001, id: 'old-1', actor: 'v1-app' }),
  createEvent('Withdrawn', { cents: 250 }, { ts: 1700000002, id: 'old-2' }),
  createEvent(
    'Deposited',
    { amount: 0.3 },
    { ts: 1700000003, id: 'old-3', meta: { v: 2, correlation_id: 'c-9' } },
  ),
];
const current = [
  { type: 'Deposited', data: { cents: 1250, currency: 'EUR' } },
  { type: 'Withdrawn', data: { cents: 250 } },
  { type: 'Deposited', data: { cents: 30, currency: 'EUR' } },
];

describe('upcasting old events', () => {
  it('state, readEvents and a projection all see the current shapes; the log on disk is untouched', async () => {
    const dir = tempDir();
    const file = await writeOldHistory(dir, 'l-1', oldHistory());
    const before = readFileSync(file, 'utf8');
    const store = await open(dir);
    const h = store.get(ledger, 'l-1');
    expect(await h.state()).toEqual({ cents: 1030, deposits: 2 });
    expect(await h.version()).toBe(3);

    const events = await store.readEvents('ledger', 'l-1');
    expect(events.map((e) => ({ type: e.type, data: e.data }))).toEqual(current);
    // Same id, ts, actor and meta; meta.v is the current version of the type (absent for version 1).
    expect(events[0]).toEqual({
      ...current[0],
      ts: 1700000001,
      id: 'old-1',
      actor: 'v1-app',
      meta: { v: 3 },
    });
    expect(events[1]).toEqual({ ...current[1], ts: 1700000002, id: 'old-2' });
    expect(events[2]).toEqual({
      ...current[2],
      ts: 1700000003,
      id: 'old-3',
      meta: { v: 3, correlation_id: 'c-9' },
    });

    await store.projection(ledgerView).awaitCaughtUp();
    const seen = store.projection<Seen>(ledgerView).state;
    expect(seen.balance).toBe(1030);
    expect(seen.events.map((e) => ({ type: e.type, data: e.data }))).toEqual(current);
    expect(seen.events.map((e) => e.v)).toEqual([3, undefined, 3]);
    await store.close();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('new events are written with meta.v (only for a versioned type), and read back unchanged', async () => {
    const dir = tempDir();
    const file = await writeOldHistory(dir, 'l-1', oldHistory());
    const store = await open(dir);
    const h = store.get(ledger, 'l-1');
    const r = await h.execute({ type: 'Deposit', cents: 500 }, { actor: 'v3-app' });
    expect(r.events).toEqual([{ type: 'Deposited', data: { cents: 500, currency: 'EUR' } }]);
    await h.execute({ type: 'Withdraw', cents: 30 });
    expect(await h.state()).toEqual({ cents: 1500, deposits: 3 });
    await store.projection(ledgerView).awaitCaughtUp();
    expect(store.projection<Seen>(ledgerView).state.balance).toBe(1500);
    await store.close();

    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Event);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatchObject({
      type: 'Deposited',
      data: { cents: 500, currency: 'EUR' },
      meta: { v: 3 },
    });
    expect(lines[4]!.type).toBe('Withdrawn');
    expect('v' in lines[4]!.meta!).toBe(false);

    const again = await open(dir);
    const events = await again.readEvents('ledger', 'l-1');
    expect(events.map((e) => e.type)).toEqual([
      'Deposited',
      'Withdrawn',
      'Deposited',
      'Deposited',
      'Withdrawn',
    ]);
    expect(events[3]!.data).toEqual({ cents: 500, currency: 'EUR' });
    expect(await again.get(ledger, 'l-1').state()).toEqual({ cents: 1500, deposits: 3 });
    await again.close();
  });

  it('a rebuilt projection, a replayed state and a subscription from the start see the same current shapes', async () => {
    const dir = tempDir();
    await writeOldHistory(dir, 'l-1', oldHistory());
    await writeOldHistory(dir, 'l-2', [createEvent('MoneyIn', { amount: 1 }, { ts: 1700000000 })]);
    let store = await open(dir);
    await store.get(ledger, 'l-2').execute({ type: 'Deposit', cents: 7 });
    await store.projection(ledgerView).awaitCaughtUp();
    const live = structuredClone(store.projection<Seen>(ledgerView).state);
    await store.rebuildProjection(ledgerView);
    expect(store.projection<Seen>(ledgerView).state).toEqual(live);
    expect(live.balance).toBe(1030 + 100 + 7);

    const received: { type: string; data: unknown }[] = [];
    const sub = store.subscribe({ types: ['ledger'], from: 0 }, (e) => {
      received.push({ type: e.event.type, data: e.event.data });
    });
    await sub.ready;
    await sub.close();
    expect(received).toEqual(live.events.map((e) => ({ type: e.type, data: e.data })));
    await store.close();

    rmSync(join(dir, 'streams/ledger/l-1/views'), { recursive: true, force: true });
    rmSync(join(dir, 'projections'), { recursive: true });
    store = await open(dir);
    expect(await store.get(ledger, 'l-1').state()).toEqual({ cents: 1030, deposits: 2 });
    await store.projection(ledgerView).awaitCaughtUp();
    expect(store.projection<Seen>(ledgerView).state).toEqual(live);
    await store.close();
  });

  it('an old event its upcaster cannot read is UnreadableEventError for state and commands, and nothing is written', async () => {
    const dir = tempDir();
    const file = await writeOldHistory(dir, 'l-1', [
      createEvent('Deposited', { amount: 'twelve' }, { ts: 1700000003, meta: { v: 2 } }),
    ]);
    const before = readFileSync(file, 'utf8');
    const store = await open(dir);
    const h = store.get(ledger, 'l-1');
    const err = await h.state().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableEventError);
    expect(err).toMatchObject({ stream: 'ledger/l-1', eventType: 'Deposited', offset: 0 });
    expect((err as Error).message).toContain('numeric amount');
    await expect(h.execute({ type: 'Deposit', cents: 1 })).rejects.toBeInstanceOf(UnreadableEventError);
    await store.close();
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
