import { memo, useEffect, useRef } from 'react';
import type { Offer } from '../../../lib/api/types';
import { fmtCountdown, fmtLbs, fmtMiles, fmtMoney } from '../../../lib/format';
import { effectiveStatus } from '../hooks/offer-filters';

interface Props {
  offer: Offer;
  selected: boolean;
  now: number;
  onSelect: (id: number) => void;
}

export const OfferCard = memo(function OfferCard({ offer: o, selected, now, onSelect }: Props) {
  const status = effectiveStatus(o);
  const c = o.counters;
  const left = o.expires_at && status === 'active' ? new Date(o.expires_at).getTime() - now : null;
  // Selected by its address (a link, a notification, a new offer): bring it into the strip; a click is a no-op here.
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selected]);
  return (
    <button
      ref={ref}
      className={`offer-card${selected ? ' selected' : ''} status-${status}`}
      aria-pressed={selected}
      data-offer-id={o.id}
      onClick={() => onSelect(o.id)}
    >
      <div className="offer-card-top">
        <span className="offer-id">#{o.id}</span>
        <span className={`pill pill-${status}`}>{status}</span>
        {o.unread_count > 0 && (
          <span className="badge" aria-label={`${o.unread_count} unread`} data-testid="offer-unread">
            {o.unread_count}
          </span>
        )}
      </div>
      <div className="offer-route" title={`${o.pickup_location} → ${o.delivery_location}`}>
        <span>{o.pickup_location}</span>
        <span className="arrow">→</span>
        <span>{o.delivery_location}</span>
      </div>
      <div className="offer-metrics">
        <b>{fmtMoney(o.booked_rate ?? o.proposed_rate)}</b>
        <span>{fmtMiles(o.distance_miles)}</span>
        <span>{fmtLbs(o.weight_lbs)}</span>
      </div>
      {c && (
        <div className="counters" aria-label="Driver responses">
          <span title="Sent">🟡 {c.sent}</span>
          <span title="Viewed">🔵 {c.viewed}</span>
          <span title="Accepted">✅ {c.accepted}</span>
          <span title="Rejected">❌ {c.rejected}</span>
          <span title="Countered">🟢 {c.counter_offered}</span>
        </div>
      )}
      <div className="offer-foot">
        {left != null ? (
          <span className={left < 15 * 60_000 ? 'expiring' : 'muted'}>⏱ {fmtCountdown(left)}</span>
        ) : (
          <span className="muted">{status === 'completed' ? 'Booked' : status === 'active' ? 'No expiry' : status === 'expired' ? 'Expired' : 'Cancelled'}</span>
        )}
      </div>
    </button>
  );
});
