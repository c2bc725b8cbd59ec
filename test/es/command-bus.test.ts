/** The command bus on a real store: routing by command type, unknown commands, a type routed twice. */
import { describe, expect, it } from 'vitest';
import { AggregateStore, CommandBus, DomainError, UnknownNameError } from '../../core/es/index.js';
import { EventfoldError } from '../../core/log/index.js';
import { counter, inbox, tempDir } from './fixtures.js';

async function setup(): Promise<{ store: AggregateStore; bus: CommandBus }> {
  const store = await AggregateStore.builder(tempDir()).aggregate(counter).aggregate(inbox).open();
  const bus = new CommandBus(store)
    .register(counter, ['Increment', 'Decrement', 'Add', 'Noop'])
    .register(inbox, ['Receive']);
  return { store, bus };
}

describe('CommandBus', () => {
  it('routes each command type to its aggregate, with context and options', async () => {
    const { store, bus } = await setup();
    expect(bus.route('Add')).toBe('counter');
    expect(bus.route('Receive')).toBe('inbox');
    expect(bus.route('Nope')).toBeUndefined();

    const r = await bus.dispatch('c-1', { type: 'Add', n: 2 }, { actor: 'user:ana', correlationId: 'k' });
    expect(r.events).toEqual([
      { type: 'Added', data: { n: 1 } },
      { type: 'Added', data: { n: 1 } },
    ]);
    await bus.dispatch('in-1', { type: 'Receive', from: 'c-1' });
    expect(await store.get(counter, 'c-1').state()).toEqual({ value: 2 });
    expect(await store.get(inbox, 'in-1').state()).toEqual({ received: ['c-1'] });
    expect(store.listStreams()).toEqual([
      { type: 'counter', id: 'c-1' },
      { type: 'inbox', id: 'in-1' },
    ]);
    const [first] = await store.readEvents('counter', 'c-1');
    expect(first!.actor).toBe('user:ana');
    expect(first!.meta?.correlation_id).toBe('k');

    // Options reach the store: an idempotent retry appends nothing.
    const once = await bus.dispatch('c-2', { type: 'Increment' }, {}, { commandId: 'click-1' });
    const again = await bus.dispatch('c-2', { type: 'Increment' }, {}, { commandId: 'click-1' });
    expect([once.duplicate, again.duplicate]).toEqual([false, true]);
    expect(await store.get(counter, 'c-2').version()).toBe(1);
    // The aggregate's refusal comes back as is.
    await expect(bus.dispatch('c-3', { type: 'Decrement' })).rejects.toBeInstanceOf(DomainError);
    await store.close();
  });

  it('refuses an unknown command with UnknownNameError naming the registered ones, and writes nothing', async () => {
    const { store, bus } = await setup();
    const err = await bus.dispatch('c-1', { type: 'Explode' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UnknownNameError);
    const u = err as UnknownNameError;
    expect(u.kind).toBe('command');
    expect(u.unknown).toBe('Explode');
    expect(u.known).toEqual(['Add', 'Decrement', 'Increment', 'Noop', 'Receive']);
    expect(u.message).toContain('"Explode"');
    expect(u.message).toContain('Add, Decrement, Increment, Noop, Receive');
    await expect(bus.dispatch('c-1', null as never)).rejects.toBeInstanceOf(UnknownNameError);
    expect(store.listStreams()).toEqual([]);
    await store.close();
  });

  it('refuses a command type routed to a second aggregate; re-registering the same route is harmless', async () => {
    const { store, bus } = await setup();
    let err: unknown = null;
    try {
      bus.register(inbox, ['Ping', 'Increment']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EventfoldError);
    expect((err as EventfoldError).message).toContain('"Increment"');
    expect((err as EventfoldError).message).toContain('"counter"');
    expect((err as EventfoldError).message).toContain('"inbox"');
    expect((err as EventfoldError).code).toBe('DUPLICATE_ROUTE');
    expect(bus.route('Increment')).toBe('counter');
    expect(bus.route('Ping')).toBeUndefined(); // a refused registration registers nothing
    expect(() => bus.register(counter, ['Increment'])).not.toThrow();
    await bus.dispatch('c-1', { type: 'Increment' });
    expect(await store.get(counter, 'c-1').state()).toEqual({ value: 1 });
    await store.close();
  });
});
