/**
 * The custom field definitions of a kind of record (`customField.list`), kept live: the forms render and send
 * them, the detail views show the values with their labels.
 * @module
 */
import type { FieldDefinition } from '../../../../core/crm/domain/custom-field-values.js';
import { useQuery } from '../../hooks/useQuery.js';

/** A kind of record with custom fields. */
export type CustomFieldKind = 'contact' | 'company' | 'deal';

const NONE: readonly FieldDefinition[] = [];

/** The live field definitions of `kind`; none while they load or when they cannot be read. */
export function useCustomFields(kind: CustomFieldKind): readonly FieldDefinition[] {
  const list = useQuery<{ fields: FieldDefinition[] }>('customField.list', { kind });
  return list.data?.fields ?? NONE;
}
