import { Link } from 'react-router';
import type { Offer } from '../../../lib/api/types';
import { fmtMiles, fmtMoney, fmtRpm, fmtWindowStart } from '../../../lib/format';
import { useMyOffers, offerState } from '../hooks/use-my-offers';
import { useNow } from '../hooks/use-now';
import { StatusChip } from './status-chip';
import { LoadError } from '../../../lib/ui/load-error';
import { NoSignal, useNoSignal } from './no-signal';

/** /driver — every offer sent to me, the ones I can still act on first. */
export function MyOffersPage() {
  const offers = useMyOffers();
  const now = useNow(30_000);
  const noSignal = useNoSignal();
  if (!offers.data && noSignal) return <NoSignal what="Your offers" />;
  if (offers.isLoading) return <p className="drv-muted drv-pad">Loading your offers…</p>;
  if (offers.error) {
    return <LoadError what="your offers" error={offers.error} onRetry={() => void offers.refetch()} className="drv-error drv-pad drv-load-error" buttonClassName="drv-btn drv-btn-ghost" />;
  }
  const list = [...(offers.data ?? [])].sort((a, b) => {
    const open = Number(offerState(b, now).open) - Number(offerState(a, now).open);
    return open !== 0 ? open : b.created_at.localeCompare(a.created_at);
  });
  if (list.length === 0) {
    return <p className="drv-muted drv-pad">No offers yet. When a dispatcher sends you a load, it shows up here.</p>;
  }
  return (
    <main className="drv-list" aria-label="My offers">
      {list.map((o) => (
        <OfferRow key={o.id} offer={o} now={now} />
      ))}
    </main>
  );
}

function OfferRow({ offer: o, now }: { offer: Offer; now: number }) {
  const state = offerState(o, now);
  return (
    <Link to={`/driver/offers/${o.id}`} className={`drv-offer-row${state.open ? '' : ' drv-closed'}`} data-testid="driver-offer-row" data-offer-id={o.id}>
      <div className="drv-route">
        <span>{o.pickup_location}</span>
        <span className="drv-arrow" aria-hidden>→</span>
        <span>{o.delivery_location}</span>
      </div>
      <div className="drv-offer-meta">
        <strong>{fmtMoney(o.proposed_rate)}</strong>
        <span>{fmtRpm(o.rate_per_mile)}</span>
        <span>{fmtMiles(o.distance_miles)}</span>
        <span>Pickup {fmtWindowStart(o.pickup_window_start, o.pickup_window_end)}</span>
      </div>
      <div className="drv-offer-foot">
        <StatusChip offer={o} now={now} />
        {o.unread_count > 0 && (
          <span className="drv-badge">
            {o.unread_count}
            <span className="sr-only"> unread messages</span>
          </span>
        )}
      </div>
    </Link>
  );
}
