import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import { type DealCommand, type DealEvent, dealAggregate as deal } from '../../../core/crm/domain/deal.js';
import { checkAggregateProperty } from './helpers.js';

const stages = ['lead', 'qualified', 'proposal'];
const created: DealEvent = {
  type: 'DealCreated',
  data: {
    title: 'Website',
    amount: { minor: 500000, currency: 'EUR' },
    contactIds: ['c-1'],
    companyId: null,
    expectedCloseDate: null,
    owner: null,
    pipelineId: 'default',
    stageId: 'lead',
    customFields: {},
  },
};
const won: DealEvent = { type: 'DealWon', data: { date: '2026-01-01' } };
const trashed: DealEvent = { type: 'DealTrashed', data: null };

describe('CreateDeal', () => {
  it('creates in a stage of its pipeline', () => {
    given(deal, [])
      .when({
        type: 'CreateDeal',
        title: 'Website',
        amount: { minor: 500000, currency: 'eur' },
        pipelineId: 'default',
        stageId: 'lead',
        pipelineStageIds: stages,
        contactIds: ['c-1', 'c-1'],
      })
      .then([created]);
  });

  it('refuses a stage outside the pipeline (UNKNOWN_STAGE) and a double create (ALREADY_EXISTS)', () => {
    const cmd: DealCommand = {
      type: 'CreateDeal',
      title: 'X',
      pipelineId: 'default',
      stageId: 'won',
      pipelineStageIds: stages,
    };
    const err = given(deal, []).when(cmd).thenFails('UNKNOWN_STAGE');
    expect(err.details).toEqual({ stageId: 'won', known: stages });
    given(deal, [created])
      .when({ ...cmd, stageId: 'lead' })
      .thenFails('ALREADY_EXISTS');
  });

  it('validates the amount (AMOUNT_NEGATIVE, AMOUNT_NOT_INTEGER, INVALID_CURRENCY) and the close date (INVALID_DATE)', () => {
    const base = {
      type: 'CreateDeal' as const,
      title: 'X',
      pipelineId: 'default',
      stageId: 'lead',
      pipelineStageIds: stages,
    };
    const err = given(deal, [])
      .when({ ...base, amount: { minor: -100, currency: 'EUR' } })
      .thenFails('AMOUNT_NEGATIVE');
    expect(err.message).toBe('The amount cannot be negative.');
    given(deal, [])
      .when({ ...base, amount: { minor: 99.5, currency: 'EUR' } })
      .thenFails('AMOUNT_NOT_INTEGER');
    given(deal, [])
      .when({ ...base, amount: { minor: 1, currency: 'EU' } })
      .thenFails('INVALID_CURRENCY');
    given(deal, [])
      .when({ ...base, expectedCloseDate: '2026-02-30' })
      .thenFails('INVALID_DATE');
    given(deal, [])
      .when({ ...base, title: '' })
      .thenFails('REQUIRED_FIELD');
  });
});

describe('UpdateDeal', () => {
  it('emits only changed fields', () => {
    given(deal, [created])
      .when({
        type: 'UpdateDeal',
        fields: {
          title: 'Website',
          amount: { minor: 600000, currency: 'EUR' },
          expectedCloseDate: '2026-03-31',
        },
      })
      .then([
        {
          type: 'DealUpdated',
          data: {
            changes: {
              amount: { from: { minor: 500000, currency: 'EUR' }, to: { minor: 600000, currency: 'EUR' } },
              expectedCloseDate: { from: null, to: '2026-03-31' },
            },
          },
        },
      ]);
    given(deal, [created])
      .when({ type: 'UpdateDeal', fields: { amount: { minor: 500000, currency: 'eur' } } })
      .then([]);
  });

  it('can edit a closed deal but not a trashed or missing one', () => {
    expect(
      given(deal, [created, won]).when({ type: 'UpdateDeal', fields: { owner: 'ana' } }).events,
    ).toHaveLength(1);
    given(deal, [created, trashed])
      .when({ type: 'UpdateDeal', fields: { owner: 'ana' } })
      .thenFails('IN_TRASH');
    given(deal, [])
      .when({ type: 'UpdateDeal', fields: { owner: 'ana' } })
      .thenFails('NOT_FOUND');
  });
});

