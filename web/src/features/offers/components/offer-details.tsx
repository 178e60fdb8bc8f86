import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Offer, Proposal } from '../../../lib/api/types';
import { fmtDateTime, fmtLbs, fmtMiles, fmtMoney, fmtRpm, fmtWindow } from '../../../lib/format';
import { askConfirm } from '../../../lib/ui/confirm-dialog';
import { bookQuestion, cancelQuestion, invitedCount } from '../hooks/confirm-questions';
import { applyOffer } from '../../../lib/realtime/live-cache';
import { keys } from '../../../lib/query-keys';
import { toast } from '../../../lib/notify';
import { cancelOffer } from '../api/cancel-offer';
import { bookDriver } from '../api/book-driver';
import { bookable, effectiveStatus, statusLabel } from '../hooks/offer-filters';
import { CreateOfferModal } from './create-offer-modal';
import { SendMoreModal } from './send-more-modal';

interface Props {
  offer: Offer;
  selectedProposal: Proposal | null;
  invitedIds: number[];
}

/** The offer's details and actions, in the column beside the chat: everything shown, the notes in full. */
export function OfferDetails({ offer: o, selectedProposal: p, invitedIds }: Props) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const status = effectiveStatus(o);
  const active = status === 'active';

  async function act(label: string, f: () => Promise<Offer | null>) {
    setBusy(true);
    try {
      const r = await f();
      if (r) applyOffer(qc, r);
      void qc.invalidateQueries({ queryKey: keys.offers });
      void qc.invalidateQueries({ queryKey: keys.proposals(o.id) });
    } catch (e) {
      toast({ title: `Could not ${label}`, body: (e as Error).message, tone: 'error' });
      void qc.invalidateQueries({ queryKey: keys.offers });
    } finally {
      setBusy(false);
      // Booked or cancelled, the buttons are gone with the focus on them: land on the offer's heading, not the page's top.
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
      });
    }
  }

  const bookRate = p ? (p.status === 'counter_offered' ? p.driver_proposed_rate : (p.agreed_rate ?? o.proposed_rate)) : null;

  const bookButton = (
    <button
      className="btn btn-primary details-book"
      disabled={busy || !p || !bookable(o, p)}
      title={!p ? 'Select a driver first' : !bookable(o, p) ? 'Only a driver who accepted or countered can be booked' : undefined}
      onClick={async () => {
        if (!p) return;
        const who = p.driver?.driver_name ?? `truck ${p.driver_id}`;
        if (await askConfirm(bookQuestion(who, bookRate, invitedCount(o, invitedIds.length), p.status === 'counter_offered')))
          void act('book', () => bookDriver(o.id, p.driver_id, bookRate));
      }}
    >
      {p && bookable(o, p) ? `Book ${p.driver?.driver_name ?? p.driver_id} at ${fmtMoney(bookRate)}` : 'Book'}
    </button>
  );

  return (
    <section className="details" aria-label={`Offer ${o.id} details`}>
      <div className="details-head">
        <h2 ref={heading} tabIndex={-1}>
          Offer #{o.id}
        </h2>
        <span className={`pill pill-${status}`}>{statusLabel(status)}</span>
      </div>
      {active && (
        <div className="details-actions">
          {bookButton}
          <button className="btn btn-sm" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button className="btn btn-sm" onClick={() => setSending(true)}>
            Send to more drivers
          </button>
          <button
            className="btn btn-sm btn-danger"
            disabled={busy}
            onClick={async () => {
              if (await askConfirm(cancelQuestion(o, invitedCount(o, invitedIds.length)))) void act('cancel the offer', () => cancelOffer(o.id));
            }}
          >
            Cancel offer
          </button>
        </div>
      )}
      <div className="details-grid">
        <div className="span-2">
          <div className="label">Route</div>
          <div className="strong">
            {o.pickup_location} → {o.delivery_location}
          </div>
          <div className="muted">{fmtMiles(o.distance_miles)}</div>
        </div>
        <div className="span-2">
          <div className="label">Pickup</div>
          <div>{fmtWindow(o.pickup_window_start, o.pickup_window_end)}</div>
          <div className="label">Delivery</div>
          <div>{fmtWindow(o.delivery_window_start, o.delivery_window_end)}</div>
        </div>
        <div>
          <div className="label">Rate</div>
          <div className="strong">{fmtMoney(o.proposed_rate)}</div>
          <div className="muted">{fmtRpm(o.rate_per_mile)}</div>
        </div>
        <div>
          <div className="label">Cargo</div>
          <div>{fmtLbs(o.weight_lbs)}</div>
          <div>{o.dimensions ?? '—'}</div>
        </div>
        <div className="span-2">
          {o.booked_rate != null && (
            <div className="ok">
              Booked at {fmtMoney(o.booked_rate)} {o.booked_at && `· ${fmtDateTime(o.booked_at)}`}
            </div>
          )}
          <div className="muted">{o.auto_book ? 'Auto-book on first accept' : 'Manual booking'}</div>
          {o.expires_at && <div className="muted">Expires {fmtDateTime(o.expires_at)}</div>}
        </div>
        {o.notes && (
          <div className="span-2">
            <div className="label">Notes</div>
            <div className="notes">{o.notes}</div>
          </div>
        )}
      </div>
      {editing && <CreateOfferModal offer={o} onClose={() => setEditing(false)} />}
      {sending && <SendMoreModal offer={o} invitedIds={invitedIds} onClose={() => setSending(false)} />}
    </section>
  );
}
