/**
 * A button for an action that cannot be undone: the first click asks inline ("Empty the trash for good?") with
 * Confirm / Cancel, so nothing happens by a slip, and no native dialog blocks the window.
 * @module
 */
import { useEffect, useRef, useState } from 'react';

/** Props of {@link ConfirmButton}. */
export interface ConfirmButtonProps {
  /** The button's text ("Empty trash"). */
  label: string;
  /** Its accessible name when the text alone is ambiguous ("Remove Lead source"). */
  ariaLabel?: string;
  /** The question asked before acting. */
  question: string;
  /** The confirming button's text (default: `label`). */
  confirmLabel?: string;
  disabled?: boolean;
  onConfirm(): void;
}

/** A danger button that asks before calling `onConfirm`. */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  confirmLabel,
  disabled,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button
        type="button"
        className="danger"
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={question} className="confirm">
      <span className="confirm-question">{question}</span>
      <button
        ref={confirm}
        type="button"
        className="danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel ?? label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
