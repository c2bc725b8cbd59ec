import { describe, expect, it } from 'vitest';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { noteAggregate } from '../../../core/crm/domain/note.js';
import { pipelineAggregate } from '../../../core/crm/domain/pipeline.js';
import {
  analyticsProjection,
  slippedDeals,
  staleDeals,
  stageConversion,
  timeInStages,
} from '../../../core/crm/read/analytics.js';
import { EventLog, fold, STAGES } from './helpers.js';

const DAY = 86_400;

function seed(): EventLog {
  const log = new EventLog();
  log.run(pipelineAggregate, 'default', { type: 'CreateDefaultPipeline' }, { at: '2026-01-01T00:00:00Z' });
  const create = (id: string, at: string) =>
    log.run(
      dealAggregate,
      id,
      {
        type: 'CreateDeal',
        title: id,
        pipelineId: 'default',
        stageId: 'lead',
        pipelineStageIds: STAGES,
        expectedCloseDate: '2026-03-01',
      },
      { at },
    );
  const move = (id: string, stageId: string, at: string) =>
    log.run(dealAggregate, id, { type: 'MoveDealStage', stageId, pipelineStageIds: STAGES }, { at });
  create('d1', '2026-01-01T00:00:00Z');
  create('d2', '2026-01-01T00:00:00Z');
  create('d3', '2026-01-01T00:00:00Z');
  move('d1', 'qualified', '2026-01-03T00:00:00Z'); // 2 days in lead
  move('d1', 'proposal', '2026-01-08T00:00:00Z'); // 5 days in qualified
  log.run(dealAggregate, 'd1', { type: 'MarkDealWon', date: '2026-01-10' }, { at: '2026-01-10T00:00:00Z' }); // 2 in proposal
  move('d2', 'qualified', '2026-01-05T00:00:00Z'); // 4 days in lead, then qualified until now
  return log;
}

const NOW = { now: '2026-01-11T00:00:00Z' };

describe('pipeline analytics', () => {
  it('time in each stage per deal and averaged per stage (ongoing stays count up to now)', () => {
    const t = timeInStages(fold(analyticsProjection, seed().events), 'default', NOW);
    const days = (s: number) => s / DAY;
    expect(t.deals.map((d) => [d.dealId, d.stages.map((s) => [s.stageId, days(s.seconds)])])).toEqual([
      [
        'd1',
        [
          ['lead', 2],
          ['qualified', 5],
          ['proposal', 2],
        ],
      ],
      [
        'd2',
        [
          ['lead', 4],
          ['qualified', 6],
        ],
      ],
      ['d3', [['lead', 10]]],
    ]);
    expect(t.stages.map((s) => [s.stageId, s.deals, days(s.averageSeconds)])).toEqual(
      [
        ['lead', 3, 16 / 3],
        ['qualified', 2, 5.5],
        ['proposal', 1, 2],
        ['negotiation', 0, 0],
      ].map(([id, n, avg]) => [id, n, Math.round((avg as number) * DAY) / DAY]),
    );
  });

  it('stale deals: open, no event on them or their notes in N days', () => {
    const log = seed();
    log.run(
      noteAggregate,
      'n1',
      { type: 'CreateNote', body: 'ping', link: { kind: 'deal', id: 'd3' } },
      { at: '2026-01-09T00:00:00Z' },
    );
    const state = fold(analyticsProjection, log.events);
    expect(staleDeals(state, { ...NOW, days: 3 }).map((d) => [d.dealId, d.idleDays])).toEqual([['d2', 6]]);
    expect(staleDeals(state, { ...NOW, days: 1 }).map((d) => d.dealId)).toEqual(['d2', 'd3']);
  });

  it('slipped expected close dates: how many times and by how many days', () => {
    const log = seed();
    const close = (date: string | null) =>
      log.run(dealAggregate, 'd2', { type: 'UpdateDeal', fields: { expectedCloseDate: date } });
    close('2026-03-15');
    close('2026-03-10'); // earlier: not a slip
    close('2026-04-10');
    const [d2] = slippedDeals(fold(analyticsProjection, log.events));
    expect(d2).toEqual({
      dealId: 'd2',
      title: 'd2',
      status: 'open',
      slips: 2,
      slipDays: 14 + 31,
      firstCloseDate: '2026-03-01',
      closeDate: '2026-04-10',
    });
  });

  it('conversion between consecutive stages, the last one to won', () => {
    const conv = stageConversion(fold(analyticsProjection, seed().events), 'default');
    expect(conv.map((c) => [c.fromStageId, c.toStageId, c.reached, c.advanced, c.rate])).toEqual([
      ['lead', 'qualified', 3, 2, 2 / 3],
      ['qualified', 'proposal', 2, 1, 0.5],
      ['proposal', 'negotiation', 1, 1, 1],
      ['negotiation', 'won', 1, 1, 1],
    ]);
  });

  it('counts a removed stage for the stage its deals went to; leaves trashed deals out', () => {
    const log = seed();
    log.run(pipelineAggregate, 'default', {
      type: 'RemovePipelineStage',
      stageId: 'qualified',
      reassignTo: 'proposal',
    });
    log.run(dealAggregate, 'd3', { type: 'TrashDeal' });
    const state = fold(analyticsProjection, log.events);
    const t = timeInStages(state, 'default', NOW);
    expect(t.stages.map((s) => [s.stageId, s.deals])).toEqual([
      ['lead', 2],
      ['proposal', 2],
      ['negotiation', 0],
    ]);
    expect(stageConversion(state, 'nope')).toEqual([]);
  });
});
