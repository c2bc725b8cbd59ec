/**
 * Process managers on real store folders: end-to-end dispatch with the command context they must carry,
 * idempotent runs, recovery after a restart, effectively-once dispatch after a crash between dispatch and
 * checkpoint, and dead letters (shape, listing, restart, retry, discard, no double dead-lettering).
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AggregateStore, DomainError, type AnyAggregate, type StoreOptions } from '../../core/es/index.js';
import { counter, inbox, relay, tempDir } from './fixtures.js';

function open(
  dir: string,
  targets: AnyAggregate[] = [inbox],
  options: StoreOptions = {},
): Promise<AggregateStore> {
  const b = AggregateStore.builder(dir).aggregate(counter).processManager(relay).options(options);
  for (const t of targets) b.aggregate(t);
  return b.open();
}

const pmDir = (dir: string): string => join(dir, 'process_managers', 'relay');
const checkpoint = (dir: string): string => join(pmDir(dir), 'checkpoint.json');

function deadLetterLines(dir: string): Record<string, unknown>[] {
  const file = join(pmDir(dir), 'dead_letters.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('process manager dispatch', () => {
  it('dispatches counter Incremented -> inbox Receive with actor system:relay, causation and correlation ids', async () => {
    const dir = tempDir();
    const s = await open(dir);
    const [cause] = (
      await s
        .get(counter, 'c-1')
        .execute({ type: 'Increment' }, { actor: 'user:ana', correlationId: 'corr-1' })
    ).events;
    expect(cause).toBeDefined();
    await s.get(counter, 'c-1').execute({ type: 'Add', n: 2 }); // not an Incremented: no reaction
    expect(await s.runProcessManagers()).toEqual({ dispatched: 1, deadLettered: 0 });
    expect(await s.get(inbox, 'in-c-1').state()).toEqual({ received: ['c-1'] });

    const [trigger] = await s.readEvents('counter', 'c-1');
    const [received, ...more] = await s.readEvents('inbox', 'in-c-1');
    expect(more).toEqual([]);
    expect(received!.type).toBe('Received');
    expect(received!.actor).toBe('system:relay');
    expect(received!.meta?.causation_id).toBe(trigger!.id);
    expect(received!.meta?.correlation_id).toBe('corr-1');
    expect(received!.meta?.command_id).toBe(`pm:relay:${trigger!.id}:0`);
    expect(s.metrics().dispatched).toBe(1);

    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 0 });
    await s.close();
  });

  it('recovers after a restart: only new events are dispatched', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    expect((await s.runProcessManagers()).dispatched).toBe(1);
    await s.close();

    s = await open(dir);
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 0 });
    await s.get(counter, 'c-2').execute({ type: 'Increment' });
    expect(await s.runProcessManagers()).toEqual({ dispatched: 1, deadLettered: 0 });
    expect(await s.readEvents('inbox', 'in-c-1')).toHaveLength(1);
    expect(await s.readEvents('inbox', 'in-c-2')).toHaveLength(1);
    await s.close();
  });

  it('is effectively once: a crash between dispatch and checkpoint re-runs without executing twice', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.runProcessManagers();
    await s.close();
    copyFileSync(checkpoint(dir), join(dir, 'old-checkpoint.json'));

    s = await open(dir);
    await Promise.all(['c-1', 'c-2', 'c-3'].map((id) => s.get(counter, id).execute({ type: 'Increment' })));
    expect((await s.runProcessManagers()).dispatched).toBe(3);
    await s.close();
    // The crash: the commands ran, their checkpoint never reached the disk.
    copyFileSync(join(dir, 'old-checkpoint.json'), checkpoint(dir));

    s = await open(dir);
    await s.runProcessManagers();
    expect(await s.get(inbox, 'in-c-1').state()).toEqual({ received: ['c-1', 'c-1'] });
    expect(await s.get(inbox, 'in-c-2').state()).toEqual({ received: ['c-2'] });
    expect(await s.get(inbox, 'in-c-3').state()).toEqual({ received: ['c-3'] });
    const ids = (await s.readEvents('inbox', 'in-c-1')).map((e) => e.meta?.command_id);
    expect(new Set(ids).size).toBe(2);
    expect(s.metrics().duplicates).toBe(3); // recognised by their deterministic command ids
    expect(s.deadLetters('relay')).toEqual([]);
    await s.close();
  });
});

describe('dead letters', () => {
  it('records a refused command in the eventfold-es line shape, lists it, keeps it across a restart', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await s
      .get(counter, 'bad-1')
      .execute({ type: 'Increment' }, { actor: 'user:ana', correlationId: 'corr-bad' });
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 1 });
    const [trigger] = await s.readEvents('counter', 'bad-1');
    const id = `pm:relay:${trigger!.id}:0`;

    const lines = deadLetterLines(dir);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      envelope: {
        aggregate_type: 'inbox',
        instance_id: 'in-bad-1',
        command: { type: 'Receive', from: 'bad' },
        context: { actor: 'system:relay', correlation_id: 'corr-bad', metadata: null },
      },
      id,
    });
    expect(line.error).toEqual(expect.stringContaining('Messages from "bad" are refused.'));
    expect(Number.isInteger(line.ts)).toBe(true);
    expect(Math.abs((line.ts as number) - Date.now() / 1000)).toBeLessThan(3600);

    const [letter, ...others] = s.deadLetters('relay');
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      id,
      envelope: { aggregateType: 'inbox', instanceId: 'in-bad-1', command: { type: 'Receive', from: 'bad' } },
    });
    expect(letter!.envelope.context).toMatchObject({ actor: 'system:relay', correlationId: 'corr-bad' });
    expect(s.metrics().processManagers[0]).toMatchObject({ name: 'relay', deadLetters: 1 });
    expect(s.metrics().deadLettered).toBe(1);
    expect(s.list(inbox)).toEqual([]); // the refused command wrote nothing
    await s.close();

    s = await open(dir);
    expect(s.deadLetters('relay').map((d) => d.id)).toEqual([id]);
    // Still refused: a retry throws the domain error and leaves it pending.
    await expect(s.retryDeadLetter('relay', id)).rejects.toBeInstanceOf(DomainError);
    expect(s.deadLetters('relay').map((d) => d.id)).toEqual([id]);
    await s.close();
  });

  it('dead-letters an unknown target type; a retry once it is registered runs it once and settles it', async () => {
    const dir = tempDir();
    let s = await open(dir, []); // inbox not registered: the dispatch target is unknown
    await s.get(counter, 'c-1').execute({ type: 'Increment' }, { correlationId: 'corr-1' });
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 1 });
    const [letter] = s.deadLetters('relay');
    expect(letter!.error).toContain('inbox');
    expect(deadLetterLines(dir)[0]).toMatchObject({ envelope: { aggregate_type: 'inbox' } });
    await s.close();

    s = await open(dir); // the fix: the app now registers inbox
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 0 });
    expect(s.deadLetters('relay')).toHaveLength(1);
    const r = await s.retryDeadLetter('relay', letter!.id);
    expect(r.events).toEqual([{ type: 'Received', data: { from: 'c-1' } }]);
    expect(s.deadLetters('relay')).toEqual([]);
    await expect(s.retryDeadLetter('relay', letter!.id)).rejects.toThrow(/no pending dead letter/);
    const [received] = await s.readEvents('inbox', 'in-c-1');
    expect(received!.actor).toBe('system:relay');
    expect(received!.meta?.correlation_id).toBe('corr-1');
    expect(received!.meta?.command_id).toBe(letter!.id);
    await s.close();

    s = await open(dir);
    expect(s.deadLetters('relay')).toEqual([]); // settled for good
    expect(await s.get(inbox, 'in-c-1').state()).toEqual({ received: ['c-1'] });
    expect(s.metrics().processManagers[0]!.deadLetters).toBe(0);
    await s.close();
  });

  it('discardDeadLetter settles a letter without running it, across a restart', async () => {
    const dir = tempDir();
    let s = await open(dir, []);
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.runProcessManagers();
    const [letter] = s.deadLetters('relay');
    await s.close();

    s = await open(dir);
    s.discardDeadLetter('relay', letter!.id);
    expect(s.deadLetters('relay')).toEqual([]);
    await s.close();
    s = await open(dir);
    expect(s.deadLetters('relay')).toEqual([]);
    expect(s.list(inbox)).toEqual([]); // never ran
    await s.close();
  });

  it('a failed dispatch re-run after a restart is not dead-lettered twice (pending or discarded)', async () => {
    const dir = tempDir();
    let s = await open(dir);
    await s.get(counter, 'c-1').execute({ type: 'Increment' });
    await s.runProcessManagers();
    await s.close();
    copyFileSync(checkpoint(dir), join(dir, 'old-checkpoint.json'));

    s = await open(dir);
    await s.get(counter, 'bad-1').execute({ type: 'Increment' });
    await s.get(counter, 'bad-2').execute({ type: 'Increment' });
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 2 });
    const [first, second] = s.deadLetters('relay');
    s.discardDeadLetter('relay', second!.id);
    await s.close();
    copyFileSync(join(dir, 'old-checkpoint.json'), checkpoint(dir)); // a crash before the checkpoint

    s = await open(dir);
    expect(await s.runProcessManagers()).toEqual({ dispatched: 0, deadLettered: 0 });
    expect(s.deadLetters('relay').map((d) => d.id)).toEqual([first!.id]);
    expect(deadLetterLines(dir)).toHaveLength(2);
    await s.close();
  });
});
