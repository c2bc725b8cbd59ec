import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { given } from '../../../core/es/testing.js';
import {
  createDefaultPipelineCommand,
  DEFAULT_STAGES,
  type PipelineCommand,
  type PipelineEvent,
  pipelineAggregate as pipeline,
} from '../../../core/crm/domain/pipeline.js';
import { checkAggregateProperty } from './helpers.js';

const created: PipelineEvent = {
  type: 'PipelineCreated',
  data: {
    name: 'Sales',
    stages: [
      { stageId: 'lead', name: 'Lead' },
      { stageId: 'qualified', name: 'Qualified' },
      { stageId: 'proposal', name: 'Proposal' },
      { stageId: 'negotiation', name: 'Negotiation' },
    ],
  },
};

describe('create', () => {
  it('creates the default pipeline: Lead, Qualified, Proposal, Negotiation', () => {
    given(pipeline, [], { id: 'default' }).when(createDefaultPipelineCommand()).then([created]);
    expect(DEFAULT_STAGES.map((s) => s.name)).toEqual(['Lead', 'Qualified', 'Proposal', 'Negotiation']);
  });

  it('creates a custom pipeline; refuses a second create (ALREADY_EXISTS)', () => {
    given(pipeline, [])
      .when({ type: 'CreatePipeline', name: 'Hiring', stages: [{ stageId: 'applied', name: 'Applied' }] })
      .then([
        {
          type: 'PipelineCreated',
          data: { name: 'Hiring', stages: [{ stageId: 'applied', name: 'Applied' }] },
        },
      ]);
    given(pipeline, [created]).when({ type: 'CreateDefaultPipeline' }).thenFails('ALREADY_EXISTS');
  });

  it('refuses no stages (TOO_FEW), duplicate stage ids and names', () => {
    const err = given(pipeline, [])
      .when({ type: 'CreatePipeline', name: 'X', stages: [] })
      .thenFails('TOO_FEW');
    expect(err.message).toBe('A pipeline needs at least one stage.');
    const a = { stageId: 'a', name: 'A' };
    given(pipeline, [])
      .when({ type: 'CreatePipeline', name: 'X', stages: [a, { stageId: 'a', name: 'B' }] })
      .thenFails('DUPLICATE_STAGE_ID');
    given(pipeline, [])
      .when({ type: 'CreatePipeline', name: 'X', stages: [a, { stageId: 'b', name: 'a' }] })
      .thenFails('DUPLICATE_STAGE_NAME');
  });

  it('refuses commands on a pipeline that does not exist (NOT_FOUND)', () => {
    given(pipeline, []).when({ type: 'RenamePipeline', name: 'X' }).thenFails('NOT_FOUND');
  });
});

describe('rename', () => {
  it('renames the pipeline and its stages with {from, to}; same name is a no-op', () => {
    given(pipeline, [created])
      .when({ type: 'RenamePipeline', name: 'Deals' })
      .then([{ type: 'PipelineRenamed', data: { name: { from: 'Sales', to: 'Deals' } } }]);
    given(pipeline, [created]).when({ type: 'RenamePipeline', name: 'Sales' }).then([]);
    given(pipeline, [created])
      .when({ type: 'RenamePipelineStage', stageId: 'lead', name: 'New lead' })
      .then([
        { type: 'PipelineStageRenamed', data: { stageId: 'lead', name: { from: 'Lead', to: 'New lead' } } },
      ]);
    given(pipeline, [created]).when({ type: 'RenamePipelineStage', stageId: 'lead', name: 'Lead' }).then([]);
  });

  it('a stage name must be free (DUPLICATE_STAGE_NAME); the stage must exist (UNKNOWN_STAGE)', () => {
    given(pipeline, [created])
      .when({ type: 'RenamePipelineStage', stageId: 'lead', name: 'PROPOSAL' })
      .thenFails('DUPLICATE_STAGE_NAME');
    given(pipeline, [created])
      .when({ type: 'RenamePipelineStage', stageId: 'won', name: 'Won' })
      .thenFails('UNKNOWN_STAGE');
    // Changing only the case of its own name is allowed.
    expect(
      given(pipeline, [created]).when({ type: 'RenamePipelineStage', stageId: 'lead', name: 'LEAD' }).events,
    ).toHaveLength(1);
  });
});

describe('add', () => {
  it('adds at the end or at a position (clamped to the end)', () => {
    const r = given(pipeline, [created]).when({
      type: 'AddPipelineStage',
      stageId: 'demo',
      name: 'Demo',
      position: 1,
    });
    r.then([{ type: 'PipelineStageAdded', data: { stageId: 'demo', name: 'Demo', position: 1 } }]);
    expect(r.state.stages.map((s) => s.stageId)).toEqual([
      'lead',
      'demo',
      'qualified',
      'proposal',
      'negotiation',
    ]);
    given(pipeline, [created])
      .when({ type: 'AddPipelineStage', stageId: 'demo', name: 'Demo', position: 99 })
      .then([{ type: 'PipelineStageAdded', data: { stageId: 'demo', name: 'Demo', position: 4 } }]);
  });

  it('refuses a taken id (DUPLICATE_STAGE_ID), a removed id (STAGE_ID_REMOVED), a taken name, a negative position', () => {
    given(pipeline, [created])
      .when({ type: 'AddPipelineStage', stageId: 'lead', name: 'Other' })
      .thenFails('DUPLICATE_STAGE_ID');
    const removed: PipelineEvent = {
      type: 'PipelineStageRemoved',
      data: { stageId: 'lead', name: 'Lead', reassignTo: 'qualified' },
    };
    given(pipeline, [created, removed])
      .when({ type: 'AddPipelineStage', stageId: 'lead', name: 'Lead' })
      .thenFails('STAGE_ID_REMOVED');
    given(pipeline, [created])
      .when({ type: 'AddPipelineStage', stageId: 'x', name: 'lead' })
      .thenFails('DUPLICATE_STAGE_NAME');
    given(pipeline, [created])
      .when({ type: 'AddPipelineStage', stageId: 'x', name: 'X', position: -1 })
      .thenFails('OUT_OF_RANGE');
  });

  it('refuses more than 50 stages (TOO_MANY_STAGES)', () => {
    const stages = Array.from({ length: 50 }, (_, i) => ({ stageId: `s${i}`, name: `S${i}` }));
    given(pipeline, [{ type: 'PipelineCreated', data: { name: 'Big', stages } }])
      .when({ type: 'AddPipelineStage', stageId: 'x', name: 'X' })
      .thenFails('TOO_MANY_STAGES');
  });
});

