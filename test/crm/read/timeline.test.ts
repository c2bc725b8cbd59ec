import { describe, expect, it } from 'vitest';
import { activityAggregate } from '../../../core/crm/domain/activity.js';
import { companyAggregate } from '../../../core/crm/domain/company.js';
import { contactAggregate } from '../../../core/crm/domain/contact.js';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { noteAggregate } from '../../../core/crm/domain/note.js';
import { pipelineAggregate } from '../../../core/crm/domain/pipeline.js';
import { taskAggregate } from '../../../core/crm/domain/task.js';
import { timelineOf, timelineProjection } from '../../../core/crm/read/timeline.js';
import { EventLog, eventsOf, fold, STAGES } from './helpers.js';

function seed(): EventLog {
  const log = new EventLog();
  log.run(pipelineAggregate, 'default', { type: 'CreateDefaultPipeline' });
  log.run(companyAggregate, 'k1', { type: 'CreateCompany', name: 'Acme' });
  log.run(contactAggregate, 'c1', {
    type: 'CreateContact',
    firstName: 'Zoë',
    lastName: 'Łukasiewicz',
    emails: ['zoe@example.com'],
    title: 'CTO',
  });
  return log;
}

const timeline = (log: EventLog, kind: string, id: string) =>
  timelineOf(fold(timelineProjection, log.events), kind, id, {}, eventsOf(log.events));

