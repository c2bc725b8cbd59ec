/**
 * Live subscriptions and commit listeners on real store folders: global order, replay from a position without a
 * gap or a duplicate, back-pressure, close, onCommit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { AggregateStore, seqOf, type StoredEvent, type Subscription } from '../../core/es/index.js';
import { counter, inbox, recordingLogger, tempDir, type RecordingLogger } from './fixtures.js';

function open(dir: string, logger?: RecordingLogger): Promise<AggregateStore> {
  const b = AggregateStore.builder(dir).aggregate(counter).aggregate(inbox);
  if (logger) b.logger(logger);
  return b.open();
}

/** Runs `n` commands at once over counters c-0..c-(streams-1) and inboxes. */
function burst(s: AggregateStore, n: number, streams = 8, tag = 'x'): Promise<unknown> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      i % 4 === 3
        ? s.get(inbox, `in-${i % streams}`).execute({ type: 'Receive', from: `${tag}${i}` })
        : s
            .get(counter, `c-${i % streams}`)
            .execute(i % 5 === 0 ? { type: 'Add', n: 2 } : { type: 'Increment' }),
    ),
  );
}

/** Every committed position of `types` (all when omitted), from the logs, ascending. */
async function positionsOnDisk(s: AggregateStore, types?: string[], after = 0): Promise<number[]> {
  const out: number[] = [];
  for (const { type, id } of s.listStreams())
    if (!types || types.includes(type))
      for (const e of await s.readEvents(type, id)) if (seqOf(e) > after) out.push(seqOf(e));
  return out.sort((a, b) => a - b);
}

async function delivered(sub: Subscription, s: AggregateStore): Promise<void> {
  await sub.ready;
  await vi.waitFor(() => expect(sub.position).toBeGreaterThanOrEqual(s.position), {
    timeout: 10_000,
    interval: 2,
  });
}

describe('subscribe', () => {
  it('delivers new events of the given types in global order (and every type without types)', async () => {
    const dir = tempDir();
    const s = await open(dir);
    await burst(s, 10, 4, 'before'); // before the subscription: not delivered
    const start = s.position;
    const counters: StoredEvent[] = [];
    const everything: number[] = [];
    const subCounters = s.subscribe({ types: ['counter'] }, (e) => void counters.push(e));
    const subAll = s.subscribe({}, (e) => void everything.push(e.seq));
    await Promise.all([subCounters.ready, subAll.ready]);
    await burst(s, 120);
    await delivered(subCounters, s);
    await delivered(subAll, s);

    expect(counters.every((e) => e.aggregateType === 'counter' && e.stream === `counter/${e.streamId}`)).toBe(
      true,
    );
    expect(counters.map((e) => e.seq)).toEqual(await positionsOnDisk(s, ['counter'], start));
    expect(everything).toEqual(await positionsOnDisk(s, undefined, start));
    expect(counters[0]!.event.id).toBeTypeOf('string');
    await subCounters.close();
    await subAll.close();
    await s.close();
  });

  it('with from: replays the events after it from disk, then live, without a gap or a duplicate', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await burst(s, 40);
    const from = s.position - 15;
    await s.close();
    s = await open(dir); // the replay comes from the logs, not from memory

    const seen: number[] = [];
    const sub = s.subscribe({ from }, async (e) => {
      seen.push(e.seq);
      if (e.seq <= from + 15) await sleep(1); // a slow replay: commands land while it runs
    });
    await Promise.all([burst(s, 60, 8, 'during'), sub.ready]);
    await burst(s, 30, 8, 'after');
    await delivered(sub, s);
    expect(seen).toEqual(await positionsOnDisk(s, undefined, from));
    expect(new Set(seen).size).toBe(seen.length);
    await sub.close();
    await s.close();
  });

  it('back-pressure: a slow async handler with a small maxQueued gets every event once, in order, one at a time', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const seen: number[] = [];
    let running = 0;
    let overlapped = false;
    const sub = s.subscribe({ types: ['counter'], maxQueued: 2 }, async (e) => {
      if (running++ > 0) overlapped = true;
      await sleep(1);
      seen.push(e.seq);
      running--;
    });
    await sub.ready;
    await burst(s, 100, 10);
    await burst(s, 100, 10, 'again');
    await delivered(sub, s);
    expect(overlapped).toBe(false);
    expect(seen).toEqual(await positionsOnDisk(s, ['counter']));
    await sub.close();
    await s.close();
  });

  it('a handler that throws is retried by itself and then gets every event exactly once, in order', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await burst(s, 30);
    await s.close();
    s = await AggregateStore.builder(dir).aggregate(counter).aggregate(inbox).options({ retryMs: 5 }).open();
    const seen: number[] = [];
    let failures = 3; // fails on the 10th event, three times: once in the replay, then after each retry
    const sub = s.subscribe({ from: 0 }, (e) => {
      if (seen.length === 9 && failures > 0) {
        failures--;
        throw new Error('handler bug');
      }
      seen.push(e.seq);
    });
    await sub.ready;
    await burst(s, 30, 8, 'live');
    await vi.waitFor(() => expect(failures).toBe(0), { timeout: 10_000, interval: 2 });
    await delivered(sub, s);
    expect(seen).toEqual(await positionsOnDisk(s));
    await sub.close();
    await s.close();
  });

  it('close() stops delivery', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const closedSeen: number[] = [];
    const openSeen: number[] = [];
    const closing = s.subscribe({}, (e) => void closedSeen.push(e.seq));
    const staying = s.subscribe({}, (e) => void openSeen.push(e.seq));
    await Promise.all([closing.ready, staying.ready]);
    await burst(s, 10);
    await delivered(closing, s);
    await closing.close();
    const before = [...closedSeen];
    await burst(s, 20);
    await delivered(staying, s);
    await sleep(20);
    expect(closedSeen).toEqual(before);
    expect(openSeen.length).toBeGreaterThan(before.length);
    await staying.close();
    await s.close();
  });
});

describe('onCommit', () => {
  it('is called on every release in position order until unsubscribed; a throwing listener is only logged', async () => {
    const dir = tempDir();
    const logger = recordingLogger();
    const s = await open(dir, logger);
    const calls: { seqs: number[]; position: number }[] = [];
    const off = s.onCommit((events, position) => calls.push({ seqs: events.map((e) => e.seq), position }));
    const offThrowing = s.onCommit(() => {
      throw new Error('listener bug');
    });
    await burst(s, 50);
    await s.get(counter, 'batch').execute({ type: 'Add', n: 3 });
    expect(calls.at(-1)!.seqs).toHaveLength(3); // one command, one release
    expect(calls.at(-1)!.position).toBe(s.position);
    const seqs = calls.flatMap((c) => c.seqs);
    expect(seqs).toEqual(await positionsOnDisk(s));
    for (const c of calls) expect(c.position).toBe(c.seqs.at(-1));
    expect(logger.messages.some((m) => m.includes('listener bug'))).toBe(true);
    off();
    offThrowing();
    const n = calls.length;
    await s.get(counter, 'c-0').execute({ type: 'Increment' });
    expect(calls).toHaveLength(n);
    await s.close();
  });
});
