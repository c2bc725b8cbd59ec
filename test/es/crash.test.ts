/**
 * Real crashes of the store: a child process executes commands on many instances concurrently and is killed
 * with SIGKILL (twice, the second child reopening what the first left). On reopen every stream opens, no command
 * is half there, every acknowledged command is there exactly once, global positions are unique and increasing
 * per stream, and the projection equals a fresh rebuild. Then the same after a simulated power cut: the stream logs
 * lose the tails that only the commit journal had made durable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore } from '../../core/es/index.js';
import type { Event } from '../../core/log/index.js';
import { spawnHelper } from '../helpers/child.js';
import { cutJournaledTails } from '../helpers/power-cut.js';
import { counter, tempDir, totals, type Totals } from './fixtures.js';

interface Ack {
  id: string;
  commandId: string;
  n: number;
  version: number;
}

/** Runs the crash child on `dir` until it has acknowledged `acks` commands, then kills it with SIGKILL. */
async function runAndKill(dir: string, prefix: string, acks: number): Promise<Ack[]> {
  const proc = spawnHelper('../es/es-child.ts', ['crash', dir, '24', '4', prefix]);
  try {
    await proc.waitFor((l) => l.startsWith('ready '));
    let seen = 0;
    await proc.waitFor((l) => l.startsWith('ack ') && ++seen >= acks);
    proc.child.kill('SIGKILL');
    const exit = await proc.exited;
    expect(exit.signal).toBe('SIGKILL');
  } finally {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
  return proc.lines
    .filter((l) => l.startsWith('ack '))
    .map((l) => {
      const [, id, commandId, n, version] = l.split(' ');
      return { id: id!, commandId: commandId!, n: Number(n), version: Number(version) };
    });
}

/**
 * Opens what the killed children left and checks it: every stream opens, no command is half there, every
 * acknowledged command is there exactly once, positions are unique and increasing, the projection equals a rebuild.
 */
async function checkStore(dir: string, acked: Ack[]): Promise<AggregateStore> {
  const store = await AggregateStore.builder(dir).aggregate(counter).projection(totals).open();
  const streams = store.listStreams('counter');
  expect(streams.length).toBe(24);
  const allSeqs: number[] = [];
  let totalEvents = 0;
  const byCommand = new Map<string, { stream: string; count: number; last: number; version: number }>();
  for (const { id } of streams) {
    // Every stream opens, and its state is the fold of its events.
    const events = await store.readEvents('counter', id);
    const state = await store.get(counter, id).state();
    expect(state).toEqual({ value: events.length });
    expect(await store.get(counter, id).version()).toBe(events.length);
    totalEvents += events.length;

    const seqs = events.map((e) => e.meta!.seq as number);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    allSeqs.push(...seqs);

    // Each command's events are contiguous and complete (n is in its id).
    let prev: string | null = null;
    events.forEach((e: Event, i) => {
      const cmd = e.meta!.command_id as string;
      const entry = byCommand.get(cmd);
      if (entry) {
        expect(prev).toBe(cmd); // contiguous
        entry.count++;
        entry.version = i + 1;
      } else {
        byCommand.set(cmd, { stream: id, count: 1, last: i, version: i + 1 });
      }
      prev = cmd;
    });
    // The raw file holds no leftover of a cut batch: each "more" line is followed by its batch's next line.
    const raw = readFileSync(join(dir, 'streams/counter', id, 'app.jsonl'), 'utf8');
    expect(raw === '' || raw.endsWith('\n')).toBe(true);
    const lines = raw.split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(events.length);
    expect(lines.length === 0 || !lines.at(-1)!.includes('"more":true')).toBe(true);
  }
  for (const [cmd, entry] of byCommand) {
    const n = Number(/-n(\d+)$/.exec(cmd)![1]);
    expect(entry.count, `command ${cmd}`).toBe(n);
  }
  for (const a of acked) {
    const entry = byCommand.get(a.commandId);
    expect(entry, `acknowledged ${a.commandId}`).toBeDefined();
    expect(entry!.stream).toBe(a.id);
    expect(entry!.count).toBe(a.n);
    expect(entry!.version).toBe(a.version);
  }
  expect(new Set(allSeqs).size).toBe(allSeqs.length);

  // The projection (checkpoint left by the killed child + catch-up) equals a fresh rebuild.
  await store.projection(totals).awaitCaughtUp();
  const live = structuredClone(store.projection<Totals>(totals).state);
  expect(live.total).toBe(totalEvents);
  await store.rebuildProjection(totals);
  expect(store.projection<Totals>(totals).state).toEqual(live);

  // The store keeps working: a new command gets a position above every one written before the crash.
  const r = await store.get(counter, 'c-0').execute({ type: 'Increment' });
  expect(r.position).toBeGreaterThan(Math.max(...allSeqs));
  return store;
}

describe('a store killed with SIGKILL while executing commands on many instances', () => {
  it('keeps every acknowledged command exactly once, no half command, ordered positions, and a consistent projection', async () => {
    const dir = tempDir();
    const acked = [...(await runAndKill(dir, 'r1', 250)), ...(await runAndKill(dir, 'r2', 100))];
    expect(acked.length).toBeGreaterThanOrEqual(350);
    const store = await checkStore(dir, acked);
    await store.close();
  });

  it('and then a power cut that loses what only the commit journal made durable: opening writes it back', async () => {
    const dir = tempDir();
    const acked = await runAndKill(dir, 'p1', 300);
    const cut = await cutJournaledTails(join(dir, 'meta', 'journal.jsonl'), dir);
    expect(cut.size).toBeGreaterThan(0);
    const store = await checkStore(dir, acked);
    expect(store.journalRecovery.skipped).toEqual([]);
    expect(new Map(store.journalRecovery.restored.map((r) => [r.log, r.bytes]))).toEqual(cut);
    await store.close();
  });
});
