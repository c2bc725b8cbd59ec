/**
 * The query half of the CRM contract: every read the UI makes, with the zod schema of its params and the read
 * model (projection) it is answered from. List-like queries take `asOf` (ISO date-time) for time travel.
 * @module
 */
import { z, type ZodTypeAny } from 'zod';
import type { AnyProjection } from '../es/index.js';
import { idSchema } from './domain/index.js';
import {
  analyticsProjection,
  slippedDeals,
  stageConversion,
  staleDeals,
  timeInStages,
  type AnalyticsState,
} from './read/analytics.js';
import { companiesProjection, queryCompanies, type CompaniesState } from './read/companies.js';
import { contactsProjection, queryContacts, type ContactsState } from './read/contacts.js';
import { dashboardOf, dashboardProjection, type DashboardState } from './read/dashboard.js';
import {
  boardOf,
  dealList,
  pipelineBoardProjection,
  pipelineList,
  type PipelineBoardState,
} from './read/pipeline-board.js';
import { searchAll, searchProjection, type SearchState } from './read/search.js';
import { recordNames, recordNamesParams } from './record-names.js';
import { tagCounts, tagsProjection, type TagsState } from './read/tags.js';
import {
  remindersDue,
  taskGroups,
  tasksFor,
  tasksProjection,
  trashedTasks,
  type TasksState,
} from './read/tasks.js';
import {
  describePage,
  timelinePage,
  timelineProjection,
  type TimelineEvents,
  type TimelineState,
} from './read/timeline.js';

/** What a query may read besides its projection's state. */
export interface QueryContext {
  /** Reads the logs of records (`'contact:c-1'`) for lookups of their events by position (the timeline). */
  events(srcs: Iterable<string>): Promise<TimelineEvents>;
}

/** A query answered from one projection's state (live, or as of a past date). */
export interface ProjectionQuerySpec {
  params: ZodTypeAny;
  projection: AnyProjection;
  run(state: unknown, params: never, ctx: QueryContext): unknown;
}

const flag = z.enum(['hide', 'only', 'include']).optional();
const asOf = z.string().datetime({ offset: true }).optional();
const listParams = {
  q: z.string().max(200).optional(),
  tag: z.string().max(100).optional(),
  archived: flag,
  trash: flag,
  sort: z.enum(['name', 'updatedAt', 'createdAt']).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
  offset: z.number().int().min(0).max(10_000_000).optional(),
  limit: z.number().int().min(0).max(1000).optional(),
  asOf,
};
const nowParams = {
  now: z.string().datetime({ offset: true }),
  utcOffsetMinutes: z.number().int().min(-900).max(900).optional(),
};
const recordKind = z.enum(['contact', 'company', 'deal', 'task', 'note', 'activity', 'pipeline']);

function spec<S, P>(
  params: z.ZodType<P, z.ZodTypeDef, unknown>,
  projection: AnyProjection,
  run: (state: S, p: P, ctx: QueryContext) => unknown,
): ProjectionQuerySpec {
  return { params, projection, run: run as ProjectionQuerySpec['run'] };
}

function strip<P extends { asOf?: string }>(p: P): Omit<P, 'asOf'> {
  const { asOf: _ignored, ...rest } = p;
  return rest;
}

