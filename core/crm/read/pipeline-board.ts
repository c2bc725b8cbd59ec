/**
 * The pipeline board read model: every deal per pipeline and stage, with counts and value sums per currency per
 * stage, and the won and lost columns. Stage order and names follow the pipeline events. Also the deal list
 * (`deal.list`: the deals of a company or a contact, ...).
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { DealStatus } from '../domain/deal.js';
import { applyDeal, type DealCard } from './deals.js';
import { type FlagFilter, type Page, passes } from './list-query.js';
import { foldText } from './normalize.js';
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

function add(col: BoardColumn, deal: DealCard, cards: boolean): void {
  col.count++;
  addMoney(col.sums, deal.amount);
  if (cards) col.deals.push(deal);
}

/**
 * The board of one pipeline (`undefined` if it does not exist). Trashed deals are left out; a deal still in a
 * removed stage (its reassignment not applied yet) shows in the stage its deals go to.
 */
export function boardOf(
  state: PipelineBoardState,
  pipelineId: string,
  params: BoardParams = {},
  /** `false`: counts and sums only, every `deals` list empty (the dashboard: no sorting of every card). */
  cards = true,
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
        add(deal.status === 'won' ? won : lost, deal, cards);
      }
      continue;
    }
    const stageId = liveStage(p, deal.stageId);
    const col = columns.find((c) => c.stageId === stageId);
    if (col) add(col, deal, cards);
  }
  const order = (a: DealCard, b: DealCard) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1);
  if (cards) for (const col of [...columns, won, lost]) col.deals.sort(order);
  return { pipelineId, name: p.name, columns, won, lost };
}

/** Every pipeline's id and name, by name. */
export function pipelineList(state: PipelineBoardState): { pipelineId: string; name: string }[] {
  return Object.entries(state.pipelines)
    .map(([pipelineId, p]) => ({ pipelineId, name: p.name }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.pipelineId < b.pipelineId ? -1 : 1));
}

/** Filters, sort and paging of `deal.list`. */
export interface DealListParams {
  /** Deals of this company. */
  companyId?: string;
  /** Deals this contact is on. */
  contactId?: string;
  pipelineId?: string;
  status?: DealStatus;
  /** Default `'hide'`; `'only'` lists the trashed deals. */
  trash?: FlagFilter;
  /** Default `'updatedAt'`. */
  sort?: 'updatedAt' | 'createdAt' | 'title';
  /** Default `'asc'` for the title, `'desc'` for dates. */
  dir?: 'asc' | 'desc';
  /** Default 0. */
  offset?: number;
  /** Default 50. */
  limit?: number;
}

/** One row of `deal.list`: the deal card with the names of its pipeline and (live) stage. */
export interface DealListRow extends DealCard {
  pipelineName: string;
  /** The stage's name, `'Won'` or `'Lost'` for a closed deal. */
  stageName: string;
}

/**
 * The deals matching the filters (e.g. those of one company or contact, for its detail page), sorted with ties by
 * id so pages are stable.
 */
export function dealList(state: PipelineBoardState, params: DealListParams = {}): Page<DealListRow> {
  const sort = params.sort ?? 'updatedAt';
  const dir = params.dir ?? (sort === 'title' ? 'asc' : 'desc');
  const matched = Object.values(state.deals).filter(
    (d) =>
      passes(d.trashed, params.trash) &&
      (params.companyId === undefined || d.companyId === params.companyId) &&
      (params.contactId === undefined || d.contactIds.includes(params.contactId)) &&
      (params.pipelineId === undefined || d.pipelineId === params.pipelineId) &&
      (params.status === undefined || d.status === params.status),
  );
  const titles = new Map(matched.map((d) => [d.id, foldText(d.title)]));
  const key = (d: DealCard): string | number => (sort === 'title' ? titles.get(d.id)! : d[sort]);
  const cmp = (a: DealCard, b: DealCard): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  matched.sort(dir === 'asc' ? cmp : (a, b) => cmp(b, a));
  const offset = Math.max(0, Math.floor(params.offset ?? 0));
  const limit = Math.max(0, Math.floor(params.limit ?? 50));
  const rows = matched.slice(offset, offset + limit).map((d) => {
    const p = own(state.pipelines, d.pipelineId);
    const stageId = liveStage(p, d.stageId);
    const stageName =
      d.status === 'won'
        ? 'Won'
        : d.status === 'lost'
          ? 'Lost'
          : (p?.stages.find((s) => s.stageId === stageId)?.name ?? '');
    return { ...d, pipelineName: p?.name ?? '', stageName };
  });
  return { total: matched.length, rows };
}
