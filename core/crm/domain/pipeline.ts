/**
 * The Pipeline aggregate: an ordered list of configurable stages deals move through. A default pipeline is
 * created on first run (`CreateDefaultPipeline`).
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { DomainError } from '../../es/errors.js';
import { type Change, sameValue } from './changes.js';
import { assertExists, assertNew, initialLifecycle, type Lifecycle } from './lifecycle.js';
import { idSchema, parseCommandWith, requiredText } from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const PIPELINE = 'pipeline';

/** The id of the pipeline created on first run. */
export const DEFAULT_PIPELINE_ID = 'default';

/** A stage of a pipeline. */
export interface Stage {
  stageId: string;
  name: string;
}

/** The stages of the default pipeline (ids are stable so the first-run command is idempotent). */
export const DEFAULT_STAGES: readonly Stage[] = [
  { stageId: 'lead', name: 'Lead' },
  { stageId: 'qualified', name: 'Qualified' },
  { stageId: 'proposal', name: 'Proposal' },
  { stageId: 'negotiation', name: 'Negotiation' },
];

const MAX_STAGES = 50;
const stageName = requiredText('a stage name', 100);
const stageSchema = z.object({ stageId: idSchema, name: stageName }).strict();

/** Zod schema of every pipeline command (used by `parseCommand` and again by `decide`). */
export const pipelineCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('CreatePipeline'),
      name: requiredText('a pipeline name'),
      stages: z
        .array(stageSchema)
        .min(1, 'A pipeline needs at least one stage.')
        .max(MAX_STAGES, `A pipeline has at most ${MAX_STAGES} stages.`),
    })
    .strict(),
  z.object({ type: z.literal('CreateDefaultPipeline') }).strict(),
  z.object({ type: z.literal('RenamePipeline'), name: requiredText('a pipeline name') }).strict(),
  z
    .object({
      type: z.literal('AddPipelineStage'),
      stageId: idSchema,
      name: stageName,
      position: z
        .number()
        .int('The position is a whole number.')
        .min(0, 'The position cannot be negative.')
        .optional(),
    })
    .strict(),
  z.object({ type: z.literal('RenamePipelineStage'), stageId: idSchema, name: stageName }).strict(),
  z
    .object({ type: z.literal('ReorderPipelineStages'), stageIds: z.array(idSchema).max(MAX_STAGES) })
    .strict(),
  z.object({ type: z.literal('RemovePipelineStage'), stageId: idSchema, reassignTo: idSchema }).strict(),
]);

/**
 * A pipeline command: `CreatePipeline {name, stages}`, `CreateDefaultPipeline` (Lead, Qualified, Proposal,
 * Negotiation; see {@link createDefaultPipelineCommand}), `RenamePipeline`, `AddPipelineStage {stageId, name,
 * position?}` (default: last; a position past the end means last), `RenamePipelineStage`,
 * `ReorderPipelineStages {stageIds}` (all current ids, in the new order), `RemovePipelineStage {stageId,
 * reassignTo}`: the event records where the stage's deals go; a process manager then sends
 * `ReassignDealStage` to each of them.
 */
export type PipelineCommand = z.input<typeof pipelineCommandSchema>;

/** The events of a pipeline. */
export type PipelineEvent =
  | DomainEvent<'PipelineCreated', { name: string; stages: Stage[] }>
  | DomainEvent<'PipelineRenamed', { name: Change<string> }>
  | DomainEvent<'PipelineStageAdded', Stage & { position: number }>
  | DomainEvent<'PipelineStageRenamed', { stageId: string; name: Change<string> }>
  | DomainEvent<'PipelineStagesReordered', { order: Change<string[]> }>
  | DomainEvent<'PipelineStageRemoved', Stage & { reassignTo: string }>;

/** The state of one pipeline. */
export interface PipelineState {
  life: Lifecycle;
  name: string;
  /** The stages, in board order. */
  stages: Stage[];
  /** Ids of removed stages: never reused, so a deal's history keeps meaning what it meant. */
  removedStageIds: string[];
}

/** The command that creates the default pipeline (send it to {@link DEFAULT_PIPELINE_ID} on first run). */
export function createDefaultPipelineCommand(): PipelineCommand {
  return { type: 'CreateDefaultPipeline' };
}

function findStage(state: PipelineState, stageId: string, field = 'stageId'): Stage {
  const stage = state.stages.find((s) => s.stageId === stageId);
  if (!stage) {
    throw new DomainError('UNKNOWN_STAGE', `The stage "${stageId}" is not a stage of this pipeline.`, {
      stageId,
      field,
      known: state.stages.map((s) => s.stageId),
    });
  }
  return stage;
}

/** Refuses a stage id already used (now or by a removed stage) or a name already taken (ignoring case). */
function assertStageFree(state: PipelineState, stage: Stage, exceptId?: string): void {
  if (exceptId === undefined && state.stages.some((s) => s.stageId === stage.stageId)) {
    throw new DomainError('DUPLICATE_STAGE_ID', `There is already a stage with the id "${stage.stageId}".`, {
      stageId: stage.stageId,
    });
  }
  if (exceptId === undefined && state.removedStageIds.includes(stage.stageId)) {
    throw new DomainError(
      'STAGE_ID_REMOVED',
      `The id "${stage.stageId}" belonged to a removed stage; use another.`,
      {
        stageId: stage.stageId,
      },
    );
  }
  const taken = state.stages.find(
    (s) => s.stageId !== exceptId && s.name.toLowerCase() === stage.name.toLowerCase(),
  );
  if (taken) {
    throw new DomainError('DUPLICATE_STAGE_NAME', `There is already a stage named "${taken.name}".`, {
      stageId: taken.stageId,
    });
  }
}

