import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyAggregate } from '../../../core/es/aggregate.js';
import { DomainError } from '../../../core/es/errors.js';
import {
  activityAggregate,
  activityCommandSchema,
  companyAggregate,
  companyCommandSchema,
  contactAggregate,
  contactCommandSchema,
  crmAggregates,
  customFieldsAggregate,
  customFieldsCommandSchema,
  dealAggregate,
  dealCommandSchema,
  noteAggregate,
  noteCommandSchema,
  pipelineAggregate,
  pipelineCommandSchema,
  taskAggregate,
  taskCommandSchema,
} from '../../../core/crm/domain/index.js';
import { ctx } from './helpers.js';

/** Each aggregate with its schema and a create command, to reach a state with a record in it. */
const cases: [AnyAggregate, z.ZodTypeAny, unknown][] = [
  [contactAggregate, contactCommandSchema, { type: 'CreateContact', firstName: 'Ana' }],
  [companyAggregate, companyCommandSchema, { type: 'CreateCompany', name: 'Acme' }],
  [
    dealAggregate,
    dealCommandSchema,
    { type: 'CreateDeal', title: 'D', pipelineId: 'p', stageId: 's', pipelineStageIds: ['s'] },
  ],
  [pipelineAggregate, pipelineCommandSchema, { type: 'CreateDefaultPipeline' }],
  [taskAggregate, taskCommandSchema, { type: 'CreateTask', title: 'T', due: { date: '2026-02-01' } }],
  [noteAggregate, noteCommandSchema, { type: 'CreateNote', body: 'b', link: { kind: 'contact', id: 'c' } }],
  [
    activityAggregate,
    activityCommandSchema,
    {
      type: 'LogActivity',
      kind: 'call',
      occurredAt: '2026-01-01T00:00:00Z',
      summary: 's',
      link: { kind: 'deal', id: 'd' },
    },
  ],
  [
    customFieldsAggregate,
    customFieldsCommandSchema,
    { type: 'DefineCustomField', fieldId: 'f', label: 'F', fieldType: 'text' },
  ],
];

function commandTypes(schema: z.ZodTypeAny): string[] {
  const union = schema instanceof z.ZodEffects ? schema.innerType() : schema;
  return [
    ...(union as z.ZodDiscriminatedUnion<'type', z.ZodDiscriminatedUnionOption<'type'>[]>).optionsMap.keys(),
  ].map(String);
}

/** Runs `fn`; fails the test if it throws anything but a `DomainError`. */
function onlyDomainErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    expect(err.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe('crmAggregates', () => {
  it('registers every aggregate once, each with parseCommand', () => {
    expect(crmAggregates.map((a) => a.type)).toEqual([
      'contact',
      'company',
      'deal',
      'pipeline',
      'task',
      'note',
      'activity',
      'custom-fields',
    ]);
    for (const a of crmAggregates) expect(a.parseCommand).toBeTypeOf('function');
  });

  it('command type names are unique across aggregates (one namespace for the contract)', () => {
    const all = cases.flatMap(([, schema]) => commandTypes(schema));
    expect(new Set(all).size).toBe(all.length);
  });

  it.each(cases.map((c) => [c[0].type, ...c] as const))(
    '%s: garbage input is refused with a DomainError only, before and after create',
    (_name, aggregate, schema, create) => {
      const empty = aggregate.initialState();
      const existing = aggregate.evolve(empty, aggregate.decide(empty, create, ctx())[0]);
      const junk = fc.oneof(
        fc.anything(),
        fc.record({ type: fc.constantFrom(...commandTypes(schema)), payload: fc.anything() }),
        fc
          .constantFrom(...commandTypes(schema))
          .chain((type) =>
            fc
              .dictionary(
                fc.constantFrom(
                  'fields',
                  'title',
                  'name',
                  'stageId',
                  'due',
                  'link',
                  'amount',
                  'emails',
                  'label',
                ),
                fc.anything(),
              )
              .map((d) => ({ ...d, type })),
          ),
      );
      fc.assert(
        fc.property(junk, (input) => {
          onlyDomainErrors(() => aggregate.parseCommand?.(input));
          onlyDomainErrors(() => aggregate.decide(structuredClone(empty), input, ctx()));
          onlyDomainErrors(() => aggregate.decide(structuredClone(existing), input, ctx(1)));
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each(cases.map((c) => [c[0].type, c[0]] as const))(
    '%s: evolve ignores unknown events, including Object.prototype names',
    (_n, aggregate) => {
      const state = aggregate.initialState();
      const prefix = (aggregate.type.charAt(0).toUpperCase() + aggregate.type.slice(1)).replace('-f', 'F');
      for (const type of [
        'Unknown',
        'constructor',
        '__proto__',
        `${prefix}toString`,
        `${prefix}constructor`,
        `${prefix}Archived2`,
      ]) {
        expect(aggregate.evolve(state, { type, data: null })).toBe(state);
      }
    },
  );
});
