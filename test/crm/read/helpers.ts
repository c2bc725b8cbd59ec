/**
 * Test helpers for the read models: a small in-memory "store" that runs real domain commands through the
 * aggregates' `decide`/`evolve` and records the events as StoredEvents (increasing `seq` and `ts`), and folds.
 * @module
 */
import type { Aggregate, DomainEvent } from '../../../core/es/aggregate.js';
import { dealAggregate } from '../../../core/crm/domain/deal.js';
import { pipelineAggregate } from '../../../core/crm/domain/pipeline.js';
import { DomainError } from '../../../core/es/errors.js';
import type { Projection } from '../../../core/es/projection.js';
import type { StoredEvent } from '../../../core/es/stored-event.js';

/** 2026-01-01T00:00:00Z in Unix seconds. */
export const T0 = 1_767_225_600;

/** Options of one command or event. */
export interface At {
  actor?: string;
  /** ISO instant of the event (default: 60 s after the previous one). */
  at?: string;
  causedBy?: string;
}

/** Records events the way the store delivers them: global order, `seq` and `ts` increasing. */
export class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly states = new Map<string, unknown>();
  private seq = 0;
  private ts = T0;

  /** Runs a command on an aggregate instance; throws its DomainError. Returns the events it produced. */
  run<S, C, E extends DomainEvent>(agg: Aggregate<S, C, E>, id: string, command: C, opts: At = {}): E[] {
    const key = `${agg.type}/${id}`;
    const state = (this.states.has(key) ? this.states.get(key) : agg.initialState()) as S;
    if (opts.at) this.ts = Math.floor(Date.parse(opts.at) / 1000);
    const events: readonly E[] = agg.decide(structuredClone(state), command, {
      id,
      version: 0,
      now: new Date(this.ts * 1000),
    });
    let next = state;
    for (const e of events) {
      next = agg.evolve(next, e);
      this.push(agg.type, id, e, { ...opts, at: undefined });
    }
    this.states.set(key, next);
    this.ts += 60;
    return [...events];
  }

  /** Like {@link run}, but a refused command (DomainError) produces nothing instead of throwing. */
  tryRun<S, C, E extends DomainEvent>(agg: Aggregate<S, C, E>, id: string, command: C, opts: At = {}): E[] {
    try {
      return this.run(agg, id, command, opts);
    } catch (err) {
      if (err instanceof DomainError) return [];
      throw err;
    }
  }

  /** Appends a raw event (e.g. of an unknown type) without running an aggregate. */
  push(aggregateType: string, streamId: string, e: DomainEvent, opts: At = {}): StoredEvent {
    if (opts.at) this.ts = Math.floor(Date.parse(opts.at) / 1000);
    this.seq += 1 + (this.seq % 3); // gaps are allowed
    const meta: Record<string, unknown> = { seq: this.seq };
    if (opts.causedBy) meta.causation_id = opts.causedBy;
    const stored: StoredEvent = {
      aggregateType,
      streamId,
      stream: `${aggregateType}/${streamId}`,
      seq: this.seq,
      event: {
        type: e.type,
        data: e.data,
        ts: this.ts,
        id: `ev-${this.seq}`,
        actor: opts.actor ?? 'user:ana',
        meta,
      },
    };
    this.events.push(stored);
    return stored;
  }
}

/** Folds events into a projection's fresh state (only the subscribed aggregate types, as the store does). */
export function fold<S>(p: Projection<S>, events: readonly StoredEvent[], from?: S): S {
  let state = from ?? p.initialState();
  for (const e of events)
    if (p.subscriptions.includes(e.aggregateType)) state = p.apply(state, structuredClone(e));
  return state;
}

/** Looks up folded events by record and position, as the backend reads them back from the logs (the timeline). */
export function eventsOf(
  events: readonly StoredEvent[],
): (src: string, seq: number) => StoredEvent['event'] | undefined {
  const bySeq = new Map(events.map((e) => [`${e.aggregateType}:${e.streamId}@${e.seq}`, e.event]));
  return (src, seq) => bySeq.get(`${src}@${seq}`);
}

/** Folds the first `k` events, round-trips the state through JSON (a checkpoint), then folds the rest. */
export function foldInHalves<S>(p: Projection<S>, events: readonly StoredEvent[], k: number): S {
  const first = fold(p, events.slice(0, k));
  const restored = JSON.parse(JSON.stringify(first)) as S;
  return fold(p, events.slice(k), restored);
}

/** Every value in `state` as JSON sees it: no `undefined`, no Map/Set, no functions. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The stage ids of the default pipeline. */
export const STAGES = ['lead', 'qualified', 'proposal', 'negotiation'];

/** A default pipeline and three deals (two in Lead, one in Proposal), two currencies. */
export function boardLog(): EventLog {
  const log = new EventLog();
  log.run(pipelineAggregate, 'default', { type: 'CreateDefaultPipeline' });
  const deal = (id: string, stageId: string, minor: number | null, currency = 'EUR') =>
    log.run(dealAggregate, id, {
      type: 'CreateDeal',
      title: `Deal ${id}`,
      pipelineId: 'default',
      stageId,
      pipelineStageIds: STAGES,
      amount: minor === null ? null : { minor, currency },
    });
  deal('d1', 'lead', 100_00);
  deal('d2', 'lead', 50_00, 'USD');
  deal('d3', 'proposal', 200_00);
  deal('d4', 'lead', null);
  return log;
}
