import { memo, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api/problem';
import type { ChatMessage } from '../../../lib/api/types';
import { fmtMoney, fmtTime, wholeCents } from '../../../lib/format';
import { Field } from '../../../lib/ui/field';
import { systemText, type Viewer } from '../system-text';

export interface RateActions {
  /** Whether Accept / Counter show on this rate proposal (the latest one from the other side, while open). */
  canAnswer: (m: ChatMessage) => boolean;
  onAccept: (m: ChatMessage) => Promise<void> | void;
  onCounter: (m: ChatMessage, rate: number) => Promise<void> | void;
  acceptLabel?: string;
}

export type ItemState = 'sent' | 'read' | 'pending' | 'failed';

interface Props {
  message: Pick<ChatMessage, 'message' | 'message_type' | 'created_at' | 'rate'> & Partial<ChatMessage>;
  mine: boolean;
  state: ItemState;
  senderName: string;
  /** Who reads: system lines about them read in the second person. */
  viewer?: Viewer;
  /** Shown as a counter-offer card (see rate-cards.ts) rather than a bubble or an event line. */
  rateCard?: boolean;
  rateActions?: RateActions;
  /** Only the latest rate from the other side can be answered. */
  latest?: boolean;
  failedReason?: string;
  onRetry?: () => void;
  onDiscard?: () => void;
}

export const MessageItem = memo(function MessageItem({ message: m, mine, state, senderName, viewer, rateCard = false, rateActions, latest, failedReason, onRetry, onDiscard }: Props) {
  if (m.message_type === 'system' && !rateCard) {
    return (
      <div className="msg-system" role="note">
        <span>{viewer ? systemText(m, viewer) : m.message}</span> <time>{fmtTime(m.created_at)}</time>
      </div>
    );
  }
  const receipt =
    state === 'pending' ? <span title="Waiting to send" aria-label="pending">🕓</span>
    : state === 'failed' ? <span className="failed">⚠ {failedReason ? `Not sent: ${failedReason}` : 'Not sent'}</span>
    : state === 'read' ? <span className="read" title={m.read_at ? `Read ${fmtTime(m.read_at)}` : 'Read'} aria-label="read">✓✓</span>
    : <span title="Sent" aria-label="sent">✓</span>;

  return (
    <div className={`msg ${mine ? 'msg-mine' : 'msg-theirs'}${state === 'pending' ? ' msg-pending' : ''}`} data-message-id={m.id} data-state={state}>
      {!mine && <div className="msg-sender">{senderName}</div>}
      {rateCard ? (
        <RateCard message={m as ChatMessage} mine={mine} viewer={viewer} actions={latest ? rateActions : undefined} />
      ) : (
        <div className="msg-bubble">{m.message}</div>
      )}
      <div className="msg-meta">
        <time dateTime={m.created_at}>{fmtTime(m.created_at)}</time>
        {mine && m.message_type !== 'system' && receipt}
        {state === 'failed' && (
          <>
            {onRetry && <button className="link" onClick={onRetry}>Retry</button>}
            <button className="link" onClick={onDiscard}>Discard</button>
          </>
        )}
      </div>
    </div>
  );
});

function RateCard({ message: m, mine, viewer, actions }: { message: ChatMessage; mine: boolean; viewer?: Viewer; actions?: RateActions }) {
  const [countering, setCountering] = useState(false);
  const [rate, setRate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canAnswer = !mine && !!actions && actions.canAnswer(m);
  const counterButton = useRef<HTMLButtonElement>(null);
  const cardRef = useRef<HTMLDivElement>(null);
  // Leaving the counter form puts the cursor back on Counter, not at the top of the page.
  const stopCountering = () => {
    setCountering(false);
    setError(null);
    requestAnimationFrame(() => counterButton.current?.focus());
  };

  async function run(f: () => Promise<void> | void, { fromForm = false } = {}) {
    setBusy(true);
    setError(null);
    try {
      await f();
      setCountering(false);
      // The form that held the cursor is gone: go on in the conversation's message box (a note to the counter), not
      // at the top of the page.
      if (fromForm) requestAnimationFrame(() => cardRef.current?.closest('.chat')?.querySelector<HTMLElement>('textarea:not(:disabled)')?.focus());
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors.rate ?? e.message) : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="rate-card" data-testid="rate-card" ref={cardRef}>
      <div className="rate-card-title">{mine ? 'Your counter-offer' : 'Counter-offer'}</div>
      <div className="rate-card-rate">{fmtMoney(m.rate)}</div>
      {m.message && <div className="rate-card-note">{viewer ? systemText(m, viewer) : m.message}</div>}
      {canAnswer && !countering && (
        <div className="rate-card-actions">
          <button className="btn btn-primary btn-sm" disabled={busy} onClick={() => run(() => actions.onAccept(m))}>
            {actions.acceptLabel ?? 'Accept'} {fmtMoney(m.rate)}
          </button>
          <button className="btn btn-sm" disabled={busy} onClick={() => (setCountering(true), setError(null))} ref={counterButton}>
            Counter
          </button>
        </div>
      )}
      {canAnswer && countering && (
        <form
          className="rate-card-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const v = Number(rate.replace(/[,$\s]/g, ''));
            if (!Number.isFinite(v)) return setError('Enter the rate as a number, e.g. 2650.');
            if (v <= 0) return setError('Enter a rate greater than 0.');
            if (!wholeCents(v)) return setError('Enter the rate in dollars and cents (at most 2 decimal places).');
            void run(() => actions.onCounter(m, v), { fromForm: true });
          }}
        >
          <Field label="Counter rate (USD)" error={error} errorRole="alert">
            {(control) => (
              <div className="rate-card-actions">
                <input
                  {...control}
                  inputMode="decimal"
                  autoFocus
                  placeholder="Your rate"
                  value={rate}
                  onChange={(e) => (setRate(e.target.value), setError(null))}
                  onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), stopCountering())}
                />
                <button className="btn btn-primary btn-sm" disabled={busy}>Send</button>
                <button type="button" className="btn btn-ghost btn-sm" onClick={stopCountering}>Cancel</button>
              </div>
            )}
          </Field>
        </form>
      )}
      {error && !countering && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}
