/**
 * The pipeline board read model: every deal per pipeline and stage, with counts and value sums per currency per
 * stage, and the won and lost columns. Stage order and names follow the pipeline events.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import { applyDeal, type DealCard } from './deals.js';
import { applyPipeline, liveStage, type Pipelines } from './pipelines.js';
import { addMoney, type Dict, type MoneyByCurrency, own } from './util.js';

/** The board state (JSON): pipelines and deal cards. */
export interface PipelineBoardState {
  pipelines: Pipelines;
  deals: Dict<DealCard>;
}

/** One column of the board. */
export interface BoardColumn {
  /** The stage id, or `'won'` / `'lost'`. */
  stageId: string;
  name: string;
  count: number;
  /** Value sums in minor units per currency (deals without an amount count, but add nothing). */
  sums: MoneyByCurrency;
  /** The deals, most recently changed first. */
  deals: DealCard[];
}

/** A pipeline's board. */
export interface Board {
  pipelineId: string;
  name: string;
  /** Open deals per stage, in stage order. */
  columns: BoardColumn[];
  won: BoardColumn;
  lost: BoardColumn;
}

/** Board filters. */
export interface BoardParams {
  owner?: string;
  /** Show only deals closed on or after this day (`YYYY-MM-DD`) in the won and lost columns. */
  closedSince?: string;
}

/** The pipeline board projection. */
export const pipelineBoardProjection: Projection<PipelineBoardState> = {
  name: 'crm-pipeline-board',
  subscriptions: ['pipeline', 'deal'],
  initialState: () => ({ pipelines: {}, deals: {} }),
  apply(state, e) {
    if (e.aggregateType === 'pipeline') applyPipeline(state.pipelines, e);
    else if (e.aggregateType === 'deal') applyDeal(state.deals, e);
    return state;
  },
};

function column(stageId: string, name: string): BoardColumn {
  return { stageId, name, count: 0, sums: {}, deals: [] };
}

function add(col: BoardColumn, deal: DealCard): void {
  col.count++;
  addMoney(col.sums, deal.amount);
  col.deals.push(deal);
}

/**
 * The board of one pipeline (`undefined` if it does not exist). Trashed deals are left out; a deal still in a
 * removed stage (its reassignment not applied yet) shows in the stage its deals go to.
 */
export function boardOf(
  state: PipelineBoardState,
  pipelineId: string,
  params: BoardParams = {},
): Board | undefined {
  const p = own(state.pipelines, pipelineId);
  if (!p) return undefined;
  const columns = p.stages.map((s) => column(s.stageId, s.name));
  const won = column('won', 'Won');
  const lost = column('lost', 'Lost');
  for (const deal of Object.values(state.deals)) {
    if (deal.pipelineId !== pipelineId || deal.trashed) continue;
    if (params.owner !== undefined && deal.owner !== params.owner) continue;
    if (deal.status !== 'open') {
      if (params.closedSince === undefined || (deal.closedOn ?? '') >= params.closedSince) {
        add(deal.status === 'won' ? won : lost, deal);
      }
      continue;
    }
    const stageId = liveStage(p, deal.stageId);
    const col = columns.find((c) => c.stageId === stageId);
    if (col) add(col, deal);
  }
  const order = (a: DealCard, b: DealCard) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1);
  for (const col of [...columns, won, lost]) col.deals.sort(order);
  return { pipelineId, name: p.name, columns, won, lost };
}

/** Every pipeline's id and name, by name. */
export function pipelineList(state: PipelineBoardState): { pipelineId: string; name: string }[] {
  return Object.entries(state.pipelines)
    .map(([pipelineId, p]) => ({ pipelineId, name: p.name }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.pipelineId < b.pipelineId ? -1 : 1));
}