/** Every projection-backed query, by name. */
export const projectionQueries: Record<string, ProjectionQuerySpec> = {
  'contact.list': spec(
    z
      .object({
        ...listParams,
        companyId: idSchema.optional(),
        owner: z.string().max(200).optional(),
        includeMerged: z.boolean().optional(),
      })
      .strict(),
    contactsProjection,
    (s: ContactsState, p) => queryContacts(s, strip(p)),
  ),
  'company.list': spec(
    z
      .object({
        ...listParams,
        industry: z.string().max(200).optional(),
        size: z.string().max(50).optional(),
      })
      .strict(),
    companiesProjection,
    (s: CompaniesState, p) => queryCompanies(s, strip(p) as Parameters<typeof queryCompanies>[1]),
  ),
  'pipeline.list': spec(z.object({ asOf }).strict(), pipelineBoardProjection, (s: PipelineBoardState) =>
    pipelineList(s),
  ),
  'deal.board': spec(
    z
      .object({
        pipelineId: idSchema,
        owner: z.string().max(200).optional(),
        closedSince: z.string().date().optional(),
        asOf,
      })
      .strict(),
    pipelineBoardProjection,
    (s: PipelineBoardState, p) => boardOf(s, p.pipelineId, strip(p)) ?? null,
  ),
  'deal.list': spec(
    z
      .object({
        companyId: idSchema.optional(),
        contactId: idSchema.optional(),
        pipelineId: idSchema.optional(),
        status: z.enum(['open', 'won', 'lost']).optional(),
        trash: flag,
        sort: z.enum(['updatedAt', 'createdAt', 'title']).optional(),
        dir: listParams.dir,
        offset: listParams.offset,
        limit: listParams.limit,
        asOf,
      })
      .strict(),
    pipelineBoardProjection,
    (s: PipelineBoardState, p) => dealList(s, strip(p)),
  ),
  'task.list': spec(z.object({ ...nowParams, asOf }).strict(), tasksProjection, (s: TasksState, p) =>
    taskGroups(s, strip(p)),
  ),
  'task.forRecord': spec(
    z.object({ ...nowParams, kind: recordKind, id: idSchema }).strict(),
    tasksProjection,
    (s: TasksState, p) => tasksFor(s, { kind: p.kind, id: p.id } as Parameters<typeof tasksFor>[1], p),
  ),
  'task.trash': spec(z.object({}).strict(), tasksProjection, (s: TasksState) => trashedTasks(s)),
  'reminder.due': spec(z.object(nowParams).strict(), tasksProjection, (s: TasksState, p) =>
    remindersDue(s, p),
  ),
  dashboard: spec(
    z
      .object({
        fromMonth: z
          .string()
          .regex(/^\d{4}-\d{2}$/)
          .optional(),
        toMonth: z
          .string()
          .regex(/^\d{4}-\d{2}$/)
          .optional(),
        asOf,
      })
      .strict(),
    dashboardProjection,
    (s: DashboardState, p) => dashboardOf(s, strip(p)),
  ),
  'tag.list': spec(z.object({ asOf }).strict(), tagsProjection, (s: TagsState) => tagCounts(s)),
  search: spec(
    z
      .object({
        q: z.string().max(200),
        kinds: z
          .array(z.enum(['contact', 'company', 'deal', 'note']))
          .max(4)
          .optional(),
        includeTrashed: z.boolean().optional(),
        limit: z.number().int().min(1).max(200).optional(),
        asOf,
      })
      .strict(),
    searchProjection,
    (s: SearchState, p) => searchAll(s, strip(p)),
  ),
  // A projection query: it is named in the change notifications of every commit the search read model follows
  // (contacts, companies, deals, notes), so a picker re-queries when a name changes.
  'record.names': spec(recordNamesParams, searchProjection, (s: SearchState, p) => recordNames(s, p)),
  timeline: spec(
    z
      .object({
        kind: recordKind,
        id: idSchema,
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).optional(),
        asOf,
      })
      .strict(),
    timelineProjection,
    async (s: TimelineState, p, ctx) => {
      const paging = {
        ...(p.offset !== undefined ? { offset: p.offset } : {}),
        ...(p.limit !== undefined ? { limit: p.limit } : {}),
      };
      // The read model holds references: read the logs of the records on this page, then describe it.
      const page = timelinePage(s, p.kind, p.id, paging);
      return describePage(s, page, await ctx.events(page.refs.map(([src]) => src)));
    },
  ),
  'analytics.timeInStages': spec(
    z.object({ pipelineId: idSchema, now: nowParams.now, asOf }).strict(),
    analyticsProjection,
    (s: AnalyticsState, p) => timeInStages(s, p.pipelineId, { now: p.now }),
  ),
  'analytics.stale': spec(
    z.object({ now: nowParams.now, days: z.number().int().min(1).max(3650), asOf }).strict(),
    analyticsProjection,
    (s: AnalyticsState, p) => staleDeals(s, { now: p.now, days: p.days }),
  ),
  'analytics.slipped': spec(z.object({ asOf }).strict(), analyticsProjection, (s: AnalyticsState) =>
    slippedDeals(s),
  ),
  'analytics.conversion': spec(
    z.object({ pipelineId: idSchema, asOf }).strict(),
    analyticsProjection,
    (s: AnalyticsState, p) => stageConversion(s, p.pipelineId),
  ),
};

/** Params of `record.get`: the aggregate state and version of one record (for edit forms: send the version back). */
export const recordGetParams = z.object({ kind: recordKind, id: idSchema, asOf }).strict();

/** Params of queries that take none. */
export const noParams = z.object({}).strict();
