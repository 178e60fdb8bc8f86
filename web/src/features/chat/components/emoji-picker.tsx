import { useState } from 'react';

const EMOJI = ['👍', '👌', '🙏', '😊', '😀', '😂', '🤝', '✅', '❌', '⏰', '📍', '🚚', '🛣️', '⛽', '💵', '📦', '📄', '☎️', '👋', '🔥', '⚠️', '❓', '🙂', '😕'];

export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="emoji">
      <button type="button" className="btn btn-ghost btn-icon" aria-label="Insert emoji" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        🙂
      </button>
      {open && (
        <div className="emoji-grid" role="menu" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setOpen(false))}>
          {EMOJI.map((e) => (
            <button
              type="button"
              role="menuitem"
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
