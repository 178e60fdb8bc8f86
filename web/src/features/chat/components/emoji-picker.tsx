import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { moveFocus } from '../../../lib/ui/arrow-keys';

const EMOJI = ['👍', '👌', '🙏', '😊', '😀', '😂', '🤝', '✅', '❌', '⏰', '📍', '🚚', '🛣️', '⛽', '💵', '📦', '📄', '☎️', '👋', '🔥', '⚠️', '❓', '🙂', '😕'];

/**
 * A menu of emoji. Opening it puts the cursor on the first one; arrows move (as laid out: left/right, up/down a row),
 * Home/End jump, Enter picks, Esc closes back to the button, Tab or a click elsewhere closes it.
 */
export function EmojiPicker({ onPick, disabled = false }: { onPick: (emoji: string) => void; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    gridRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const outside = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const grid = gridRef.current;
    if (!grid) return;
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    if (e.key === 'Tab') {
      setOpen(false);
      return;
    }
    // As many columns as the layout shows (8 with a mouse, 6 thumb-sized ones on a phone).
    const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').length || 1;
    moveFocus(e, [...grid.querySelectorAll<HTMLButtonElement>('button')], { orientation: 'grid', columns });
  }

  return (
    <div className="emoji" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-ghost btn-icon"
        aria-label="Insert emoji"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        🙂
      </button>
      {open && !disabled && (
        <div className="emoji-grid" role="menu" aria-label="Emoji" id={menuId} ref={gridRef} onKeyDown={onKeyDown}>
          {EMOJI.map((e) => (
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              key={e}
              onClick={() => {
                onPick(e);
                setOpen(false);
              }}
            >
              {e}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
