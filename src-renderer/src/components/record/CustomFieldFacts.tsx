/**
 * A record's custom field values in its detail view: one term and value per defined field (in a `<dl>` of the
 * caller), labelled with the current definitions.
 * @module
 */
import { Fragment } from 'react';
import { formatCustomField, type StoredCustomFields } from './custom-field-form.js';
import { useCustomFields, type CustomFieldKind } from './useCustomFields.js';

/** The `<dt>`/`<dd>` pairs of the custom fields of `kind` with the record's `values`. */
export function CustomFieldFacts({ kind, values }: { kind: CustomFieldKind; values: StoredCustomFields }) {
  const definitions = useCustomFields(kind);
  return (
    <>
      {definitions.map((def) => (
        <Fragment key={def.fieldId}>
          <dt>{def.label}</dt>
          <dd>
            {formatCustomField(def, Object.hasOwn(values, def.fieldId) ? values[def.fieldId] : undefined)}
          </dd>
        </Fragment>
      ))}
    </>
  );
}
