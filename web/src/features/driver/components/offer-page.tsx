import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ChatMessage, Offer } from '../../../lib/api/types';
import { fmtLbs, fmtMiles, fmtMoney, fmtRpm, fmtWindow } from '../../../lib/format';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { ChatWindow } from '../../chat/components/chat-window';
import type { RateActions } from '../../chat/components/message-item';
import { useResponseQueue } from '../hooks/driver-queue';
import { offerState, useMyOffer } from '../hooks/use-my-offers';
import { useNow } from '../hooks/use-now';
import { useDispatcherPresence } from '../hooks/use-dispatcher-presence';
import { AcceptSheet, OfferActions } from './offer-actions';
import { QueuedAnswers } from './queued-answers';
import { StatusChip } from './status-chip';
import { LoadError } from '../../../lib/ui/load-error';
import { NoSignal, useNoSignal } from './no-signal';

/** /driver/offers/:offerId — the load, my answer, and the chat with the dispatcher. */
export function OfferPage() {
  const offerId = Number(useParams().offerId);
  const { offer, isLoading, error, retry } = useMyOffer(offerId);
  const noSignal = useNoSignal();
  if (!Number.isInteger(offerId) || offerId <= 0) return <NotFound />;
  // The offer itself wins over an error reading the list it is usually taken from.
  if (offer) return <OfferView offer={offer} />;
  if (noSignal) return <NoSignal what="The offer" />;
  if (isLoading) return <p className="drv-muted drv-pad">Loading the offer…</p>;
  if (error && !('status' in error && error.status === 404)) {
    return <LoadError what="the offer" error={error} onRetry={retry} className="drv-error drv-pad drv-load-error" buttonClassName="drv-btn drv-btn-ghost" />;
  }
  return <NotFound />;
}

function NotFound() {
  return (
    <div className="drv-pad">
      <p>This offer isn't available to you.</p>
      <Link to="/driver">Back to my offers</Link>
    </div>
  );
}

