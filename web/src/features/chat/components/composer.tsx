import { useRef, type KeyboardEvent } from 'react';
import { useDraft } from '../../../lib/drafts';
import { EmojiPicker } from './emoji-picker';

const MAX = 4000;

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
  const trimmed = text.trim();
  const tooLong = text.length > MAX;

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
      <EmojiPicker onPick={insert} />
      <textarea
        ref={ref}
        rows={1}
        aria-label="Message"
        placeholder={disabled ? '' : 'Type a message… (Enter to send, Shift+Enter for a new line)'}
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
      {tooLong && <small className="field-error">{text.length}/{MAX}</small>}
      <button type="button" className="btn btn-primary" onClick={send} disabled={!trimmed || tooLong || !!disabled}>
        Send
      </button>
    </div>
  );
}
