/**
 * Pipeline analytics from history: time spent in each stage (per deal and averaged per stage), stale deals,
 * slipped expected close dates and conversion between consecutive stages. Everything time-relative takes `now`
 * as a query parameter; `apply` only records what happened and when.
 * @module
 */
import type { Projection } from '../../es/projection.js';
import type { StoredEvent } from '../../es/stored-event.js';
import type { DealEvent, DealStatus } from '../domain/deal.js';
import { applyPipeline, liveStage, type Pipelines, stageIndex } from './pipelines.js';
import { type Dict, domainEvent, isoOf, own, put, recordKey } from './util.js';

const DAY = 86_400;

/** A stay of a deal in a stage: from when to when (Unix seconds; `to` is `null` while it is still there). */
export interface Visit {
  pipelineId: string;
  stageId: string;
  from: number;
  to: number | null;
}

/** What the analytics keep of a deal. */
export interface DealHistory {
  id: string;
  title: string;
  pipelineId: string;
  stageId: string;
  status: DealStatus;
  trashed: boolean;
  visits: Visit[];
  /** Unix seconds of the last event of the deal or of a note, activity or task on it. */
  lastEventAt: number;
  /** The expected close date now, and the first one it had. */
  closeDate: string | null;
  firstCloseDate: string | null;
  /** How many times the expected close date moved later, and by how many days in total. */
  slips: number;
  slipDays: number;
}

/** The analytics state (JSON). */
export interface AnalyticsState {
  pipelines: Pipelines;
  deals: Dict<DealHistory>;
  /** Note/activity/task key -> the deal it is on. */
  touches: Dict<string>;
}

function closeVisit(deal: DealHistory, ts: number): void {
  const last = deal.visits[deal.visits.length - 1];
  if (last && last.to === null) last.to = ts;
}

function openVisit(deal: DealHistory, ts: number): void {
  closeVisit(deal, ts);
  deal.visits.push({ pipelineId: deal.pipelineId, stageId: deal.stageId, from: ts, to: null });
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / (DAY * 1000));
}

function applyDeal(state: AnalyticsState, e: StoredEvent): void {
  const ev = domainEvent<DealEvent>(e);
  const ts = e.event.ts;
  if (ev.type === 'DealCreated') {
    const { title, pipelineId, stageId, expectedCloseDate } = ev.data;
    const deal: DealHistory = {
      id: e.streamId,
      title,
      pipelineId,
      stageId,
      status: 'open',
      trashed: false,
      visits: [],
      lastEventAt: ts,
      closeDate: expectedCloseDate,
      firstCloseDate: expectedCloseDate,
      slips: 0,
      slipDays: 0,
    };
    openVisit(deal, ts);
    put(state.deals, deal.id, deal);
    return;
  }
  const deal = own(state.deals, e.streamId);
  if (!deal) return;
  switch (ev.type) {
    case 'DealUpdated': {
      const { title, expectedCloseDate: close } = ev.data.changes;
      if (title) deal.title = title.to;
      if (close) {
        if (close.from !== null && close.to !== null && close.to > close.from) {
          deal.slips++;
          deal.slipDays += daysBetween(close.from, close.to);
        }
        deal.closeDate = close.to;
        deal.firstCloseDate ??= close.to;
      }
      break;
    }
    case 'DealStageChanged':
      deal.pipelineId = ev.data.changes.pipelineId?.to ?? deal.pipelineId;
      deal.stageId = ev.data.changes.stageId?.to ?? deal.stageId;
      if (deal.status === 'open') openVisit(deal, ts);
      break;
    case 'DealWon':
    case 'DealLost':
      deal.status = ev.type === 'DealWon' ? 'won' : 'lost';
      closeVisit(deal, ts);
      break;
    case 'DealReopened':
      deal.status = 'open';
      openVisit(deal, ts);
      break;
    case 'DealTrashed':
    case 'DealRestored':
      deal.trashed = ev.type === 'DealTrashed';
      break;
    default:
      return;
  }
  deal.lastEventAt = ts;
}

/** A note, activity or task on a deal touches it (for staleness). */
function applyTouch(state: AnalyticsState, e: StoredEvent): void {
  const key = recordKey(e.aggregateType, e.streamId);
  const d = (e.event.data ?? {}) as { link?: unknown; changes?: { link?: { to: unknown } } };
  const link = (d.link ?? d.changes?.link?.to) as { kind?: string; id?: string } | null | undefined;
  if (link !== undefined) {
    if (link && link.kind === 'deal' && typeof link.id === 'string') put(state.touches, key, link.id);
    else delete state.touches[key];
  }
  const dealId = own(state.touches, key);
  const deal = dealId === undefined ? undefined : own(state.deals, dealId);
  if (deal) deal.lastEventAt = Math.max(deal.lastEventAt, e.event.ts);
}

/** The pipeline analytics projection. */
export const analyticsProjection: Projection<AnalyticsState> = {
  name: 'crm-pipeline-analytics',
  subscriptions: ['pipeline', 'deal', 'note', 'activity', 'task'],
  initialState: () => ({ pipelines: {}, deals: {}, touches: {} }),
  apply(state, e) {
    if (e.aggregateType === 'pipeline') applyPipeline(state.pipelines, e);
    else if (e.aggregateType === 'deal') applyDeal(state, e);
    else applyTouch(state, e);
    return state;
  },
};

/** `now` for the time-relative analytics (ISO instant). */
export interface AnalyticsNow {
  now: string;
}

