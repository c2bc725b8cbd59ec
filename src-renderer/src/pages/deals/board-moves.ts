/**
 * Where a deal card can go on the board and which commands take it there: one rule for drag and drop and for
 * the keyboard "Move to…" menu, so both always do the same thing.
 * @module
 */
import type { DealCard } from '../../../../core/crm/read/deals.js';
import type { Board, BoardColumn } from '../../../../core/crm/read/pipeline-board.js';

/** The id of the won and lost columns (stage ids of open deals are anything else). */
export const WON = 'won';
/** See {@link WON}. */
export const LOST = 'lost';

/** A command to send, as the transport takes it. */
export interface PlannedCommand {
  command: string;
  input: Record<string, unknown>;
}

/**
 * What dropping (or choosing) a target means for a card: nothing (already there), commands to send, or a
 * question first (a lost deal needs its reason).
 */
export type MovePlan =
  | { kind: 'none' }
  | { kind: 'commands'; commands: PlannedCommand[] }
  | { kind: 'ask-reason'; dealId: string };

/** What a move needs to know of a deal (a board card, or a deal's detail view). */
export type MovableDeal = Pick<DealCard, 'id' | 'status' | 'stageId'>;

/** The board's columns in display order: the open stages, then won and lost. */
export function boardColumns(board: Board): BoardColumn[] {
  return [...board.columns, board.won, board.lost];
}

/** The column a card is shown in. */
export function columnOf(card: Pick<DealCard, 'status' | 'stageId'>): string {
  return card.status === 'won' ? WON : card.status === 'lost' ? LOST : card.stageId;
}

/**
 * The plan that takes `card` to column `target`. A closed deal dropped on a stage is reopened and then moved;
 * moving between won and lost reopens it first too (the domain only closes open deals).
 */
export function planMove(card: MovableDeal, target: string, reason?: string): MovePlan {
  const from = columnOf(card);
  if (from === target) return { kind: 'none' };
  const id = card.id;
  const reopen: PlannedCommand[] = card.status === 'open' ? [] : [{ command: 'ReopenDeal', input: { id } }];
  if (target === WON)
    return { kind: 'commands', commands: [...reopen, { command: 'MarkDealWon', input: { id } }] };
  if (target === LOST) {
    const text = reason?.trim() ?? '';
    if (text === '') return { kind: 'ask-reason', dealId: id };
    return {
      kind: 'commands',
      commands: [...reopen, { command: 'MarkDealLost', input: { id, reason: text } }],
    };
  }
  const move: PlannedCommand[] =
    card.status !== 'open' && card.stageId === target
      ? []
      : [{ command: 'MoveDealStage', input: { id, stageId: target } }];
  return { kind: 'commands', commands: [...reopen, ...move] };
}

/**
 * The targets a "Move to…" menu offers for `deal` among a pipeline's `stages`: every other stage, then won and
 * lost (a closed deal's own column left out).
 */
export function targetsAmong(
  stages: readonly { stageId: string; name: string }[],
  deal: MovableDeal,
): { id: string; name: string }[] {
  const from = columnOf(deal);
  return [
    ...stages.map((s) => ({ id: s.stageId, name: s.name })),
    { id: WON, name: 'Won' },
    { id: LOST, name: 'Lost…' },
  ].filter((t) => t.id !== from);
}

/** The "Move to…" targets of a card on `board`. */
export function moveTargets(board: Board, card: MovableDeal): { id: string; name: string }[] {
  return targetsAmong(board.columns, card);
}

/** The card with `id` anywhere on the board. */
export function findCard(board: Board, id: string): DealCard | undefined {
  for (const c of boardColumns(board)) {
    const card = c.deals.find((d) => d.id === id);
    if (card) return card;
  }
  return undefined;
}

/**
 * The `asOf` query param for a `datetime-local` input's value (local wall time, "2026-03-01T09:30"), or
 * `undefined` for an empty or invalid one (the live board).
 */
export function asOfParam(local: string): string | undefined {
  if (local.trim() === '') return undefined;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
