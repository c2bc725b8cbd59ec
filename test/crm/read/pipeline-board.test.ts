import { describe, expect, it } from 'vitest';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { pipelineAggregate } from '../../../core/crm/domain/pipeline.js';
import { boardOf, pipelineBoardProjection, pipelineList } from '../../../core/crm/read/pipeline-board.js';
import { boardLog, fold, STAGES } from './helpers.js';

describe('pipeline board', () => {
  it('groups open deals by stage with counts and sums per currency', () => {
    const board = boardOf(fold(pipelineBoardProjection, boardLog().events), 'default');
    expect(board?.columns.map((c) => [c.stageId, c.name, c.count, c.sums])).toEqual([
      ['lead', 'Lead', 3, { EUR: 100_00, USD: 50_00 }],
      ['qualified', 'Qualified', 0, {}],
      ['proposal', 'Proposal', 1, { EUR: 200_00 }],
      ['negotiation', 'Negotiation', 0, {}],
    ]);
    expect(board?.columns[0]?.deals.map((d) => d.id)).toEqual(['d4', 'd2', 'd1']); // most recently changed first
  });

  it('moves deals, fills won and lost columns, reopens, leaves trashed deals out', () => {
    const log = boardLog();
    log.run(dealAggregate, 'd1', { type: 'MoveDealStage', stageId: 'qualified', pipelineStageIds: STAGES });
    log.run(dealAggregate, 'd2', { type: 'MarkDealWon', date: '2026-02-01' });
    log.run(dealAggregate, 'd3', { type: 'MarkDealLost', reason: 'Budget', date: '2026-02-02' });
    log.run(dealAggregate, 'd4', { type: 'TrashDeal' });
    let board = boardOf(fold(pipelineBoardProjection, log.events), 'default');
    expect(board?.columns.map((c) => c.count)).toEqual([0, 1, 0, 0]);
    expect(board?.won).toMatchObject({ count: 1, sums: { USD: 50_00 } });
    expect(board?.lost).toMatchObject({ count: 1, sums: { EUR: 200_00 } });
    expect(board?.lost.deals[0]?.lostReason).toBe('Budget');
    log.run(dealAggregate, 'd3', { type: 'ReopenDeal' });
    board = boardOf(fold(pipelineBoardProjection, log.events), 'default', { closedSince: '2026-03-01' });
    expect(board?.columns.map((c) => c.count)).toEqual([0, 1, 1, 0]);
    expect(board?.won.count).toBe(0);
  });

  it('follows stage renames, reorders, additions and removals with reassignment', () => {
    const log = boardLog();
    log.run(pipelineAggregate, 'default', { type: 'RenamePipelineStage', stageId: 'lead', name: 'Inbox' });
    log.run(pipelineAggregate, 'default', {
      type: 'AddPipelineStage',
      stageId: 'demo',
      name: 'Demo',
      position: 1,
    });
    log.run(pipelineAggregate, 'default', {
      type: 'ReorderPipelineStages',
      stageIds: ['demo', 'lead', 'qualified', 'proposal', 'negotiation'],
    });
    log.run(pipelineAggregate, 'default', {
      type: 'RemovePipelineStage',
      stageId: 'proposal',
      reassignTo: 'negotiation',
    });
    // Before the process manager re-points d3, it already shows in the stage its deals go to.
    let board = boardOf(fold(pipelineBoardProjection, log.events), 'default');
    expect(board?.columns.map((c) => `${c.name}:${c.count}`)).toEqual([
      'Demo:0',
      'Inbox:3',
      'Qualified:0',
      'Negotiation:1',
    ]);
    log.run(dealAggregate, 'd3', {
      type: 'ReassignDealStage',
      removedStageId: 'proposal',
      stageId: 'negotiation',
    });
    board = boardOf(fold(pipelineBoardProjection, log.events), 'default');
    expect(board?.columns[3]?.deals.map((d) => d.stageId)).toEqual(['negotiation']);
    expect(pipelineList(fold(pipelineBoardProjection, log.events))).toEqual([
      { pipelineId: 'default', name: 'Sales' },
    ]);
  });

  it('filters by owner and returns undefined for an unknown pipeline', () => {
    const log = boardLog();
    log.run(dealAggregate, 'd1', { type: 'UpdateDeal', fields: { owner: 'bo' } });
    const state = fold(pipelineBoardProjection, log.events);
    expect(boardOf(state, 'default', { owner: 'bo' })?.columns[0]?.count).toBe(1);
    expect(boardOf(state, 'nope')).toBeUndefined();
  });
});
