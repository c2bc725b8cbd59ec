/**
 * Asks why a deal was lost (the domain requires a reason) in a modal `<dialog>`: focus moves into it, Escape
 * cancels, and focus returns where it was.
 * @module
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { TextField } from '../../components/ui/Field.js';

/** Props of {@link LoseReasonDialog}. */
export interface LoseReasonDialogProps {
  /** The deal's title, for the heading. */
  title: string;
  onConfirm(reason: string): void;
  onCancel(): void;
}

/** The dialog (mounted = open). */
export function LoseReasonDialog({ title, onConfirm, onCancel }: LoseReasonDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  function submit(e: FormEvent): void {
    e.preventDefault();
    if (reason.trim() === '') setError('Enter the reason the deal was lost.');
    else onConfirm(reason.trim());
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby="lose-title"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form aria-label="Mark deal lost" noValidate onSubmit={submit}>
        <h2 id="lose-title">Why was “{title}” lost?</h2>
        <TextField
          label="Reason"
          value={reason}
          onChange={setReason}
          error={error}
          maxLength={500}
          autoFocus
        />
        <div className="actions">
          <button type="submit" className="primary">
            Mark lost
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