describe('MoveDealStage and ReassignDealStage', () => {
  it('moves to a known stage; same stage is a no-op', () => {
    given(deal, [created])
      .when({ type: 'MoveDealStage', stageId: 'proposal', pipelineStageIds: stages })
      .then([
        {
          type: 'DealStageChanged',
          data: { changes: { stageId: { from: 'lead', to: 'proposal' } }, cause: 'moved' },
        },
      ]);
    given(deal, [created])
      .when({ type: 'MoveDealStage', stageId: 'lead', pipelineStageIds: stages })
      .then([]);
  });

  it('moves to another pipeline', () => {
    given(deal, [created])
      .when({ type: 'MoveDealStage', pipelineId: 'p-2', stageId: 'lead', pipelineStageIds: ['lead', 'demo'] })
      .then([
        {
          type: 'DealStageChanged',
          data: { changes: { pipelineId: { from: 'default', to: 'p-2' } }, cause: 'moved' },
        },
      ]);
  });

  it('refuses an unknown stage (UNKNOWN_STAGE), a closed deal (DEAL_CLOSED), a trashed one (IN_TRASH)', () => {
    given(deal, [created])
      .when({ type: 'MoveDealStage', stageId: 'nope', pipelineStageIds: stages })
      .thenFails('UNKNOWN_STAGE');
    const err = given(deal, [created, won])
      .when({ type: 'MoveDealStage', stageId: 'proposal', pipelineStageIds: stages })
      .thenFails('DEAL_CLOSED');
    expect(err.message).toBe('This deal is already won: reopen it first.');
    given(deal, [created, trashed])
      .when({ type: 'MoveDealStage', stageId: 'proposal', pipelineStageIds: stages })
      .thenFails('IN_TRASH');
  });

  it('reassigns from a removed stage, even closed or trashed deals; otherwise a no-op', () => {
    const expected: DealEvent[] = [
      {
        type: 'DealStageChanged',
        data: { changes: { stageId: { from: 'lead', to: 'qualified' } }, cause: 'stage-removed' },
      },
    ];
    given(deal, [created, won, trashed])
      .when({ type: 'ReassignDealStage', removedStageId: 'lead', stageId: 'qualified' })
      .then(expected);
    given(deal, [created])
      .when({ type: 'ReassignDealStage', removedStageId: 'proposal', stageId: 'qualified' })
      .then([]);
    given(deal, [])
      .when({ type: 'ReassignDealStage', removedStageId: 'lead', stageId: 'qualified' })
      .thenFails('NOT_FOUND');
  });
});

describe('won, lost, reopen', () => {
  it('marks won on a given day or today', () => {
    given(deal, [created])
      .when({ type: 'MarkDealWon', date: '2025-12-24' })
      .then([{ type: 'DealWon', data: { date: '2025-12-24' } }]);
    const r = given(deal, [created]).when({ type: 'MarkDealWon' });
    r.then([won]);
    expect(r.state.status).toBe('won');
  });

  it('marks lost with a reason (REQUIRED_FIELD without one)', () => {
    const r = given(deal, [created]).when({ type: 'MarkDealLost', reason: 'Budget cut' });
    r.then([{ type: 'DealLost', data: { date: '2026-01-01', reason: 'Budget cut' } }]);
    expect(r.state).toMatchObject({ status: 'lost', closedOn: '2026-01-01', lostReason: 'Budget cut' });
    const err = given(deal, [created])
      .when({ type: 'MarkDealLost', reason: ' ' })
      .thenFails('REQUIRED_FIELD');
    expect(err.message).toBe('Enter the reason the deal was lost.');
  });

  it('refuses closing a closed deal (DEAL_CLOSED) or a trashed one (IN_TRASH)', () => {
    given(deal, [created, won]).when({ type: 'MarkDealLost', reason: 'x' }).thenFails('DEAL_CLOSED');
    given(deal, [created, won]).when({ type: 'MarkDealWon' }).thenFails('DEAL_CLOSED');
    given(deal, [created, trashed]).when({ type: 'MarkDealWon' }).thenFails('IN_TRASH');
  });

  it('reopens a closed deal, not an open one (DEAL_NOT_CLOSED)', () => {
    const r = given(deal, [created, { type: 'DealLost', data: { date: '2026-01-01', reason: 'x' } }]).when({
      type: 'ReopenDeal',
    });
    r.then([{ type: 'DealReopened', data: { from: 'lost' } }]);
    expect(r.state).toMatchObject({ status: 'open', closedOn: null, lostReason: null });
    given(deal, [created]).when({ type: 'ReopenDeal' }).thenFails('DEAL_NOT_CLOSED');
  });
});

