import { memo, useEffect, useRef } from 'react';
import type { Offer, ProposalCounters } from '../../../lib/api/types';
import { fmtCountdown, fmtLbs, fmtMiles, fmtMoney } from '../../../lib/format';
import { effectiveStatus, statusLabel } from '../hooks/offer-filters';
import { responseCounts, responseSummary } from '../hooks/response-counts';
import { attentionLabel } from '../hooks/unseen-responses';

interface Props {
  offer: Offer;
  selected: boolean;
  /** The card Tab lands on in the strip (the selected one); the others are reached with the arrow keys. */
  tabStop: boolean;
  now: number;
  /** Acceptances that arrived since the dispatcher last looked at their conversations (see unseen-responses). */
  answers: number;
  onSelect: (id: number) => void;
}

export const OfferCard = memo(function OfferCard({ offer: o, selected, tabStop, now, answers, onSelect }: Props) {
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
      tabIndex={tabStop ? 0 : -1}
      data-offer-id={o.id}
      onClick={() => onSelect(o.id)}
    >
      <div className="offer-card-top">
        <span className="offer-id">#{o.id}</span>
        <span className={`pill pill-${status}`}>{statusLabel(status)}</span>
        {o.unread_count + answers > 0 && (
          <span className="badge" data-testid="offer-unread" title={attentionLabel(o.unread_count, answers)}>
            <span aria-hidden>{o.unread_count + answers}</span>
            <span className="sr-only">{attentionLabel(o.unread_count, answers)}</span>
          </span>
        )}
        {left != null ? (
          <span className={`offer-expiry ${left < 15 * 60_000 ? 'expiring' : 'muted'}`}>
            <span aria-hidden>⏱ </span>
            <span className="sr-only">expires in </span>
            {fmtCountdown(left)}
          </span>
        ) : (
          status === 'active' && <span className="offer-expiry muted">No expiry</span>
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
        {/* Left out when unknown: a lone "—" on the card read as something missing, not as "no weight given". */}
        {o.weight_lbs != null && <span>{fmtLbs(o.weight_lbs)}</span>}
      </div>
      {c && <Responses counters={c} />}
    </button>
  );
});

/**
 * The drivers' answers in words ("🟡 2 sent  🟢 1 countered"), the emoji only decorating them. A screen reader hears
 * the same as one sentence ("2 sent, 1 countered") as part of the card's name.
 */
function Responses({ counters }: { counters: ProposalCounters }) {
  const counts = responseCounts(counters);
  return (
    <div className={`counters${counts.length ? '' : ' muted'}`} data-testid="offer-responses">
      <span className="sr-only">{responseSummary(counters)}</span>
      {counts.length === 0 && <span aria-hidden>{responseSummary(counters)}</span>}
      {counts.map((r) => (
        <span key={r.key} className="counter" data-status={r.key} aria-hidden>
          {r.icon} <span>{r.text}</span>
        </span>
      ))}
    </div>
  );
}
