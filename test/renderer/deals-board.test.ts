import { describe, expect, it } from 'vitest';
import type { DealCard } from '../../core/crm/read/deals.js';
import type { Board } from '../../core/crm/read/pipeline-board.js';
import {
  asOfParam,
  boardColumns,
  columnOf,
  findCard,
  moveTargets,
  planMove,
} from '../../src-renderer/src/pages/deals/board-moves.js';

function card(over: Partial<DealCard> = {}): DealCard {
  return {
    id: 'd1',
    title: 'Website',
    amount: { minor: 100000, currency: 'EUR' },
    pipelineId: 'default',
    stageId: 'lead',
    status: 'open',
    closedOn: null,
    lostReason: null,
    contactIds: [],
    companyId: null,
    expectedCloseDate: null,
    owner: null,
    trashed: false,
    createdAt: 1,
    updatedAt: 1,
    ...over,
  };
}

function board(deals: DealCard[]): Board {
  const col = (stageId: string, name: string) => {
    const ds = deals.filter((d) => columnOf(d) === stageId);
    return { stageId, name, count: ds.length, sums: {}, deals: ds };
  };
  return {
    pipelineId: 'default',
    name: 'Sales',
    columns: [col('lead', 'Lead'), col('qualified', 'Qualified')],
    won: col('won', 'Won'),
    lost: col('lost', 'Lost'),
  };
}

describe('planMove', () => {
  it('does nothing when the card is dropped on its own column', () => {
    expect(planMove(card(), 'lead')).toEqual({ kind: 'none' });
    expect(planMove(card({ status: 'won' }), 'won')).toEqual({ kind: 'none' });
  });

  it('moves an open deal to another stage', () => {
    expect(planMove(card(), 'qualified')).toEqual({
      kind: 'commands',
      commands: [{ command: 'MoveDealStage', input: { id: 'd1', stageId: 'qualified' } }],
    });
  });

  it('wins an open deal, and asks for a reason before losing it', () => {
    expect(planMove(card(), 'won')).toEqual({
      kind: 'commands',
      commands: [{ command: 'MarkDealWon', input: { id: 'd1' } }],
    });
    expect(planMove(card(), 'lost')).toEqual({ kind: 'ask-reason', dealId: 'd1' });
    expect(planMove(card(), 'lost', '   ')).toEqual({ kind: 'ask-reason', dealId: 'd1' });
    expect(planMove(card(), 'lost', ' Too expensive ')).toEqual({
      kind: 'commands',
      commands: [{ command: 'MarkDealLost', input: { id: 'd1', reason: 'Too expensive' } }],
    });
  });

  it('reopens a closed deal before moving or re-closing it', () => {
    expect(planMove(card({ status: 'won' }), 'qualified')).toEqual({
      kind: 'commands',
      commands: [
        { command: 'ReopenDeal', input: { id: 'd1' } },
        { command: 'MoveDealStage', input: { id: 'd1', stageId: 'qualified' } },
      ],
    });
    // Back to the stage it was closed in: reopening is enough.
    expect(planMove(card({ status: 'lost' }), 'lead')).toEqual({
      kind: 'commands',
      commands: [{ command: 'ReopenDeal', input: { id: 'd1' } }],
    });
    expect(planMove(card({ status: 'lost' }), 'won')).toEqual({
      kind: 'commands',
      commands: [
        { command: 'ReopenDeal', input: { id: 'd1' } },
        { command: 'MarkDealWon', input: { id: 'd1' } },
      ],
    });
  });
});

describe('the board', () => {
  const a = card();
  const b = card({ id: 'd2', status: 'won', closedOn: '2026-01-02' });
  const b0 = board([a, b]);

  it('lists the columns in order, stages first', () => {
    expect(boardColumns(b0).map((c) => c.stageId)).toEqual(['lead', 'qualified', 'won', 'lost']);
  });

  it('offers every other column as a target', () => {
    expect(moveTargets(b0, a)).toEqual([
      { id: 'qualified', name: 'Qualified' },
      { id: 'won', name: 'Won' },
      { id: 'lost', name: 'Lost…' },
    ]);
    expect(moveTargets(b0, b).map((t) => t.id)).toEqual(['lead', 'qualified', 'lost']);
  });

  it('finds a card in any column', () => {
    expect(findCard(b0, 'd2')).toBe(b);
    expect(findCard(b0, 'nope')).toBeUndefined();
  });
});

describe('asOfParam', () => {
  it('turns a local date-time into an ISO instant, and empty or invalid into the live board', () => {
    const local = '2026-03-01T09:30';
    expect(asOfParam(local)).toBe(new Date(local).toISOString());
    expect(asOfParam('')).toBeUndefined();
    expect(asOfParam('not a date')).toBeUndefined();
  });
});
