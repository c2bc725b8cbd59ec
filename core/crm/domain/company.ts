/**
 * The Company aggregate: an organisation, with field-by-field history, archive and trash.
 * @module
 */
import { z } from 'zod';
import type { Aggregate, DecideContext, DomainEvent } from '../../es/aggregate.js';
import { applyChanges } from './changes.js';
import {
  applyCustomFieldChanges,
  customFieldCommandShape,
  type CustomFieldValues,
  initialCustomFields,
  type UpdatePayload,
  updatePayload,
} from './custom-field-values.js';
import {
  assertEditable,
  assertNew,
  evolveLifecycle,
  initialLifecycle,
  type Lifecycle,
  lifecycleEvents,
  lifecycleOpOf,
} from './lifecycle.js';
import { domainSchema, optionalText, parseCommandWith, requiredText, tagsSchema } from './validation.js';

/** The aggregate type (folder under `streams/`). */
export const COMPANY = 'company';

/** Head-count bands (as most CRMs offer them). */
export const companySizeSchema = z.enum(['1', '2-10', '11-50', '51-200', '201-500', '501-1000', '1001+']);
/** A head-count band. */
export type CompanySize = z.infer<typeof companySizeSchema>;

/** A postal address; every part is optional. */
export const addressSchema = z
  .object({
    street: optionalText('a street', 500).optional(),
    city: optionalText('a city').optional(),
    postalCode: optionalText('a postal code', 20).optional(),
    region: optionalText('a region').optional(),
    country: optionalText('a country').optional(),
  })
  .strict()
  .transform((a) => ({
    street: a.street ?? null,
    city: a.city ?? null,
    postalCode: a.postalCode ?? null,
    region: a.region ?? null,
    country: a.country ?? null,
  }));
/** A postal address (all parts present, `null` when unknown). */
export type Address = z.infer<typeof addressSchema>;

/** The editable fields of a company. */
export interface CompanyFields {
  name: string;
  /** Its web domain, normalized (`example.com`). */
  domain: string | null;
  industry: string | null;
  size: CompanySize | null;
  address: Address | null;
  tags: string[];
}

const fieldSchemas = {
  name: requiredText('a company name'),
  domain: domainSchema.nullable(),
  industry: optionalText('an industry'),
  size: companySizeSchema.nullable(),
  address: addressSchema.nullable(),
  tags: tagsSchema,
};

/** Zod schema of every company command (used by `parseCommand` and again by `decide`). */
export const companyCommandSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('CreateCompany'),
      name: fieldSchemas.name,
      domain: fieldSchemas.domain.optional(),
      industry: fieldSchemas.industry.optional(),
      size: fieldSchemas.size.optional(),
      address: fieldSchemas.address.optional(),
      tags: fieldSchemas.tags.optional(),
      ...customFieldCommandShape,
    })
    .strict(),
  z
    .object({
      type: z.literal('UpdateCompany'),
      fields: z.object(fieldSchemas).partial().strict(),
      ...customFieldCommandShape,
    })
    .strict(),
  z.object({ type: z.literal('ArchiveCompany') }).strict(),
  z.object({ type: z.literal('UnarchiveCompany') }).strict(),
  z.object({ type: z.literal('TrashCompany') }).strict(),
  z.object({ type: z.literal('RestoreCompany') }).strict(),
]);

/**
 * A company command: `CreateCompany`, `UpdateCompany {fields}` (only the fields to change),
 * `ArchiveCompany` / `UnarchiveCompany`, `TrashCompany` / `RestoreCompany`. Unlinking its contacts when it is
 * deleted is a process manager's job (it sends `UnlinkContactCompany {companyId}` to each of them).
 */
export type CompanyCommand = z.input<typeof companyCommandSchema>;

/** The events of a company. */
export type CompanyEvent =
  | DomainEvent<'CompanyCreated', CompanyFields & { customFields: CustomFieldValues }>
  | DomainEvent<'CompanyUpdated', UpdatePayload<CompanyFields>>
  | DomainEvent<'CompanyArchived', null>
  | DomainEvent<'CompanyUnarchived', null>
  | DomainEvent<'CompanyTrashed', null>
  | DomainEvent<'CompanyRestored', null>;

/** The state of one company. */
export interface CompanyState {
  life: Lifecycle;
  fields: CompanyFields;
  customFields: CustomFieldValues;
}

function initialState(): CompanyState {
  return {
    life: initialLifecycle(),
    fields: { name: '', domain: null, industry: null, size: null, address: null, tags: [] },
    customFields: {},
  };
}

function decide(state: CompanyState, input: CompanyCommand, ctx: DecideContext): CompanyEvent[] {
  const command = parseCommandWith(companyCommandSchema, input);
  switch (command.type) {
    case 'CreateCompany': {
      assertNew(state.life, COMPANY, ctx.id);
      const data = {
        name: command.name,
        domain: command.domain ?? null,
        industry: command.industry ?? null,
        size: command.size ?? null,
        address: command.address ?? null,
        tags: command.tags ?? [],
        customFields: initialCustomFields(command),
      };
      return [{ type: 'CompanyCreated', data }];
    }
    case 'UpdateCompany': {
      assertEditable(state.life, COMPANY, ctx.id);
      const data = updatePayload(state.fields, state.customFields, command);
      return data ? [{ type: 'CompanyUpdated', data }] : [];
    }
    case 'ArchiveCompany':
      return lifecycleEvents(state.life, 'archive', COMPANY, ctx.id, 'CompanyArchived');
    case 'UnarchiveCompany':
      return lifecycleEvents(state.life, 'unarchive', COMPANY, ctx.id, 'CompanyUnarchived');
    case 'TrashCompany':
      return lifecycleEvents(state.life, 'trash', COMPANY, ctx.id, 'CompanyTrashed');
    case 'RestoreCompany':
      return lifecycleEvents(state.life, 'restore', COMPANY, ctx.id, 'CompanyRestored');
  }
}

function evolve(state: CompanyState, event: CompanyEvent): CompanyState {
  const op = lifecycleOpOf('Company', event.type);
  if (op) return { ...state, life: evolveLifecycle(state.life, op) };
  switch (event.type) {
    case 'CompanyCreated': {
      const { customFields, ...fields } = event.data;
      return { life: { ...state.life, created: true }, fields, customFields };
    }
    case 'CompanyUpdated':
      return {
        ...state,
        fields: applyChanges(state.fields, event.data.changes),
        customFields: applyCustomFieldChanges(state.customFields, event.data.customFields),
      };
    default:
      return state;
  }
}

/** The Company aggregate definition. */
export const companyAggregate: Aggregate<CompanyState, CompanyCommand, CompanyEvent> = {
  type: COMPANY,
  initialState,
  decide,
  evolve,
  parseCommand: (input) => parseCommandWith(companyCommandSchema, input),
};
