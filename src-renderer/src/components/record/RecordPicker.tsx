/**
 * A type-ahead picker of one contact, company or deal (an ARIA combobox): typing asks `record.names {kind, q}`
 * for the first matching names, arrow keys move through them, Enter or a click picks one, Escape closes the list
 * and restores the chosen name; emptying the text and leaving the field picks none. The chosen record's name is
 * read by id, so a picker never loads the whole list of records.
 * @module
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { RecordNames } from '../../../../core/crm/record-names.js';
import { useQuery } from '../../hooks/useQuery.js';
import { Field } from '../ui/Field.js';
import { displayName, nameOf } from './record-names.js';
import './record-picker.css';

/** How many names the list shows. */
const SHOWN = 10;

/** Props of {@link RecordPicker}. */
export interface RecordPickerProps {
  kind: 'contact' | 'company' | 'deal';
  label: string;
  /** The chosen record's id, `''` for none. */
  value: string;
  onChange(id: string): void;
  error?: string | undefined;
  /** Shown in the empty field, e.g. "No company". */
  placeholder?: string;
}

/** The picker, labelled, with its error. */
export function RecordPicker({ kind, label, value, onChange, error, placeholder }: RecordPickerProps) {
  const listId = useId();
  // What the user typed since the list opened; `null`: the field shows the chosen record's name.
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const chosen = useQuery<RecordNames>('record.names', { kind, ids: value ? [value] : [] });
  const found = useQuery<RecordNames>(
    'record.names',
    open ? { kind, q: (typed ?? '').trim(), limit: SHOWN } : { kind, ids: [] },
  );
  const items = open ? (found.data?.items ?? []) : [];
  const chosenItem = chosen.data?.items.find((i) => i.id === value);
  const chosenName = value === '' ? '' : displayName(chosenItem, chosen.data !== undefined);
  const optionId = (i: number) => `${listId}-${i}`;

  function close(): void {
    setOpen(false);
    setTyped(null);
    setActive(-1);
  }

  function pick(id: string): void {
    close();
    if (id !== value) onChange(id);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
      } else if (items.length > 0) {
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => Math.min(items.length - 1, Math.max(0, a + step)));
      }
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      const item = active >= 0 ? items[active] : undefined;
      if (item) pick(item.id);
      else if (typed !== null && typed.trim() === '') pick('');
      else close();
    } else if (e.key === 'Escape' && open) {
      // Only the list closes, not the form around the picker.
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  }

  return (
    <Field label={label} error={error}>
      {(ids) => (
        <div className="record-picker">
          <input
            {...ids}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open && items.length > 0}
            aria-controls={listId}
            aria-activedescendant={
              open && active >= 0 && active < items.length ? optionId(active) : undefined
            }
            autoComplete="off"
            placeholder={placeholder}
            value={typed ?? chosenName}
            onChange={(e) => {
              setTyped(e.target.value);
              setOpen(true);
              setActive(e.target.value.trim() === '' ? -1 : 0);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => (typed !== null && typed.trim() === '' ? pick('') : close())}
          />
          <ul id={listId} role="listbox" aria-label={label} hidden={items.length === 0}>
            {items.map((item, i) => (
              <li
                key={item.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                // Keep the focus in the field, so its blur does not close the list before the click.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(item.id)}
              >
                {nameOf(item)}
              </li>
            ))}
          </ul>
          {open && typed !== null && typed.trim() !== '' && found.data?.items.length === 0 && (
            <p className="muted" role="status">
              No match for “{typed.trim()}”.
            </p>
          )}
        </div>
      )}
    </Field>
  );
}
