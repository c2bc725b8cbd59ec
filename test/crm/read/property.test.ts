/**
 * The checkpoint/restore property of every read model: for random domain command sequences over a few records,
 * folding all events at once equals folding them in two halves with a JSON round trip of the state in between,
 * and the queries answer the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Aggregate, DomainEvent } from '../../../core/es/aggregate.js';
import type { Projection } from '../../../core/es/projection.js';
import { activityAggregate } from '../../../core/crm/domain/activity.js';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { noteAggregate } from '../../../core/crm/domain/note.js';
import { pipelineAggregate } from '../../../core/crm/domain/pipeline.js';
import { taskAggregate } from '../../../core/crm/domain/task.js';
import * as read from '../../../core/crm/read/index.js';
import { EventLog, eventsOf, fold, foldInHalves, jsonEqual } from './helpers.js';

type Step = { agg: Aggregate<unknown, unknown, DomainEvent>; id: string; command: unknown; days: number };

const contactIds = ['c1', 'c2', 'c3'];
const companyIds = ['k1', 'k2'];
const stageIds = ['lead', 'qualified', 'proposal', 'negotiation', 'demo'];
const first = fc.constantFrom('Zoë', 'Ana', 'constructor', 'Bjørn');
const tags = fc.subarray(['VIP', 'vip', 'lead', 'toString', 'Café']);
const contact = fc.constantFrom(...contactIds);
const company = fc.constantFrom(...companyIds);
const record = fc.oneof(
  contact.map((id) => ({ kind: 'contact' as const, id })),
  company.map((id) => ({ kind: 'company' as const, id })),
  fc.constantFrom({ kind: 'deal' as const, id: 'd1' }),
);
const date = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`);

function step(
  agg: Aggregate<never, never, never>,
  id: fc.Arbitrary<string>,
  command: fc.Arbitrary<unknown>,
): fc.Arbitrary<Step> {
  return fc.record({
    agg: fc.constant(agg as unknown as Step['agg']),
    id,
    command,
    days: fc.integer({ min: 0, max: 3 }),
  });
}

const steps: fc.Arbitrary<Step> = fc.oneof(
  step(
    contactAggregate as never,
    contact,
    fc.oneof(
      fc.record({
        type: fc.constant('CreateContact'),
        firstName: first,
        tags,
        companyId: fc.option(company),
        emails: fc.constantFrom([], ['a@x.io']),
      }),
      fc.record({
        type: fc.constant('UpdateContact'),
        fields: fc.record({ firstName: first, tags, companyId: fc.option(company) }, { requiredKeys: [] }),
      }),
      fc.constantFrom(
        { type: 'ArchiveContact' },
        { type: 'UnarchiveContact' },
        { type: 'TrashContact' },
        { type: 'RestoreContact' },
        { type: 'UnmergeContact' },
        { type: 'ForgetContact' },
      ),
      contact.map((targetId) => ({ type: 'MergeContactInto', targetId })),
      contact.map((sourceId) => ({ type: 'MergeContactFrom', sourceId, source: { tags: ['merged'] } })),
    ),
  ),
  step(
    companyAggregate as never,
    company,
    fc.oneof(
      fc.record({
        type: fc.constant('CreateCompany'),
        name: fc.constantFrom('Acme', 'Société', 'valueOf'),
        tags,
      }),
      fc.record({
        type: fc.constant('UpdateCompany'),
        fields: fc.record({ name: fc.constantFrom('Globex', 'Acme'), tags }, { requiredKeys: [] }),
      }),
      fc.constantFrom({ type: 'ArchiveCompany' }, { type: 'TrashCompany' }, { type: 'RestoreCompany' }),
    ),
  ),
  step(
    pipelineAggregate as never,
    fc.constant('default'),
    fc.oneof(
      fc.constant({ type: 'CreateDefaultPipeline' }),
      fc.constant({ type: 'AddPipelineStage', stageId: 'demo', name: 'Demo', position: 1 }),
      fc
        .constantFrom(...stageIds)
        .map((stageId) => ({ type: 'RenamePipelineStage', stageId, name: `S-${stageId}` })),
      fc.constant({ type: 'RemovePipelineStage', stageId: 'qualified', reassignTo: 'proposal' }),
      fc
        .shuffledSubarray(['lead', 'qualified', 'proposal', 'negotiation'], { minLength: 4 })
        .map((ids) => ({ type: 'ReorderPipelineStages', stageIds: ids })),
    ),
  ),
  step(
    dealAggregate as never,
    fc.constantFrom('d1', 'd2'),
    fc.oneof(
      fc.record({
        type: fc.constant('CreateDeal'),
        title: fc.constantFrom('Pilot', 'Renewal'),
        pipelineId: fc.constant('default'),
        stageId: fc.constantFrom('lead', 'proposal'),
        pipelineStageIds: fc.constant(stageIds),
        amount: fc.option(fc.record({ minor: fc.nat(10_000), currency: fc.constantFrom('EUR', 'USD') })),
        contactIds: fc.subarray(contactIds),
      }),
      fc.record({
        type: fc.constant('UpdateDeal'),
        fields: fc.record(
          {
            expectedCloseDate: fc.option(date),
            contactIds: fc.subarray(contactIds),
            companyId: fc.option(company),
          },
          { requiredKeys: [] },
        ),
      }),
      fc
        .constantFrom(...stageIds)
        .map((stageId) => ({ type: 'MoveDealStage', stageId, pipelineStageIds: stageIds })),
      fc.constant({ type: 'ReassignDealStage', removedStageId: 'qualified', stageId: 'proposal' }),
      date.map((d) => ({ type: 'MarkDealWon', date: d })),
      date.map((d) => ({ type: 'MarkDealLost', date: d, reason: 'Budget' })),
      fc.constantFrom({ type: 'ReopenDeal' }, { type: 'TrashDeal' }, { type: 'RestoreDeal' }),
    ),
  ),
  step(
    taskAggregate as never,
    fc.constantFrom('t1', 't2'),
    fc.oneof(
      fc.record({
        type: fc.constant('CreateTask'),
        title: fc.constant('Call'),
        link: fc.option(record),
        due: fc.option(fc.record({ date })),
      }),
      fc.record({ type: fc.constant('UpdateTask'), fields: fc.record({ link: fc.option(record) }) }),
      fc.constantFrom(
        { type: 'CompleteTask' },
        { type: 'ReopenTask' },
        { type: 'TrashTask' },
        { type: 'RestoreTask' },
      ),
      date.map((d) => ({ type: 'RescheduleTask', due: { date: d, time: '09:00' } })),
      fc.constant({ type: 'SnoozeTaskReminder', until: '2027-01-01T00:00:00Z' }),
    ),
  ),
  step(
    noteAggregate as never,
    fc.constantFrom('n1', 'n2'),
    fc.oneof(
      fc.record({
        type: fc.constant('CreateNote'),
        body: fc.constantFrom('Met Zoë', 'Acme call'),
        link: record,
      }),
      fc.record({
        type: fc.constant('EditNote'),
        fields: fc.record(
          { body: fc.constantFrom('Edited', 'Zoë again'), link: record },
          { requiredKeys: [] },
        ),
      }),
      fc.constantFrom({ type: 'TrashNote' }, { type: 'RestoreNote' }),
    ),
  ),
  step(
    activityAggregate as never,
    fc.constant('a1'),
    fc.record({
      type: fc.constant('LogActivity'),
      kind: fc.constantFrom('call', 'email'),
      occurredAt: fc.constant('2026-01-05T09:30:00Z'),
      summary: fc.constant('Intro'),
      link: record,
    }),
  ),
);

function play(program: readonly Step[]): EventLog {
  const log = new EventLog();
  log.tryRun(pipelineAggregate, 'default', { type: 'CreateDefaultPipeline' });
  for (const s of program) {
    log.tryRun(s.agg, s.id, s.command);
    if (s.days > 0)
      log.push(
        'gizmo',
        'g',
        { type: 'Tick', data: null },
        { at: new Date(Date.parse('2026-01-01') + s.days * 86_400_000 * log.events.length).toISOString() },
      );
  }
  log.push('contact', 'c1', { type: 'ContactFromTheFuture', data: { x: 1 } });
  return log;
}

/** What each model answers, to compare the answers too (not only the states). */
const queries: [Projection<never>, (s: never, events: ReturnType<typeof eventsOf>) => unknown][] = [
  [
    read.contactsProjection as never,
    (s) => read.queryContacts(s, { q: 'zo', archived: 'include', trash: 'include', includeMerged: true }),
  ],
  [read.companiesProjection as never, (s) => read.queryCompanies(s, { sort: 'updatedAt' })],
  [read.pipelineBoardProjection as never, (s) => read.boardOf(s, 'default')],
  [
    read.tasksProjection as never,
    (s) => [
      read.taskGroups(s, { now: '2026-02-10T00:00:00Z' }),
      read.remindersDue(s, { now: '2026-02-10T00:00:00Z' }),
    ],
  ],
  [read.dashboardProjection as never, (s) => read.dashboardOf(s)],
  [read.tagsProjection as never, (s) => read.tagCounts(s)],
  [
    read.timelineProjection as never,
    (s, events) =>
      ['c1', 'c2', 'k1', 'd1'].map((id) =>
        read.timelineOf(
          s,
          id.startsWith('c') ? 'contact' : id.startsWith('k') ? 'company' : 'deal',
          id,
          {},
          events,
        ),
      ),
  ],
  [read.searchProjection as never, (s) => read.searchAll(s, { q: 'a' })],
  [
    read.analyticsProjection as never,
    (s) => [
      read.timeInStages(s, 'default', { now: '2026-03-01T00:00:00Z' }),
      read.stageConversion(s, 'default'),
      read.slippedDeals(s),
      read.staleDeals(s, { now: '2026-03-01T00:00:00Z', days: 2 }),
    ],
  ],
];

describe('read models: checkpoint/restore equivalence', () => {
  it('covers every registered projection', () => {
    expect(queries.map(([p]) => p.name).sort()).toEqual(read.crmProjections.map((p) => p.name).sort());
  });

  it('folding at once equals folding in two halves with a JSON round trip between them', () => {
    let produced = 0;
    fc.assert(
      fc.property(fc.array(steps, { minLength: 5, maxLength: 60 }), fc.nat(), (program, cut) => {
        const { events } = play(program);
        produced += events.length;
        const k = cut % (events.length + 1);
        for (const [p, query] of queries) {
          const whole = fold(p, events);
          expect(jsonEqual(JSON.parse(JSON.stringify(whole)), whole)).toBe(true);
          const halves = foldInHalves(p, events, k);
          expect(jsonEqual(halves, whole)).toBe(true);
          expect(query(halves, eventsOf(events))).toEqual(query(whole, eventsOf(events)));
        }
      }),
      { numRuns: 150 },
    );
    expect(produced).toBeGreaterThan(150 * 10);
  });
});
