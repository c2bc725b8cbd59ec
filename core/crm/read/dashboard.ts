/**
 * The dashboard read model: pipeline value by stage, won and lost deals (count and value) per month (UTC), win
 * rate, and tasks done per month. It reuses the board's fold for deals and pipelines, and keeps the monthly totals
 * up to date event by event (what a deal or task counted for before the event is taken off, what it counts for
 * after is added), so a query adds up months, not every deal and task.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import type { TaskEvent } from '../domain/task.js';
import { boardOf, pipelineBoardProjection, type PipelineBoardState } from './pipeline-board.js';
import type { DealCard } from './deals.js';
import { type Dict, domainEvent, monthOf, type MoneyByCurrency, own, put } from './util.js';

/** What the dashboard keeps of a task: when it was completed (if it is) and whether it is in the trash. */
interface TaskDone {
  completedAt: string | null;
  trashed: boolean;
}

/** Per currency: the sum in minor units and how many deals have an amount in it (a sum of 0 still shows). */
type CurrencyTotals = Dict<[sum: number, deals: number]>;

/** Won and lost deals of one month, as kept. */
interface MonthTotals {
  won: number;
  lost: number;
  wonValue: CurrencyTotals;
  lostValue: CurrencyTotals;
}

/** The dashboard state (JSON). */
export interface DashboardState {
  board: PipelineBoardState;
  tasks: Dict<TaskDone>;
  /** `YYYY-MM` -> won and lost deals closed that month (trashed ones left out). */
  closed: Dict<MonthTotals>;
  /** `YYYY-MM` (UTC) -> tasks completed that month (reopened or trashed ones left out). */
  done: Dict<number>;
}

/** One stage's open pipeline value. */
export interface StageValue {
  stageId: string;
  name: string;
  count: number;
  sums: MoneyByCurrency;
}

/** Won and lost deals of one month. */
export interface MonthResult {
  /** `YYYY-MM` (UTC). */
  month: string;
  won: number;
  lost: number;
  wonValue: MoneyByCurrency;
  lostValue: MoneyByCurrency;
}

/** The dashboard. */
export interface Dashboard {
  /** Per pipeline, the open value by stage, in stage order. */
  pipelines: { pipelineId: string; name: string; stages: StageValue[] }[];
  /** Months with a won or lost deal, oldest first. */
  months: MonthResult[];
  /** Won / (won + lost) over the months shown, `null` with no closed deal. */
  winRate: number | null;
  /** Tasks completed per month (UTC), oldest first; reopened or trashed tasks do not count. */
  tasksDone: { month: string; count: number }[];
}

/** Dashboard filters: a range of months (`YYYY-MM`, inclusive), to bound the monthly figures and the win rate. */
export interface DashboardParams {
  fromMonth?: string;
  toMonth?: string;
}

/** The dashboard projection. */
export const dashboardProjection: Projection<DashboardState> = {
  name: 'crm-dashboard',
  subscriptions: ['pipeline', 'deal', 'task'],
  // 2: monthly totals kept in the state.
  version: 2,
  initialState: () => ({ board: pipelineBoardProjection.initialState(), tasks: {}, closed: {}, done: {} }),
  apply(state, e) {
    if (e.aggregateType === 'task') {
      const before = doneMonth(own(state.tasks, e.streamId));
      applyTask(state.tasks, e);
      countDone(state.done, before, -1);
      countDone(state.done, doneMonth(own(state.tasks, e.streamId)), 1);
    } else if (e.aggregateType === 'deal') {
      const before = closedOf(own(state.board.deals, e.streamId));
      pipelineBoardProjection.apply(state.board, e);
      countClosed(state.closed, before, -1);
      countClosed(state.closed, closedOf(own(state.board.deals, e.streamId)), 1);
    } else pipelineBoardProjection.apply(state.board, e);
    return state;
  },
};

/** What a task counts for: the month it was completed in, if it is (and not trashed). */
function doneMonth(t: TaskDone | undefined): string | null {
  return t && !t.trashed && t.completedAt !== null ? utcMonth(t.completedAt) : null;
}