function created(name: string, stages: readonly Stage[]): PipelineEvent[] {
  // Check the new stages against each other by adding them one by one to an empty pipeline.
  let probe = initialState();
  for (const stage of stages) {
    assertStageFree(probe, stage);
    probe = { ...probe, stages: [...probe.stages, stage] };
  }
  return [{ type: 'PipelineCreated', data: { name, stages: stages.map((s) => ({ ...s })) } }];
}

function decide(state: PipelineState, input: PipelineCommand, ctx: DecideContext): PipelineEvent[] {
  const command = parseCommandWith(pipelineCommandSchema, input);
  if (command.type === 'CreatePipeline' || command.type === 'CreateDefaultPipeline') {
    assertNew(state.life, PIPELINE, ctx.id);
    return command.type === 'CreatePipeline'
      ? created(command.name, command.stages)
      : created('Sales', DEFAULT_STAGES);
  }
  assertExists(state.life, PIPELINE, ctx.id);
  switch (command.type) {
    case 'RenamePipeline':
      return state.name === command.name
        ? []
        : [{ type: 'PipelineRenamed', data: { name: { from: state.name, to: command.name } } }];
    case 'AddPipelineStage': {
      if (state.stages.length >= MAX_STAGES) {
        throw new DomainError('TOO_MANY_STAGES', `A pipeline has at most ${MAX_STAGES} stages.`);
      }
      assertStageFree(state, command);
      const position = Math.min(command.position ?? state.stages.length, state.stages.length);
      return [
        { type: 'PipelineStageAdded', data: { stageId: command.stageId, name: command.name, position } },
      ];
    }
    case 'RenamePipelineStage': {
      const stage = findStage(state, command.stageId);
      if (stage.name === command.name) return [];
      assertStageFree(state, command, stage.stageId);
      return [
        {
          type: 'PipelineStageRenamed',
          data: { stageId: stage.stageId, name: { from: stage.name, to: command.name } },
        },
      ];
    }
    case 'ReorderPipelineStages': {
      const current = state.stages.map((s) => s.stageId);
      const sorted = (ids: readonly string[]) => [...ids].sort();
      if (!sameValue(sorted(current), sorted(command.stageIds))) {
        throw new DomainError(
          'STAGE_ORDER_MISMATCH',
          'List every stage of the pipeline exactly once to reorder them.',
          {
            expected: current,
          },
        );
      }
      return sameValue(current, command.stageIds)
        ? []
        : [{ type: 'PipelineStagesReordered', data: { order: { from: current, to: command.stageIds } } }];
    }
    case 'RemovePipelineStage': {
      const stage = findStage(state, command.stageId);
      if (state.stages.length === 1) {
        throw new DomainError(
          'LAST_STAGE',
          'A pipeline needs at least one stage: add another before removing this one.',
        );
      }
      if (command.reassignTo === command.stageId) {
        throw new DomainError(
          'REASSIGN_TO_SAME_STAGE',
          'Choose another stage to move the deals of the removed stage to.',
        );
      }
      findStage(state, command.reassignTo, 'reassignTo');
      return [{ type: 'PipelineStageRemoved', data: { ...stage, reassignTo: command.reassignTo } }];
    }
  }
}

function initialState(): PipelineState {
  return { life: initialLifecycle(), name: '', stages: [], removedStageIds: [] };
}

function evolve(state: PipelineState, event: PipelineEvent): PipelineState {
  switch (event.type) {
    case 'PipelineCreated':
      return {
        ...state,
        life: { ...state.life, created: true },
        name: event.data.name,
        stages: event.data.stages,
      };
    case 'PipelineRenamed':
      return { ...state, name: event.data.name.to };
    case 'PipelineStageAdded': {
      const { position, ...stage } = event.data;
      const stages = [...state.stages];
      stages.splice(position, 0, stage);
      return { ...state, stages };
    }
    case 'PipelineStageRenamed':
      return {
        ...state,
        stages: state.stages.map((s) =>
          s.stageId === event.data.stageId ? { ...s, name: event.data.name.to } : s,
        ),
      };
    case 'PipelineStagesReordered': {
      const byId = new Map(state.stages.map((s) => [s.stageId, s]));
      return { ...state, stages: event.data.order.to.flatMap((id) => byId.get(id) ?? []) };
    }
    case 'PipelineStageRemoved':
      return {
        ...state,
        stages: state.stages.filter((s) => s.stageId !== event.data.stageId),
        removedStageIds: [...state.removedStageIds, event.data.stageId],
      };
    default:
      return state;
  }
}

/** The Pipeline aggregate definition. */
export const pipelineAggregate: Aggregate<PipelineState, PipelineCommand, PipelineEvent> = {
  type: PIPELINE,
  initialState,
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(pipelineCommandSchema, input),
};