describe('trash', () => {
  it('trashes and restores whole', () => {
    given(deal, [created]).when({ type: 'TrashDeal' }).then([trashed]);
    const r = given(deal, [created, won, trashed]).when({ type: 'RestoreDeal' });
    r.then([{ type: 'DealRestored', data: null }]);
    expect(r.state.status).toBe('won');
    given(deal, []).when({ type: 'TrashDeal' }).thenFails('NOT_FOUND');
  });

  it('evolve ignores unknown events', () => {
    const s = given(deal, [created]).state;
    expect(deal.evolve(s, { type: 'DealSplit', data: null } as unknown as DealEvent)).toBe(s);
  });
});

const stage = fc.constantFrom('lead', 'qualified', 'proposal', 'gone');
const commandArb: fc.Arbitrary<DealCommand> = fc.oneof(
  fc.record({
    type: fc.constant('CreateDeal' as const),
    title: fc.constantFrom('A', 'B'),
    pipelineId: fc.constant('default'),
    stageId: stage,
    pipelineStageIds: fc.constant(stages),
  }),
  fc.record({
    type: fc.constant('UpdateDeal' as const),
    fields: fc.record(
      {
        title: fc.constantFrom('A', 'B'),
        amount: fc.option(fc.record({ minor: fc.nat(1000), currency: fc.constantFrom('EUR', 'USD') }), {
          nil: null,
        }),
        contactIds: fc.uniqueArray(fc.constantFrom('c-1', 'c-2'), { maxLength: 2 }),
        expectedCloseDate: fc.constantFrom('2026-03-31', null),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({
    type: fc.constant('MoveDealStage' as const),
    stageId: stage,
    pipelineId: fc.constantFrom('default', 'p-2'),
    pipelineStageIds: fc.constant(stages),
  }),
  fc.record({ type: fc.constant('ReassignDealStage' as const), removedStageId: stage, stageId: stage }),
  fc.record({
    type: fc.constant('UnlinkDealRecord' as const),
    kind: fc.constantFrom('contact' as const, 'company' as const),
    id: fc.constantFrom('c-1', 'c-2', 'co-1'),
  }),
  fc.record({ type: fc.constant('MarkDealWon' as const), date: fc.constantFrom('2026-01-02', '2026-02-03') }),
  fc.record({ type: fc.constant('MarkDealLost' as const), reason: fc.constantFrom('Price', 'Timing') }),
  fc.constantFrom<DealCommand>({ type: 'ReopenDeal' }, { type: 'TrashDeal' }, { type: 'RestoreDeal' }),
);

describe('UnlinkDealRecord', () => {
  const linked: DealEvent = {
    type: 'DealCreated',
    data: { ...created.data, contactIds: ['c-1', 'c-2'], companyId: 'co-1' },
  } as DealEvent;

  it('takes a contact out of contactIds, or clears companyId, even on closed and trashed deals', () => {
    const lost: DealEvent = { type: 'DealLost', data: { date: '2026-01-01', reason: 'Price' } };
    for (const extra of [[], [won], [lost], [trashed]] as DealEvent[][]) {
      given(deal, [linked, ...extra])
        .when({ type: 'UnlinkDealRecord', kind: 'contact', id: 'c-1' })
        .then([
          { type: 'DealUpdated', data: { changes: { contactIds: { from: ['c-1', 'c-2'], to: ['c-2'] } } } },
        ]);
      given(deal, [linked, ...extra])
        .when({ type: 'UnlinkDealRecord', kind: 'company', id: 'co-1' })
        .then([{ type: 'DealUpdated', data: { changes: { companyId: { from: 'co-1', to: null } } } }]);
    }
  });

  it('is a no-op for a record the deal does not point at; refused on a missing deal (NOT_FOUND)', () => {
    given(deal, [linked]).when({ type: 'UnlinkDealRecord', kind: 'contact', id: 'c-9' }).then([]);
    given(deal, [linked]).when({ type: 'UnlinkDealRecord', kind: 'company', id: 'co-2' }).then([]);
    given(deal, []).when({ type: 'UnlinkDealRecord', kind: 'contact', id: 'c-1' }).thenFails('NOT_FOUND');
  });
});

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    const start: DealCommand[] = [
      { type: 'CreateDeal', title: 'A', pipelineId: 'default', stageId: 'lead', pipelineStageIds: stages },
    ];
    expect(checkAggregateProperty(deal, commandArb, { start })).toBeGreaterThan(600);
  });
});
