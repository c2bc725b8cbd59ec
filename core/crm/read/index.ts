/**
 * The CRM's read side: pure projections (no I/O) over the domain events, and the query functions on their
 * states. Register {@link crmProjections} on the store; call the query functions on `store.projection(p).state`.
 * @module
 */
import type { AnyProjection } from '../../es/projection.js';
import { analyticsProjection } from './analytics.js';
import { companiesProjection } from './companies.js';
import { contactsProjection } from './contacts.js';
import { dashboardProjection } from './dashboard.js';
import { pipelineBoardProjection } from './pipeline-board.js';
import { searchProjection } from './search.js';
import { tagsProjection } from './tags.js';
import { tasksProjection } from './tasks.js';
import { timelineProjection } from './timeline.js';

export * from './analytics.js';
export * from './companies.js';
export * from './contacts.js';
export * from './dashboard.js';
export * from './deals.js';
export * from './format.js';
export * from './list-query.js';
export * from './normalize.js';
export * from './pipeline-board.js';
export * from './pipelines.js';
export * from './search.js';
export * from './tags.js';
export * from './tasks.js';
export * from './timeline.js';
export * from './timeline-describe.js';
export * from './util.js';
export * from './word-index.js';

/** Every CRM read model, for registering them on the store builder. */
export const crmProjections: readonly AnyProjection[] = [
  contactsProjection,
  companiesProjection,
  pipelineBoardProjection,
  tasksProjection,
  dashboardProjection,
  tagsProjection,
  timelineProjection,
  searchProjection,
  analyticsProjection,
];
