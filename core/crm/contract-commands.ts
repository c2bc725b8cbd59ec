/**
 * The command half of the CRM contract, derived from the aggregates' own zod schemas so the two cannot drift:
 * one contract command per user-facing domain command, named like it (`CreateContact`, `MoveDealStage`, ...),
 * with the target record's `id` added and the fields the backend fills in itself removed.
 * @module
 */
import { z, type ZodTypeAny } from 'zod';
import type { AnyAggregate } from '../es/index.js';
import {
  activityAggregate,
  activityCommandSchema,
  companyAggregate,
  companyCommandSchema,
  contactAggregate,
  contactCommandSchema,
  customFieldsAggregate,
  customFieldsCommandSchema,
  dealAggregate,
  dealCommandSchema,
  idSchema,
  noteAggregate,
  noteCommandSchema,
  pipelineAggregate,
  pipelineCommandSchema,
  taskAggregate,
  taskCommandSchema,
} from './domain/index.js';

/** Fields of domain commands that the backend looks up and fills in; never accepted from a caller. */
export const BACKEND_FIELDS = ['duplicateOf', 'pipelineStageIds', 'customFieldDefinitions'] as const;

/**
 * Domain commands that only the backend or its process managers send (the two halves of a merge, the stage
 * reassignment after a stage removal, the unlinks after a company or contact is deleted). Forget is orchestrated too, and so
 * are the task reminder commands.
 */
export const INTERNAL_COMMANDS = new Set([
  'MergeContactInto',
  'MergeContactFrom',
  'UnmergeContact',
  'UnmergeContactFrom',
  'ReassignDealStage',
  'UnlinkDealRecord',
  'UnlinkContactCompany',
  'ForgetContact',
  // Reminders are snoozed and dismissed by task id through SnoozeReminder / DismissReminder (reminders.ts).
  'SnoozeTaskReminder',
  'DismissTaskReminder',
]);

/** A contract command routed straight to one aggregate. */
export interface DomainCommandSpec {
  /** The aggregate that handles it. */
  aggregate: AnyAggregate;
  /** Whether it creates the record (the `id` may then be left out: the backend makes one). */
  creates: boolean;
  /** Input schema: the domain command's fields (without `type` and backend fields) plus `id`. */
  input: ZodTypeAny;
}

const sources: [AnyAggregate, ZodTypeAny][] = [
  [contactAggregate, contactCommandSchema],
  [companyAggregate, companyCommandSchema],
  [dealAggregate, dealCommandSchema],
  [pipelineAggregate, pipelineCommandSchema],
  [taskAggregate, taskCommandSchema],
  [noteAggregate, noteCommandSchema],
  [activityAggregate, activityCommandSchema],
  [customFieldsAggregate, customFieldsCommandSchema],
];

type AnyObject = z.ZodObject<z.ZodRawShape>;

/** The options of a discriminated union, seen through a `.superRefine` wrapper. */
function unionOptions(schema: ZodTypeAny): AnyObject[] {
  let s: ZodTypeAny = schema;
  while (s instanceof z.ZodEffects) s = s.innerType() as ZodTypeAny;
  if (!(s instanceof z.ZodDiscriminatedUnion))
    throw new Error('a domain command schema is not a discriminated union');
  return [...(s.options as AnyObject[])];
}

function commandType(option: AnyObject): string {
  const t = option.shape.type;
  if (!(t instanceof z.ZodLiteral) || typeof t.value !== 'string')
    throw new Error('a command has no literal type');
  return t.value;
}

/** Every user-facing domain command of the CRM, by name. */
export function domainCommandSpecs(): Map<string, DomainCommandSpec> {
  const out = new Map<string, DomainCommandSpec>();
  for (const [aggregate, schema] of sources) {
    for (const option of unionOptions(schema)) {
      const type = commandType(option);
      if (INTERNAL_COMMANDS.has(type)) continue;
      const omit: Record<string, true> = { type: true };
      for (const f of BACKEND_FIELDS) if (f in option.shape) omit[f] = true;
      // Custom field definitions are per record kind: that aggregate's instance id is the kind.
      const creates = /^(Create|Log)/.test(type) && aggregate !== customFieldsAggregate;
      const id = aggregate === customFieldsAggregate ? z.enum(['contact', 'company', 'deal']) : idSchema;
      const input = option
        .omit(omit)
        .extend({ id: creates ? id.optional() : id })
        .strict();
      out.set(type, { aggregate, creates, input });
    }
  }
  return out;
}
