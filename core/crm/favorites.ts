/**
 * Favorites: records the user pinned, in the order they chose. One small aggregate (`favorites/local`) holds the
 * ordered list, so pins have a history and survive every rebuild; `favorite.list` names them from the read side
 * and leaves out records that no longer exist (forgotten, or purged from the trash).
 * @module
 */
import { z } from 'zod';
import { DomainError, type Aggregate, type AggregateStore, type DomainEvent } from '../es/index.js';
import { contactAggregate, idSchema, parseCommandWith } from './domain/index.js';
import { extensionCommand, extensionQuery, type CrmExtension, type CrmRuntime } from './extension.js';
import { recordName } from './record-names.js';
import { isTrashed } from './trash.js';

/** The aggregate type of the favorites list (folder under `streams/`). */
export const FAVORITES = 'favorites';
/** The one instance: the local user's favorites. */
export const FAVORITES_ID = 'local';
/** At most this many pinned records (a sidebar, not a second list view). */
export const MAX_FAVORITES = 200;

/** The kinds of record that can be pinned. */
export const favoriteKindSchema = z.enum(['contact', 'company', 'deal', 'task']);
/** A kind of record that can be pinned. */
export type FavoriteKind = z.infer<typeof favoriteKindSchema>;

/** A pinned record. */
export interface FavoriteRef {
  kind: FavoriteKind;
  id: string;
}

const ref = { kind: favoriteKindSchema, id: idSchema };

/** Input schemas of the favorites commands of the contract. */
export const FAVORITE_COMMANDS = {
  /** Pin a record at the end of the list (nothing happens if it is pinned already). */
  PinRecord: z.object(ref).strict(),
  /** Unpin a record (nothing happens if it is not pinned). */
  UnpinRecord: z.object(ref).strict(),
  /** Move a pinned record to position `index` (0 is first; past the end means last). */
  MoveFavorite: z.object({ ...ref, index: z.number().int().min(0).max(MAX_FAVORITES) }).strict(),
};

/** Zod schema of every favorites command (used by `parseCommand` and by `decide`). */
export const favoritesCommandSchema = z.discriminatedUnion('type', [
  FAVORITE_COMMANDS.PinRecord.extend({ type: z.literal('PinRecord') }),
  FAVORITE_COMMANDS.UnpinRecord.extend({ type: z.literal('UnpinRecord') }),
  FAVORITE_COMMANDS.MoveFavorite.extend({ type: z.literal('MoveFavorite') }),
]);

/** A favorites command: `PinRecord`, `UnpinRecord`, `MoveFavorite {index}` (each with `kind` and `id`). */
export type FavoritesCommand = z.input<typeof favoritesCommandSchema>;

/** The events of the favorites list. */
export type FavoritesEvent =
  | DomainEvent<'RecordPinned', FavoriteRef>
  | DomainEvent<'RecordUnpinned', FavoriteRef>
  | DomainEvent<'FavoriteMoved', FavoriteRef & { from: number; to: number }>;

/** The favorites list, in the user's order. */
export interface FavoritesState {
  pinned: FavoriteRef[];
}

const same = (a: FavoriteRef, b: FavoriteRef): boolean => a.kind === b.kind && a.id === b.id;

function decide(state: FavoritesState, input: FavoritesCommand): FavoritesEvent[] {
  const { type, ...command } = parseCommandWith(favoritesCommandSchema, input);
  const target: FavoriteRef = { kind: command.kind, id: command.id };
  const at = state.pinned.findIndex((p) => same(p, target));
  switch (type) {
    case 'PinRecord':
      if (at >= 0) return [];
      if (state.pinned.length >= MAX_FAVORITES) {
        throw new DomainError(
          'TOO_MANY_FAVORITES',
          `At most ${MAX_FAVORITES} records can be pinned: unpin one first.`,
          { max: MAX_FAVORITES },
        );
      }
      return [{ type: 'RecordPinned', data: target }];
    case 'UnpinRecord':
      return at >= 0 ? [{ type: 'RecordUnpinned', data: target }] : [];
    case 'MoveFavorite': {
      if (at < 0) {
        throw new DomainError('NOT_PINNED', `This ${target.kind} is not pinned: pin it first.`, target);
      }
      const to = Math.min((command as { index: number }).index, state.pinned.length - 1);
      return to === at ? [] : [{ type: 'FavoriteMoved', data: { ...target, from: at, to } }];
    }
  }
}

