/**
 * CommandBus: routes a command to the aggregate that handles it, by the command's `type`.
 * @module
 */
import type { AnyAggregate } from './aggregate.js';
import type { ExecuteResult } from './actor.js';
import type { CommandContext } from './context.js';
import { EventfoldError } from '../log/index.js';
import { UnknownNameError } from './errors.js';
import type { AggregateStore, StoreExecuteOptions } from './store.js';

/** A command the bus can route: a discriminated union member. */
export interface RoutableCommand {
  type: string;
}

/**
 * Routes commands by `type` to the aggregate registered for it.
 *
 * @example
 * const bus = new CommandBus(store).register(counter, ['Increment', 'Decrement']);
 * await bus.dispatch('c-1', { type: 'Increment' }, { actor: 'user:ana' });
 */
export class CommandBus {
  private readonly routes = new Map<string, AnyAggregate>();

  constructor(private readonly store: AggregateStore) {}

  /**
   * Routes each of `commandTypes` to `aggregate`. A type already routed to another aggregate is refused
   * (`EventfoldError` `DUPLICATE_ROUTE`), and then none of `commandTypes` is registered.
   */
  register(aggregate: AnyAggregate, commandTypes: readonly string[]): this {
    for (const t of commandTypes) {
      const known = this.routes.get(t);
      if (known && known !== aggregate) {
        throw new EventfoldError(
          'DUPLICATE_ROUTE',
          `Command "${t}" is already routed to "${known.type}"; it cannot also go to "${aggregate.type}".`,
        );
      }
    }
    for (const t of commandTypes) this.routes.set(t, aggregate);
    return this;
  }

  /** The aggregate type that handles `commandType`, if any. */
  route(commandType: string): string | undefined {
    return this.routes.get(commandType)?.type;
  }

  /** Executes `command` on instance `id` of the aggregate that handles it. @throws UnknownNameError */
  async dispatch<C extends RoutableCommand>(
    id: string,
    command: C,
    ctx: CommandContext = {},
    options: StoreExecuteOptions = {},
  ): Promise<ExecuteResult> {
    const aggregate = this.routes.get(command?.type);
    if (!aggregate)
      throw new UnknownNameError('command', String(command?.type), [...this.routes.keys()].sort());
    return this.store.execute(aggregate, id, command, ctx, options);
  }
}