/** Time in one stage. */
export interface StageTime {
  stageId: string;
  name: string;
  /** Seconds, summed over the visits (an ongoing visit counts up to `now`). */
  seconds: number;
}

/** Time in each stage of a pipeline: per deal, and the average over the deals that were in each stage. */
export interface TimeInStages {
  deals: { dealId: string; title: string; stages: StageTime[] }[];
  stages: (StageTime & { deals: number; averageSeconds: number })[];
}

function liveDeals(state: AnalyticsState): DealHistory[] {
  return Object.values(state.deals)
    .filter((d) => !d.trashed)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Time spent in each stage of `pipelineId` (trashed deals left out). A removed stage's time counts for the stage
 * its deals were reassigned to.
 */
export function timeInStages(state: AnalyticsState, pipelineId: string, params: AnalyticsNow): TimeInStages {
  const p = own(state.pipelines, pipelineId);
  const now = Math.floor(Date.parse(params.now) / 1000);
  const stages = (p?.stages ?? []).map((s) => ({ ...s, seconds: 0, deals: 0, averageSeconds: 0 }));
  const deals: TimeInStages['deals'] = [];
  for (const deal of liveDeals(state)) {
    const per: Dict<number> = {};
    for (const v of deal.visits) {
      if (v.pipelineId !== pipelineId) continue;
      const id = liveStage(p, v.stageId);
      put(per, id, (own(per, id) ?? 0) + Math.max(0, (v.to ?? now) - v.from));
    }
    const list = stages.flatMap((s) => {
      const seconds = own(per, s.stageId);
      if (seconds === undefined) return [];
      s.seconds += seconds;
      s.deals++;
      return [{ stageId: s.stageId, name: s.name, seconds }];
    });
    if (list.length > 0) deals.push({ dealId: deal.id, title: deal.title, stages: list });
  }
  for (const s of stages) s.averageSeconds = s.deals === 0 ? 0 : Math.round(s.seconds / s.deals);
  return { deals, stages };
}

/** A deal with no event for a while. */
export interface StaleDeal {
  dealId: string;
  title: string;
  pipelineId: string;
  stageId: string;
  /** ISO instant of its last event. */
  lastEventAt: string;
  idleDays: number;
}

/** Open deals (not trashed) with no event (on them or their notes, activities, tasks) in `days` days, most idle first. */
export function staleDeals(state: AnalyticsState, params: AnalyticsNow & { days: number }): StaleDeal[] {
  const now = Math.floor(Date.parse(params.now) / 1000);
  return liveDeals(state)
    .filter((d) => d.status === 'open' && now - d.lastEventAt >= params.days * DAY)
    .sort((a, b) => a.lastEventAt - b.lastEventAt || (a.id < b.id ? -1 : 1))
    .map((d) => ({
      dealId: d.id,
      title: d.title,
      pipelineId: d.pipelineId,
      stageId: liveStage(own(state.pipelines, d.pipelineId), d.stageId),
      lastEventAt: isoOf(d.lastEventAt),
      idleDays: Math.floor((now - d.lastEventAt) / DAY),
    }));
}

/** A deal whose expected close date moved later. */
export interface SlippedDeal {
  dealId: string;
  title: string;
  status: DealStatus;
  slips: number;
  /** Days the close date moved later, in total. */
  slipDays: number;
  firstCloseDate: string | null;
  closeDate: string | null;
}

/** Deals whose expected close date was moved later at least once, most slipped (in days) first. */
export function slippedDeals(state: AnalyticsState): SlippedDeal[] {
  return liveDeals(state)
    .filter((d) => d.slips > 0)
    .sort((a, b) => b.slipDays - a.slipDays || b.slips - a.slips || (a.id < b.id ? -1 : 1))
    .map(({ id, title, status, slips, slipDays, firstCloseDate, closeDate }) => ({
      dealId: id,
      title,
      status,
      slips,
      slipDays,
      firstCloseDate,
      closeDate,
    }));
}

/** Conversion from one stage to the next (the last stage converts to `'won'`). */
export interface StageConversion {
  fromStageId: string;
  toStageId: string;
  /** Deals that reached `fromStageId` (or a later stage). */
  reached: number;
  /** Of those, the deals that reached `toStageId` or later (won counts as past the last stage). */
  advanced: number;
  /** `advanced / reached`, `null` when no deal reached the stage. */
  rate: number | null;
}

/** Conversion between consecutive stages of a pipeline, in stage order, from every deal's stage history. */
export function stageConversion(state: AnalyticsState, pipelineId: string): StageConversion[] {
  const p = own(state.pipelines, pipelineId);
  if (!p) return [];
  const n = p.stages.length;
  const reached = new Array<number>(n + 1).fill(0);
  for (const deal of liveDeals(state)) {
    let max = -1;
    for (const v of deal.visits)
      if (v.pipelineId === pipelineId) max = Math.max(max, stageIndex(p, v.stageId));
    if (deal.status === 'won' && deal.pipelineId === pipelineId) max = n;
    for (let i = 0; i <= max; i++) reached[i] = (reached[i] ?? 0) + 1;
  }
  const ids = [...p.stages.map((s) => s.stageId), 'won'];
  return p.stages.map((s, i) => {
    const from = reached[i] ?? 0;
    const to = reached[i + 1] ?? 0;
    return {
      fromStageId: s.stageId,
      toStageId: ids[i + 1] ?? 'won',
      reached: from,
      advanced: to,
      rate: from === 0 ? null : to / from,
    };
  });
}