function evolve(state: FavoritesState, event: FavoritesEvent): FavoritesState {
  const { kind, id } = event.data;
  const rest = state.pinned.filter((p) => !same(p, { kind, id }));
  switch (event.type) {
    case 'RecordPinned':
      return { pinned: [...rest, { kind, id }] };
    case 'RecordUnpinned':
      return { pinned: rest };
    case 'FavoriteMoved':
      return { pinned: [...rest.slice(0, event.data.to), { kind, id }, ...rest.slice(event.data.to)] };
    default:
      return state;
  }
}

/** The favorites aggregate definition (one instance, {@link FAVORITES_ID}). */
export const favoritesAggregate: Aggregate<FavoritesState, FavoritesCommand, FavoritesEvent> = {
  type: FAVORITES,
  initialState: () => ({ pinned: [] }),
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(favoritesCommandSchema, input),
};

/** One pinned record as `favorite.list` returns it. */
export interface FavoriteRow extends FavoriteRef {
  name: string;
  /** In the trash (still pinned: restoring it brings it back in place). */
  trashed: boolean;
}

/** Whether `kind/id` is a record that can be shown (it has a stream and was not forgotten). */
async function exists(store: AggregateStore, ref: FavoriteRef): Promise<boolean> {
  if (!store.has(ref.kind, ref.id)) return false;
  if (ref.kind !== 'contact') return true;
  return !(await store.get(contactAggregate, ref.id).state()).forgotten;
}

/** The pinned records in order, named; forgotten and purged records are left out. */
export async function favoriteList(store: AggregateStore): Promise<{ rows: FavoriteRow[] }> {
  const { pinned } = await store.get(favoritesAggregate, FAVORITES_ID).state();
  const rows: FavoriteRow[] = [];
  for (const p of pinned) {
    const name = recordName(store, p.kind, p.id);
    if (name === null || !(await exists(store, p))) continue;
    rows.push({ ...p, name, trashed: isTrashed(store, p.kind, p.id) });
  }
  return { rows };
}

function favoritesCommand(type: FavoritesCommand['type'], check: boolean) {
  return extensionCommand(FAVORITE_COMMANDS[type], async (rt: CrmRuntime, input, request) => {
    if (check && !(await exists(rt.store, input))) {
      throw new DomainError('NOT_FOUND', `There is no ${input.kind} ${input.id} to pin.`, input);
    }
    const r = await rt.store.execute(
      favoritesAggregate,
      FAVORITES_ID,
      { type, ...input } as FavoritesCommand,
      rt.ctx,
      {
        ...(request.commandId !== undefined ? { commandId: request.commandId } : {}),
        waitForProjections: true,
      },
    );
    return { changed: r.events.length > 0 && !r.duplicate, ...(await favoriteList(rt.store)) };
  });
}

const kindsNamed = [FAVORITES, 'contact', 'company', 'deal', 'task', 'trash'];

/** Favorites: `PinRecord`, `UnpinRecord`, `MoveFavorite` and the query `favorite.list {}`. */
export const favoritesExtension: CrmExtension = {
  aggregates: [favoritesAggregate],
  commands: {
    PinRecord: favoritesCommand('PinRecord', true),
    // Unpinning and reordering work on records that are gone too, so a stale pin can always be removed.
    UnpinRecord: favoritesCommand('UnpinRecord', false),
    MoveFavorite: favoritesCommand('MoveFavorite', false),
  },
  queries: {
    'favorite.list': extensionQuery(z.object({}).strict(), (rt) => favoriteList(rt.store), kindsNamed),
  },
};
