import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A bottom sheet over the offer (confirm steps). Focus goes in (to the step's heading, or a field that asked for it)
 * and stays in while it is open, Esc or a tap on the backdrop closes it, and focus returns to what opened it.
 */
export function Sheet({ label, step, onClose, children }: { label: string; step: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // Read while rendering: by the time effects run, a field's autoFocus has already moved focus into the sheet.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  useEffect(() => () => opener?.focus?.(), [opener]);

  // Each step (Counter → confirm) replaces the content: start reading it from its heading.
  useEffect(() => {
    const el = ref.current;
    if (!el || el.contains(document.activeElement)) return;
    const heading = el.querySelector<HTMLElement>('h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [step]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
      if (e.key !== 'Tab' || !ref.current) return;
      const items = [...ref.current.querySelectorAll<HTMLElement>('input, textarea, button')].filter((el) => !el.hasAttribute('disabled'));
      if (!items.length) return;
      const [first, last] = [items[0]!, items[items.length - 1]!];
      if (e.shiftKey && (document.activeElement === first || !ref.current.contains(document.activeElement))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="drv-sheet-backdrop" onClick={onClose}>
      <div className="drv-sheet" role="dialog" aria-modal="true" aria-label={label} ref={ref} onClick={(e) => e.stopPropagation()}>
        {children}
      </div>
    </div>
  );
}
