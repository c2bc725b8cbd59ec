/**
 * The `customField.list` query: the custom field definitions of one record kind, for Settings and the record
 * forms. They live in one settings aggregate per kind (its instance id is the kind), so this reads its state.
 * @module
 */
import { z } from 'zod';
import { customFieldsAggregate, type CustomFieldsState } from './domain/index.js';
import { extensionQuery, type CrmExtension } from './extension.js';

/** Params of `customField.list`. */
export const customFieldListParams = z.object({ kind: z.enum(['contact', 'company', 'deal']) }).strict();

/** What `customField.list` answers: the live definitions in order, the removed ids, and the version to edit at. */
export interface CustomFieldList extends CustomFieldsState {
  kind: 'contact' | 'company' | 'deal';
  /** Version of the kind's settings stream: send it as `expectedVersion` with an edit made from this list. */
  version: number;
}

/** `customField.list {kind}`, re-queried whenever a definition changes. */
export const customFieldListExtension: CrmExtension = {
  queries: {
    'customField.list': extensionQuery(
      customFieldListParams,
      async (rt, { kind }): Promise<CustomFieldList> => {
        const handle = rt.store.get(customFieldsAggregate, kind);
        const state = (await handle.state()) as CustomFieldsState;
        return { kind, fields: state.fields, removed: state.removed, version: await handle.version() };
      },
      [customFieldsAggregate.type],
    ),
  },
};