describe('reorder', () => {
  it('reorders with the old and new order; same order is a no-op', () => {
    const to = ['qualified', 'lead', 'proposal', 'negotiation'];
    const r = given(pipeline, [created]).when({ type: 'ReorderPipelineStages', stageIds: to });
    r.then([
      {
        type: 'PipelineStagesReordered',
        data: { order: { from: ['lead', 'qualified', 'proposal', 'negotiation'], to } },
      },
    ]);
    expect(r.state.stages.map((s) => s.stageId)).toEqual(to);
    given(pipeline, [created])
      .when({ type: 'ReorderPipelineStages', stageIds: ['lead', 'qualified', 'proposal', 'negotiation'] })
      .then([]);
  });

  it('refuses a list that is not every stage exactly once (STAGE_ORDER_MISMATCH)', () => {
    for (const stageIds of [
      ['lead'],
      ['lead', 'lead', 'proposal', 'negotiation'],
      ['lead', 'qualified', 'proposal', 'won'],
    ]) {
      given(pipeline, [created])
        .when({ type: 'ReorderPipelineStages', stageIds })
        .thenFails('STAGE_ORDER_MISMATCH');
    }
  });
});

describe('remove', () => {
  it('removes a stage and records where its deals go', () => {
    const r = given(pipeline, [created]).when({
      type: 'RemovePipelineStage',
      stageId: 'lead',
      reassignTo: 'qualified',
    });
    r.then([
      { type: 'PipelineStageRemoved', data: { stageId: 'lead', name: 'Lead', reassignTo: 'qualified' } },
    ]);
    expect(r.state.stages).toHaveLength(3);
    expect(r.state.removedStageIds).toEqual(['lead']);
  });

  it('refuses an unknown stage or target (UNKNOWN_STAGE), the same stage (REASSIGN_TO_SAME_STAGE), the last stage (LAST_STAGE)', () => {
    given(pipeline, [created])
      .when({ type: 'RemovePipelineStage', stageId: 'won', reassignTo: 'lead' })
      .thenFails('UNKNOWN_STAGE');
    const err = given(pipeline, [created])
      .when({ type: 'RemovePipelineStage', stageId: 'lead', reassignTo: 'won' })
      .thenFails('UNKNOWN_STAGE');
    expect(err.details).toMatchObject({ field: 'reassignTo' });
    given(pipeline, [created])
      .when({ type: 'RemovePipelineStage', stageId: 'lead', reassignTo: 'lead' })
      .thenFails('REASSIGN_TO_SAME_STAGE');
    given(pipeline, [
      { type: 'PipelineCreated', data: { name: 'One', stages: [{ stageId: 'a', name: 'A' }] } },
    ])
      .when({ type: 'RemovePipelineStage', stageId: 'a', reassignTo: 'b' })
      .thenFails('LAST_STAGE');
  });

  it('evolve ignores unknown events', () => {
    const s = given(pipeline, [created]).state;
    expect(pipeline.evolve(s, { type: 'PipelineDeleted', data: null } as unknown as PipelineEvent)).toBe(s);
  });
});

const id = fc.constantFrom('lead', 'qualified', 'proposal', 'negotiation', 'demo', 'won');
const name = fc.constantFrom('Lead', 'Demo', 'Won', 'demo', 'Closing');
const commandArb: fc.Arbitrary<PipelineCommand> = fc.oneof(
  fc.constant<PipelineCommand>({ type: 'CreateDefaultPipeline' }),
  fc.record({ type: fc.constant('RenamePipeline' as const), name: fc.constantFrom('Sales', 'Deals') }),
  fc.record({ type: fc.constant('AddPipelineStage' as const), stageId: id, name, position: fc.nat(6) }),
  fc.record({ type: fc.constant('RenamePipelineStage' as const), stageId: id, name }),
  fc.record({
    type: fc.constant('ReorderPipelineStages' as const),
    stageIds: fc.shuffledSubarray(['lead', 'qualified', 'proposal', 'negotiation', 'demo']),
  }),
  fc.record({ type: fc.constant('RemovePipelineStage' as const), stageId: id, reassignTo: id }),
);

describe('property', () => {
  it('random command sequences: evolve never throws, incremental state equals a fold from scratch', () => {
    expect(
      checkAggregateProperty(pipeline, commandArb, { start: [{ type: 'CreateDefaultPipeline' }] }),
    ).toBeGreaterThan(600);
  });

  it('stage ids stay unique and a pipeline keeps at least one stage', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        let state = pipeline.initialState();
        for (const c of commands) {
          try {
            for (const e of pipeline.decide(state, c, { id: 'p', version: 0, now: new Date() }))
              state = pipeline.evolve(state, e);
          } catch {
            // refused: state unchanged
          }
          const ids = state.stages.map((s) => s.stageId);
          expect(new Set(ids).size).toBe(ids.length);
          if (state.life.created) expect(ids.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