describe('timeline', () => {
  it('describes field changes line by line, newest first, with actor and time', () => {
    const log = seed();
    log.run(
      contactAggregate,
      'c1',
      { type: 'UpdateContact', fields: { title: 'CEO', companyId: 'k1', tags: ['VIP', 'lead'] } },
      { actor: 'user:bo', at: '2026-02-03T10:00:00Z' },
    );
    const { total, items } = timeline(log, 'contact', 'c1');
    expect(total).toBe(2);
    expect(items[0]).toMatchObject({
      at: '2026-02-03T10:00:00.000Z',
      actor: 'user:bo',
      kind: 'contact',
      id: 'c1',
      type: 'ContactUpdated',
      summary: 'Edited contact “Zoë Łukasiewicz”',
      lines: ['Title: CTO -> CEO', 'Company: none -> “Acme”', 'Tags: none -> VIP, lead'],
    });
    expect(items[1]?.summary).toBe('Created contact “Zoë Łukasiewicz”');
    expect(items[1]?.lines).toContain('E-mails: zoe@example.com');
    // The company's timeline shows the contact joining it.
    expect(timeline(log, 'company', 'k1').items[0]?.lines).toEqual([
      'Title: CTO -> CEO',
      'Company: none -> “Acme”',
      'Tags: none -> VIP, lead',
    ]);
  });

  it('lists notes, activities, tasks and deals linked to a record, with money, dates and stage names', () => {
    const log = seed();
    log.run(noteAggregate, 'n1', {
      type: 'CreateNote',
      body: 'Met at the fair. '.repeat(50),
      link: { kind: 'contact', id: 'c1' },
    });
    log.run(activityAggregate, 'a1', {
      type: 'LogActivity',
      kind: 'call',
      occurredAt: '2026-01-05T09:30:00Z',
      summary: 'Intro call',
      link: { kind: 'contact', id: 'c1' },
    });
    log.run(taskAggregate, 't1', {
      type: 'CreateTask',
      title: 'Send deck',
      link: { kind: 'contact', id: 'c1' },
    });
    log.run(taskAggregate, 't1', { type: 'RescheduleTask', due: { date: '2026-02-01', time: '09:00' } });
    log.run(dealAggregate, 'd1', {
      type: 'CreateDeal',
      title: 'Pilot',
      pipelineId: 'default',
      stageId: 'lead',
      pipelineStageIds: STAGES,
      contactIds: ['c1'],
      amount: { minor: 1_500_00, currency: 'EUR' },
    });
    log.run(dealAggregate, 'd1', {
      type: 'UpdateDeal',
      fields: { amount: { minor: 2_000_00, currency: 'EUR' }, expectedCloseDate: '2026-04-30' },
    });
    log.run(dealAggregate, 'd1', { type: 'MoveDealStage', stageId: 'proposal', pipelineStageIds: STAGES });
    log.run(dealAggregate, 'd1', { type: 'MarkDealLost', reason: 'Budget', date: '2026-05-02' });
    const { items } = timeline(log, 'contact', 'c1');
    const described = items.map((i) => [i.summary, ...i.lines]);
    expect(described.slice(0, 6)).toEqual([
      ['Lost deal “Pilot”', 'Closed on: 2026-05-02', 'Reason: Budget'],
      ['Moved deal “Pilot”', 'Stage: Lead -> Proposal'],
      [
        'Edited deal “Pilot”',
        'Amount: EUR 1,500.00 -> EUR 2,000.00',
        'Expected close date: none -> 2026-04-30',
      ],
      [
        'Created deal “Pilot”',
        'Title: Pilot',
        'Amount: EUR 1,500.00',
        'Contacts: “Zoë Łukasiewicz”',
        'Pipeline: “Sales”',
        'Stage: Lead',
      ],
      ['Rescheduled task “Send deck”', 'Due: none -> 2026-02-01 09:00'],
      [
        'Created task “Send deck”',
        'Title: Send deck',
        'Priority: medium',
        'Linked to: contact “Zoë Łukasiewicz”',
      ],
    ]);
    expect(described[6]?.[0]).toBe('Logged call “Intro call”');
    expect(described[6]).toContain('When: 2026-01-05 09:30 UTC');
    expect(described[7]?.[0]).toMatch(/^Created note “Met at the fair/);
    // Long texts are stored cut, not whole.
    const state = fold(timelineProjection, log.events);
    expect(JSON.stringify(state).length).toBeLessThan(20_000);
    expect(timelineOf(state, 'deal', 'd1', {}, eventsOf(log.events)).total).toBe(4);
    expect(
      timelineOf(state, 'contact', 'c1', { offset: 1, limit: 2 }, eventsOf(log.events)).items.map(
        (i) => i.type,
      ),
    ).toEqual(['DealStageChanged', 'DealUpdated']);
  });

  it('moves linked history to the kept contact of a merge once re-pointed', () => {
    const log = seed();
    log.run(contactAggregate, 'c2', { type: 'CreateContact', firstName: 'Zoe' });
    log.run(noteAggregate, 'n1', {
      type: 'CreateNote',
      body: 'Old note',
      link: { kind: 'contact', id: 'c2' },
    });
    log.run(contactAggregate, 'c2', { type: 'MergeContactInto', targetId: 'c1' });
    log.run(contactAggregate, 'c1', {
      type: 'MergeContactFrom',
      sourceId: 'c2',
      source: { firstName: 'Zoe' },
    });
    log.run(
      noteAggregate,
      'n1',
      { type: 'EditNote', fields: { link: { kind: 'contact', id: 'c1' } } },
      { actor: 'system:merge', causedBy: 'ev-x' },
    );
    const items = timeline(log, 'contact', 'c1').items;
    expect(items.map((i) => i.summary)).toEqual([
      'Edited note “Old note”',
      'Merged “Zoe” into contact “Zoë Łukasiewicz”',
      'Merged contact “Zoe” into “Zoë Łukasiewicz”',
      'Created note “Old note”',
      'Created contact “Zoë Łukasiewicz”',
    ]);
    expect(items[0]).toMatchObject({
      actor: 'system:merge',
      causedBy: 'ev-x',
      lines: ['Linked to: contact “Zoe” -> contact “Zoë Łukasiewicz”'],
    });
  });

  it('pipeline events describe stages by name', () => {
    const log = seed();
    log.run(pipelineAggregate, 'default', { type: 'RenamePipelineStage', stageId: 'lead', name: 'Inbox' });
    log.run(pipelineAggregate, 'default', {
      type: 'RemovePipelineStage',
      stageId: 'qualified',
      reassignTo: 'proposal',
    });
    const items = timeline(log, 'pipeline', 'default').items;
    expect(items.map((i) => [i.summary, ...i.lines])).toEqual([
      ['Removed stage “Qualified” from pipeline “Sales”', 'Deals moved to: Proposal'],
      ['Renamed a stage of pipeline “Sales”', 'Stage: Lead -> Inbox'],
      ['Created pipeline “Sales”', 'Name: Sales', 'Stages: Lead, Qualified, Proposal, Negotiation'],
    ]);
  });

  it('a forgotten contact leaves no entry, no note, no name behind; other records keep theirs', () => {
    const log = seed();
    log.run(noteAggregate, 'n1', {
      type: 'CreateNote',
      body: 'Zoë likes sailing',
      link: { kind: 'contact', id: 'c1' },
    });
    log.run(dealAggregate, 'd1', {
      type: 'CreateDeal',
      title: 'Pilot',
      pipelineId: 'default',
      stageId: 'lead',
      pipelineStageIds: STAGES,
      contactIds: ['c1'],
    });
    log.run(contactAggregate, 'c1', { type: 'UpdateContact', fields: { companyId: 'k1' } });
    log.run(contactAggregate, 'c1', { type: 'ForgetContact' });
    log.run(noteAggregate, 'n1', { type: 'EditNote', fields: { body: 'Zoë sails' } }); // a late event of an erased note
    const state = fold(timelineProjection, log.events);
    expect(timelineOf(state, 'contact', 'c1', {}, eventsOf(log.events)).total).toBe(0);
    expect(timelineOf(state, 'note', 'n1', {}, eventsOf(log.events)).total).toBe(0);
    expect(timelineOf(state, 'task', 't1', {}, eventsOf(log.events)).total).toBe(0);
    expect(timelineOf(state, 'company', 'k1', {}, eventsOf(log.events)).items.map((i) => i.type)).toEqual([
      'CompanyCreated',
    ]);
    const deal = timelineOf(state, 'deal', 'd1', {}, eventsOf(log.events)).items[0];
    expect(deal?.lines).toContain('Contacts: a forgotten contact');
    const json = JSON.stringify(state);
    for (const s of ['Zoë', 'ukasiewicz', 'zoe@', 'sailing', 'CTO']) expect(json).not.toContain(s);
  });

  it('ignores unknown event types', () => {
    const log = seed();
    log.push('contact', 'c1', { type: 'ContactTeleported', data: null });
    log.push('gizmo', 'g1', { type: 'GizmoCreated', data: {} });
    expect(timeline(log, 'contact', 'c1').total).toBe(1);
  });
});
