import { describe, expect, it } from 'vitest';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { taskAggregate } from '../../../core/crm/domain/task.js';
import { dashboardOf, dashboardProjection } from '../../../core/crm/read/dashboard.js';
import { boardLog, fold } from './helpers.js';

describe('dashboard', () => {
  it('pipeline value by stage, won/lost per month (UTC), win rate, tasks done per month', () => {
    const log = boardLog();
    log.run(dealAggregate, 'd1', { type: 'MarkDealWon', date: '2026-01-31' });
    log.run(dealAggregate, 'd2', { type: 'MarkDealWon', date: '2026-02-01' });
    log.run(dealAggregate, 'd3', { type: 'MarkDealLost', reason: 'No budget', date: '2026-02-10' });
    log.run(taskAggregate, 't1', { type: 'CreateTask', title: 'Call' });
    log.run(taskAggregate, 't2', { type: 'CreateTask', title: 'Mail' });
    log.run(taskAggregate, 't3', { type: 'CreateTask', title: 'Visit' });
    log.run(taskAggregate, 't1', { type: 'CompleteTask', at: '2026-01-31T23:30:00-02:00' }); // Feb 1st UTC
    log.run(taskAggregate, 't2', { type: 'CompleteTask', at: '2026-01-15T10:00:00Z' });
    log.run(taskAggregate, 't3', { type: 'CompleteTask', at: '2026-01-16T10:00:00Z' });
    log.run(taskAggregate, 't3', { type: 'ReopenTask' });
    const d = dashboardOf(fold(dashboardProjection, log.events));
    expect(d.pipelines[0]?.stages.map((s) => [s.stageId, s.count, s.sums])).toEqual([
      ['lead', 1, {}],
      ['qualified', 0, {}],
      ['proposal', 0, {}],
      ['negotiation', 0, {}],
    ]);
    expect(d.months).toEqual([
      { month: '2026-01', won: 1, lost: 0, wonValue: { EUR: 100_00 }, lostValue: {} },
      { month: '2026-02', won: 1, lost: 1, wonValue: { USD: 50_00 }, lostValue: { EUR: 200_00 } },
    ]);
    expect(d.winRate).toBeCloseTo(2 / 3);
    expect(d.tasksDone).toEqual([
      { month: '2026-01', count: 1 },
      { month: '2026-02', count: 1 },
    ]);
    const feb = dashboardOf(fold(dashboardProjection, log.events), {
      fromMonth: '2026-02',
      toMonth: '2026-02',
    });
    expect(feb.winRate).toBe(0.5);
    expect(feb.tasksDone).toEqual([{ month: '2026-02', count: 1 }]);
  });

  it('has no win rate without closed deals; trashed deals do not count', () => {
    const log = boardLog();
    log.run(dealAggregate, 'd1', { type: 'MarkDealWon', date: '2026-01-31' });
    log.run(dealAggregate, 'd1', { type: 'TrashDeal' });
    const d = dashboardOf(fold(dashboardProjection, log.events));
    expect(d.winRate).toBeNull();
    expect(d.months).toEqual([]);
  });

  it('keeps its monthly totals right through reopening, re-closing, trashing, restoring and edits of the amount', () => {
    const log = boardLog();
    const steps: [string, Record<string, unknown>][] = [
      ['d1', { type: 'MarkDealWon', date: '2026-01-31' }],
      ['d2', { type: 'MarkDealWon', date: '2026-01-05' }],
      ['d1', { type: 'ReopenDeal' }],
      ['d1', { type: 'MarkDealLost', reason: 'Late', date: '2026-03-02' }],
      ['d3', { type: 'MarkDealWon', date: '2026-03-09' }],
      ['d3', { type: 'UpdateDeal', fields: { amount: { minor: 0, currency: 'EUR' } } }],
      ['d2', { type: 'TrashDeal' }],
      ['d4', { type: 'MarkDealWon', date: '2026-03-10' }],
      ['d2', { type: 'RestoreDeal' }],
      ['d2', { type: 'ReopenDeal' }],
    ];
    const expected = [
      [{ month: '2026-01', won: 1, lost: 0, wonValue: { EUR: 100_00 }, lostValue: {} }],
      [{ month: '2026-01', won: 2, lost: 0, wonValue: { EUR: 100_00, USD: 50_00 }, lostValue: {} }],
      [{ month: '2026-01', won: 1, lost: 0, wonValue: { USD: 50_00 }, lostValue: {} }],
      [
        { month: '2026-01', won: 1, lost: 0, wonValue: { USD: 50_00 }, lostValue: {} },
        { month: '2026-03', won: 0, lost: 1, wonValue: {}, lostValue: { EUR: 100_00 } },
      ],
      [
        { month: '2026-01', won: 1, lost: 0, wonValue: { USD: 50_00 }, lostValue: {} },
        { month: '2026-03', won: 1, lost: 1, wonValue: { EUR: 200_00 }, lostValue: { EUR: 100_00 } },
      ],
      [
        { month: '2026-01', won: 1, lost: 0, wonValue: { USD: 50_00 }, lostValue: {} },
        { month: '2026-03', won: 1, lost: 1, wonValue: { EUR: 0 }, lostValue: { EUR: 100_00 } },
      ],
      [{ month: '2026-03', won: 1, lost: 1, wonValue: { EUR: 0 }, lostValue: { EUR: 100_00 } }],
      [{ month: '2026-03', won: 2, lost: 1, wonValue: { EUR: 0 }, lostValue: { EUR: 100_00 } }],
      [
        { month: '2026-01', won: 1, lost: 0, wonValue: { USD: 50_00 }, lostValue: {} },
        { month: '2026-03', won: 2, lost: 1, wonValue: { EUR: 0 }, lostValue: { EUR: 100_00 } },
      ],
      [{ month: '2026-03', won: 2, lost: 1, wonValue: { EUR: 0 }, lostValue: { EUR: 100_00 } }],
    ];
    steps.forEach(([id, command], i) => {
      log.run(dealAggregate, id, command as never);
      const state = fold(dashboardProjection, log.events);
      expect(dashboardOf(state).months, `after step ${i + 1}`).toEqual(expected[i]);
      // A checkpoint in between changes nothing.
      expect(dashboardOf(JSON.parse(JSON.stringify(state)) as typeof state).months).toEqual(expected[i]);
    });
    expect(dashboardOf(fold(dashboardProjection, log.events)).winRate).toBeCloseTo(2 / 3);
  });
});
