import { useId, useRef, type KeyboardEvent } from 'react';
import { useDraft } from '../../../lib/drafts';
import { useMediaQuery } from '../../../lib/ui/use-media-query';
import { EmojiPicker } from './emoji-picker';

const MAX = 4000;

// The keyboard hint only helps with a keyboard, and doesn't fit a phone's composer.
const NARROW = '(max-width: 640px), (pointer: coarse)';
const PLACEHOLDER = { wide: 'Type a message… (Enter to send, Shift+Enter for a new line)', narrow: 'Message' };

interface Props {
  draftKey: string;
  disabled?: string | null;
  onSend: (text: string) => void;
  onKeystroke: () => void;
  onStop: () => void;
}

/** Enter sends, Shift+Enter is a new line. The text is a draft: a reload or an expired session keeps it. */
export function Composer({ draftKey, disabled, onSend, onKeystroke, onStop }: Props) {
  const [text, setText, clear] = useDraft(draftKey, '');
  const ref = useRef<HTMLTextAreaElement>(null);
  const narrow = useMediaQuery(NARROW);
  const trimmed = text.trim();
  const tooLong = text.length > MAX;
  const lengthErrorId = useId();

  function send() {
    if (!trimmed || tooLong || disabled) return;
    onSend(trimmed);
    clear();
    onStop();
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  }

  function insert(emoji: string) {
    const el = ref.current;
    const at = el?.selectionStart ?? text.length;
    setText(text.slice(0, at) + emoji + text.slice(el?.selectionEnd ?? at));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + emoji.length, at + emoji.length);
    });
  }

  return (
    <div className="composer">
      {disabled && <div className="composer-disabled">{disabled}</div>}
      {/* Closed, nothing here takes the focus: a Tab stop under the notice would open a menu that can't insert anywhere. */}
      <EmojiPicker onPick={insert} disabled={!!disabled} />
      <textarea
        ref={ref}
        rows={1}
        aria-label="Message"
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? lengthErrorId : undefined}
        placeholder={disabled ? '' : narrow ? PLACEHOLDER.narrow : PLACEHOLDER.wide}
        value={text}
        disabled={!!disabled}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value) onKeystroke();
          else onStop();
        }}
        onKeyDown={onKeyDown}
        onBlur={onStop}
      />
      {tooLong && (
        <small className="field-error composer-error" id={lengthErrorId}>
          {text.length.toLocaleString('en-US')} of {MAX.toLocaleString('en-US')} characters: shorten the message to send it.
        </small>
      )}
      <button type="button" className="btn btn-primary" onClick={send} disabled={!trimmed || tooLong || !!disabled}>
        Send
      </button>
    </div>
  );
}
