/**
 * The keyboard way to move a deal card: a "Move to…" menu button (WAI-ARIA menu button pattern: Enter or
 * Arrow Down opens it, arrows move between items, Enter picks, Escape closes and gives focus back).
 * @module
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

/** Props of {@link MoveMenu}. */
export interface MoveMenuProps {
  /** What is moved, for the button's accessible name ("Move Website to…"). */
  label: string;
  targets: { id: string; name: string }[];
  onPick(targetId: string): void;
}

/** A menu button listing `targets`. */
export function MoveMenu({ label, targets, onPick }: MoveMenuProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const items = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) items.current[active]?.focus();
  }, [open, active]);

  function close(): void {
    setOpen(false);
    button.current?.focus();
  }

  function onMenuKey(e: KeyboardEvent): void {
    const n = targets.length;
    if (e.key === 'ArrowDown') setActive((i) => (i + 1) % n);
    else if (e.key === 'ArrowUp') setActive((i) => (i - 1 + n) % n);
    else if (e.key === 'Home') setActive(0);
    else if (e.key === 'End') setActive(n - 1);
    else if (e.key === 'Escape' || e.key === 'Tab') close();
    else return;
    e.preventDefault();
  }

  return (
    <div className="move-menu">
      <button
        ref={button}
        type="button"
        className="small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Move ${label} to…`}
        onClick={() => {
          setActive(0);
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive(0);
            setOpen(true);
          }
        }}
      >
        Move to…
      </button>
      {open && (
        <div
          id={menuId}
          role="menu"
          aria-label={`Move ${label} to`}
          className="menu"
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
          }}
        >
          {targets.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                items.current[i] = el;
              }}
              type="button"
              role="menuitem"
              tabIndex={i === active ? 0 : -1}
              onClick={() => {
                close();
                onPick(t.id);
              }}
            >
              {t.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
