import { useEffect, useRef, useState, type ReactNode } from 'react';

/** A dialog over the page: Esc or the backdrop closes it, focus moves in and comes back where it was. */
export function Modal({
  title,
  onClose,
  children,
  wide,
  role = 'dialog',
  describedBy,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  /** `alertdialog` for a question that interrupts (a confirmation), read out with its `describedBy` text. */
  role?: 'dialog' | 'alertdialog';
  describedBy?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // Read while rendering: by the time effects run, a field's autoFocus has already moved focus into the dialog.
  const [previous] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    // A field that asked for focus (React's autoFocus) keeps it; otherwise the first field, and the Close button last.
    if (!ref.current?.contains(document.activeElement)) {
      const body = ref.current?.querySelector<HTMLElement>('.modal-head ~ * input, .modal-head ~ * select, .modal-head ~ * textarea');
      (body ?? ref.current?.querySelector<HTMLElement>('button'))?.focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
      if (e.key === 'Tab' && ref.current) {
        const items = [...ref.current.querySelectorAll<HTMLElement>('input, select, textarea, button, [tabindex="0"]')].filter((el) => !el.hasAttribute('disabled'));
        if (!items.length) return;
        const [a, z] = [items[0]!, items[items.length - 1]!];
        if (e.shiftKey && document.activeElement === a) {
          e.preventDefault();
          z.focus();
        } else if (!e.shiftKey && document.activeElement === z) {
          e.preventDefault();
          a.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [previous]);

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role={role} aria-modal="true" aria-label={title} aria-describedby={describedBy} ref={ref}>
        <header className="modal-head">
          <h2>{title}</h2>
          <button className="btn btn-ghost btn-sm" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
