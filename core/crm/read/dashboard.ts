/**
 * The dashboard read model: pipeline value by stage, won and lost deals (count and value) per month (UTC), win
 * rate, and tasks done per month. It reuses the board's fold for deals and pipelines.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import type { TaskEvent } from '../domain/task.js';
import { boardOf, pipelineBoardProjection, type PipelineBoardState } from './pipeline-board.js';
import { addMoney, type Dict, domainEvent, monthOf, type MoneyByCurrency, own, put } from './util.js';

/** What the dashboard keeps of a task: when it was completed (if it is) and whether it is in the trash. */
interface TaskDone {
  completedAt: string | null;
  trashed: boolean;
}

/** The dashboard state (JSON). */
export interface DashboardState {
  board: PipelineBoardState;
  tasks: Dict<TaskDone>;
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
  initialState: () => ({ board: pipelineBoardProjection.initialState(), tasks: {} }),
  apply(state, e) {
    if (e.aggregateType === 'task') applyTask(state.tasks, e);
    else pipelineBoardProjection.apply(state.board, e);
    return state;
  },
};

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
  const months: Dict<MonthResult> = {};
  let won = 0;
  let lost = 0;
  for (const deal of Object.values(state.board.deals)) {
    if (deal.trashed || deal.status === 'open' || deal.closedOn === null) continue;
    const month = monthOf(deal.closedOn);
    if (!inRange(month, params)) continue;
    const m = own(months, month) ?? { month, won: 0, lost: 0, wonValue: {}, lostValue: {} };
    put(months, month, m);
    if (deal.status === 'won') {
      m.won++;
      won++;
      addMoney(m.wonValue, deal.amount);
    } else {
      m.lost++;
      lost++;
      addMoney(m.lostValue, deal.amount);
    }
  }
  const done: Dict<number> = {};
  for (const t of Object.values(state.tasks)) {
    if (t.trashed || t.completedAt === null) continue;
    const month = utcMonth(t.completedAt);
    if (inRange(month, params)) put(done, month, (own(done, month) ?? 0) + 1);
  }
  return {
    pipelines,
    months: Object.values(months).sort((a, b) => (a.month < b.month ? -1 : 1)),
    winRate: won + lost === 0 ? null : won / (won + lost),
    tasksDone: Object.entries(done)
      .map(([month, count]) => ({ month, count }))
      .sort((a, b) => (a.month < b.month ? -1 : 1)),
  };
}
