/**
 * Pipeline structure as the read side needs it (stage order, names, removed stages and where their deals went),
 * folded from pipeline events. Shared by the board, the dashboard and the analytics.
 * @module
 */
import type { StoredEvent } from '../../es/stored-event.js';
import type { PipelineEvent, Stage } from '../domain/pipeline.js';
import { type Dict, domainEvent, own, put } from './util.js';

/** One pipeline's stages, in board order, and its removed stages. */
export interface PipelineInfo {
  name: string;
  stages: Stage[];
  /** Removed stage id -> the stage its deals were reassigned to. */
  removed: Dict<string>;
}

/** Pipelines by id. */
export type Pipelines = Dict<PipelineInfo>;

/** Folds a pipeline event into `pipelines` (other events are ignored). */
export function applyPipeline(pipelines: Pipelines, e: StoredEvent): void {
  const ev = domainEvent<PipelineEvent>(e);
  if (ev.type === 'PipelineCreated') {
    put(pipelines, e.streamId, {
      name: ev.data.name,
      stages: ev.data.stages.map((s) => ({ ...s })),
      removed: {},
    });
    return;
  }
  const p = own(pipelines, e.streamId);
  if (!p) return;
  switch (ev.type) {
    case 'PipelineRenamed':
      p.name = ev.data.name.to;
      return;
    case 'PipelineStageAdded': {
      const { position, stageId, name } = ev.data;
      p.stages.splice(position, 0, { stageId, name });
      return;
    }
    case 'PipelineStageRenamed':
      for (const s of p.stages) if (s.stageId === ev.data.stageId) s.name = ev.data.name.to;
      return;
    case 'PipelineStagesReordered': {
      const order = ev.data.order.to;
      p.stages = order.flatMap((id) => p.stages.filter((s) => s.stageId === id));
      return;
    }
    case 'PipelineStageRemoved':
      p.stages = p.stages.filter((s) => s.stageId !== ev.data.stageId);
      put(p.removed, ev.data.stageId, ev.data.reassignTo);
      return;
  }
}

/**
 * The live stage a deal in `stageId` belongs to: the stage itself, or, for a removed stage whose deals were not
 * re-pointed yet, the stage its deals are reassigned to (following chains of removals).
 */
export function liveStage(p: PipelineInfo | undefined, stageId: string): string {
  let id = stageId;
  for (let hops = 0; p && hops < 100; hops++) {
    const next = own(p.removed, id);
    if (next === undefined) break;
    id = next;
  }
  return id;
}

/** The position of a stage in its pipeline's order (after {@link liveStage}), or -1. */
export function stageIndex(p: PipelineInfo | undefined, stageId: string): number {
  const id = liveStage(p, stageId);
  return p ? p.stages.findIndex((s) => s.stageId === id) : -1;
}