function OfferView({ offer: o }: { offer: Offer }) {
  const { me } = useRealtime();
  const queue = useResponseQueue();
  const now = useNow();
  const state = offerState(o, now);
  const p = o.my_proposal;
  const dispatcherId = o.dispatcher?.id ?? o.created_by;
  const presence = useDispatcherPresence(dispatcherId);
  const [cardAccept, setCardAccept] = useState<number | null>(null);

  // When the answer buttons go (accepted, declined, the load taken), the focus they held would fall to the top of the
  // page: it goes to the banner that says what happened instead.
  const banner = useRef<HTMLDivElement>(null);
  const couldAnswer = useRef(state.canAnswer);
  useEffect(() => {
    const lostFocus = !document.activeElement || document.activeElement === document.body;
    if (couldAnswer.current && !state.canAnswer && lostFocus) banner.current?.focus();
    couldAnswer.current = state.canAnswer;
  }, [state.canAnswer]);

  // Opening the offer tells the dispatcher it was seen (queued like any answer, so it also works offline).
  useEffect(() => {
    if (p && p.status === 'sent') {
      queue.enqueue({ offer_id: o.id, proposal_id: p.id, action: 'view' });
      void queue.flush();
    }
  }, [p, o.id, queue]);

  const rateActions: RateActions | undefined =
    p && state.canAnswer
      ? {
          canAnswer: (m: ChatMessage) => m.sender_type === 'dispatcher' && m.rate != null && m.rate === p.dispatcher_proposed_rate,
          // Asked first, as the Accept button asks: one tap in a moving cab must not take a load.
          onAccept: (m: ChatMessage) => setCardAccept(m.rate),
          onCounter: (_m: ChatMessage, rate: number) => {
            queue.enqueue({ offer_id: o.id, proposal_id: p.id, action: 'counter', rate });
            void queue.flush();
          },
        }
      : undefined;

  const dispatcherName = o.dispatcher?.full_name ?? 'Dispatcher';
  return (
    <main className="drv-offer" data-testid="driver-offer" data-offer-id={o.id}>
      {state.banner && (
        <div className={`drv-banner drv-banner-${state.banner.tone}`} role="status" data-testid="offer-banner" ref={banner} tabIndex={-1}>
          {state.banner.text}
        </div>
      )}
      <section className="drv-card drv-load" aria-label="Load">
        <div className="drv-load-head">
          <StatusChip offer={o} now={now} />
          {o.expires_at && state.open && <span className="drv-muted">Expires {new Date(o.expires_at).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })}</span>}
        </div>
        <div className="drv-stops">
          <div className="drv-stop">
            <span className="drv-dot drv-dot-pick" aria-hidden />
            <div>
              <div className="drv-stop-label">Pickup</div>
              <div className="drv-stop-place" data-testid="pickup">{o.pickup_location}</div>
              <div className="drv-muted">{fmtWindow(o.pickup_window_start, o.pickup_window_end)}</div>
            </div>
          </div>
          <div className="drv-stop">
            <span className="drv-dot drv-dot-drop" aria-hidden />
            <div>
              <div className="drv-stop-label">Delivery</div>
              <div className="drv-stop-place" data-testid="delivery">{o.delivery_location}</div>
              <div className="drv-muted">{fmtWindow(o.delivery_window_start, o.delivery_window_end)}</div>
            </div>
          </div>
        </div>
        <dl className="drv-facts">
          <div><dt>Rate</dt><dd data-testid="rate">{fmtMoney(o.proposed_rate)}</dd></div>
          <div><dt>Per mile</dt><dd>{fmtRpm(o.rate_per_mile)}</dd></div>
          <div><dt>Distance</dt><dd>{fmtMiles(o.distance_miles)}</dd></div>
          <div><dt>Weight</dt><dd>{fmtLbs(o.weight_lbs)}</dd></div>
          <div><dt>Dimensions</dt><dd>{o.dimensions || '—'}</dd></div>
          {p?.dispatcher_proposed_rate != null && (
            <div><dt>Dispatcher offers</dt><dd>{fmtMoney(p.dispatcher_proposed_rate)}</dd></div>
          )}
          {p?.driver_proposed_rate != null && (
            <div><dt>Your counter</dt><dd data-testid="my-counter">{fmtMoney(p.driver_proposed_rate)}</dd></div>
          )}
        </dl>
        {o.notes && <p className="drv-notes">{o.notes}</p>}
        <div className="drv-dispatcher">
          <span className={`drv-presence ${presence.online ? 'on' : 'off'}`} data-testid="dispatcher-presence" aria-label={presence.known ? (presence.online ? 'online' : 'offline') : 'not known'} />
          <div>
            <div className="drv-strong">{dispatcherName}</div>
            <div className="drv-muted">{!presence.known ? 'Not known without signal' : presence.online ? 'Online now' : 'Offline'}</div>
          </div>
          {o.dispatcher?.mobile_number && (
            <a className="drv-btn drv-btn-call" href={`tel:${o.dispatcher.mobile_number.replace(/[^\d+]/g, '')}`}>
              Call {o.dispatcher.mobile_number}
            </a>
          )}
        </div>
      </section>

      {p && state.canAnswer && <OfferActions offer={o} proposal={p} />}
      <QueuedAnswers offerId={o.id} />
      {p && state.canAnswer && cardAccept != null && (
        <AcceptSheet
          offer={o}
          rate={cardAccept}
          onClose={() => setCardAccept(null)}
          onAccept={() => {
            // The card's rate goes with the answer, so a counter-back changed meanwhile is refused, not accepted blind.
            queue.enqueue({ offer_id: o.id, proposal_id: p.id, action: 'accept', rate: cardAccept });
            void queue.flush();
            setCardAccept(null);
          }}
        />
      )}

      <div className="drv-chat">
        <ChatWindow
          offerId={o.id}
          driverId={me.id}
          otherName={dispatcherName}
          closedReason={state.chatOpen ? null : state.banner?.text ?? 'This conversation is closed.'}
          rateActions={rateActions}
        />
      </div>
    </main>
  );
}