function countDone(done: Dict<number>, month: string | null, delta: number): void {
  if (month === null) return;
  const n = (own(done, month) ?? 0) + delta;
  if (n === 0) delete done[month];
  else put(done, month, n);
}

/** What a deal counts for: its month, outcome and amount once closed (and not trashed). */
interface Closed {
  month: string;
  won: boolean;
  amount: DealCard['amount'];
}

function closedOf(deal: DealCard | undefined): Closed | null {
  if (!deal || deal.trashed || deal.status === 'open' || deal.closedOn === null) return null;
  return { month: monthOf(deal.closedOn), won: deal.status === 'won', amount: deal.amount };
}

function countClosed(closed: Dict<MonthTotals>, c: Closed | null, delta: number): void {
  if (c === null) return;
  const m = own(closed, c.month) ?? { won: 0, lost: 0, wonValue: {}, lostValue: {} };
  if (c.won) m.won += delta;
  else m.lost += delta;
  if (c.amount) {
    const sums = c.won ? m.wonValue : m.lostValue;
    const [sum, deals] = own(sums, c.amount.currency) ?? [0, 0];
    if (deals + delta === 0) delete sums[c.amount.currency];
    else put(sums, c.amount.currency, [sum + delta * c.amount.minor, deals + delta]);
  }
  if (m.won === 0 && m.lost === 0) delete closed[c.month];
  else put(closed, c.month, m);
}

function sumsOf(totals: CurrencyTotals): MoneyByCurrency {
  const out: MoneyByCurrency = {};
  for (const [currency, [sum]] of Object.entries(totals)) put(out, currency, sum);
  return out;
}

function applyTask(tasks: Dict<TaskDone>, e: StoredEvent): void {
  const ev = domainEvent<TaskEvent>(e);
  if (ev.type === 'TaskCreated') {
    put(tasks, e.streamId, { completedAt: null, trashed: false });
    return;
  }
  const t = own(tasks, e.streamId);
  if (!t) return;
  if (ev.type === 'TaskCompleted') t.completedAt = ev.data.at;
  else if (ev.type === 'TaskReopened') t.completedAt = null;
  else if (ev.type === 'TaskTrashed' || ev.type === 'TaskRestored') t.trashed = ev.type === 'TaskTrashed';
}

/** The UTC month of an ISO instant; the common UTC form (`...Z`) without parsing a Date. */
function utcMonth(instant: string): string {
  return instant.endsWith('Z') && instant.length >= 7
    ? instant.slice(0, 7)
    : monthOf(new Date(instant).toISOString());
}

function inRange(month: string, params: DashboardParams): boolean {
  return (
    (params.fromMonth === undefined || month >= params.fromMonth) &&
    (params.toMonth === undefined || month <= params.toMonth)
  );
}

/** The dashboard figures (trashed deals and tasks are left out). */
export function dashboardOf(state: DashboardState, params: DashboardParams = {}): Dashboard {
  const pipelines = Object.keys(state.board.pipelines)
    .sort()
    .flatMap((id) => {
      const board = boardOf(state.board, id, {}, false);
      if (!board) return [];
      const stages = board.columns.map(({ stageId, name, count, sums }) => ({ stageId, name, count, sums }));
      return [{ pipelineId: id, name: board.name, stages }];
    });
  const months: MonthResult[] = [];
  let won = 0;
  let lost = 0;
  for (const [month, m] of Object.entries(state.closed)) {
    if (!inRange(month, params)) continue;
    months.push({
      month,
      won: m.won,
      lost: m.lost,
      wonValue: sumsOf(m.wonValue),
      lostValue: sumsOf(m.lostValue),
    });
    won += m.won;
    lost += m.lost;
  }
  return {
    pipelines,
    months: months.sort((a, b) => (a.month < b.month ? -1 : 1)),
    winRate: won + lost === 0 ? null : won / (won + lost),
    tasksDone: Object.entries(state.done)
      .filter(([month]) => inRange(month, params))
      .map(([month, count]) => ({ month, count }))
      .sort((a, b) => (a.month < b.month ? -1 : 1)),
  };
}
