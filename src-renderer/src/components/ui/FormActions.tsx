/**
 * The buttons at the foot of every record form: save (disabled and relabelled while the command runs) and cancel.
 * @module
 */

/** Props of {@link FormActions}. */
export interface FormActionsProps {
  /** The save button's label, e.g. "Save contact". */
  saveLabel: string;
  /** True while the form's command is in flight. */
  busy: boolean;
  onCancel(): void;
}

/** Save and Cancel. */
export function FormActions({ saveLabel, busy, onCancel }: FormActionsProps) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : saveLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
