/**
 * The CRM's write side: every aggregate (pure `decide` and `evolve`, zod-validated commands, field-by-field
 * events) and the shared validation and change-set helpers.
 * @module
 */
import type { AnyAggregate } from '../../es/aggregate.js';
import { activityAggregate } from './activity.js';
import { companyAggregate } from './company.js';
import { contactAggregate } from './contact.js';
import { customFieldsAggregate } from './custom-fields.js';
import { dealAggregate } from './deal.js';
import { noteAggregate } from './note.js';
import { pipelineAggregate } from './pipeline.js';
import { taskAggregate } from './task.js';

export * from './activity.js';
export * from './changes.js';
export * from './company.js';
export * from './contact.js';
export * from './custom-field-values.js';
export * from './custom-fields.js';
export * from './deal.js';
export * from './lifecycle.js';
export * from './note.js';
export * from './pipeline.js';
export * from './task.js';
export * from './validation.js';

/** Every CRM aggregate, for registering them on the store builder. */
export const crmAggregates: readonly AnyAggregate[] = [
  contactAggregate,
  companyAggregate,
  dealAggregate,
  pipelineAggregate,
  taskAggregate,
  noteAggregate,
  activityAggregate,
  customFieldsAggregate,
];

/** The kinds of record the user works with (everything but the settings aggregates). */
export type RecordKind = 'contact' | 'company' | 'deal' | 'task' | 'note' | 'activity' | 'pipeline';

/** The aggregate of each record kind: what `record.get`, undo and the trash look records up by. */
export const recordAggregates: Readonly<Record<RecordKind, AnyAggregate>> = {
  contact: contactAggregate,
  company: companyAggregate,
  deal: dealAggregate,
  task: taskAggregate,
  note: noteAggregate,
  activity: activityAggregate,
  pipeline: pipelineAggregate,
};
