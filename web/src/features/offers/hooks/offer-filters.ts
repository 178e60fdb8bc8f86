import type { Offer, Proposal } from '../../../lib/api/types';

export type OfferStatusFilter = 'all' | 'active' | 'completed' | 'cancelled' | 'expired';

/** Search (id, route, notes) and status, active offers first, newest first within a group. */
export function filterOffers(offers: readonly Offer[], search: string, status: OfferStatusFilter): Offer[] {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return offers
    .filter((o) => {
      const s = effectiveStatus(o);
      if (status !== 'all' && s !== status) return false;
      if (!words.length) return true;
      const hay = `#${o.id} ${o.id} ${o.pickup_location} ${o.delivery_location} ${o.notes ?? ''} ${o.dimensions ?? ''}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => rank(a) - rank(b) || b.id - a.id);
}

export function effectiveStatus(o: Offer): 'active' | 'completed' | 'cancelled' | 'expired' {
  return o.status === 'active' && o.is_expired ? 'expired' : o.status;
}

/** What a person calls the status: a completed offer is "booked" everywhere they read it (card, details, filter). */
export const statusLabel = (s: ReturnType<typeof effectiveStatus>) => (s === 'completed' ? 'booked' : s);

const rank = (o: Offer) => (effectiveStatus(o) === 'active' ? 0 : 1);

export interface Indicator {
  icon: string;
  label: string;
  /** Longer wording for a tooltip. */
  title: string;
}

/**
 * The seed's indicators: 🟡 sent, 🔵 viewed, 🟢 responded (countered), ✅ accepted, ❌ rejected (worded "declined", as the
 * driver's button and the chat's line say it). Once the offer is
 * closed, its outcome wins over what each driver last did: 🏁 booked for the booked driver, "not booked" for the
 * others. The proposal's own offer_status counts too: a proposal event can arrive before the offer's.
 */
export function proposalIndicator(
  p: Pick<Proposal, 'status' | 'is_booked' | 'driver_id' | 'offer_status'> & Partial<TurnFields>,
  offer?: Pick<Offer, 'status' | 'booked_driver_id'>,
): Indicator {
  const last = awaitingDriver(p) ? { icon: '↩', label: 'You countered' } : lastResponse(p.status);
  if (p.is_booked || (offer?.booked_driver_id != null && offer.booked_driver_id === p.driver_id)) {
    return { icon: '🏁', label: 'Booked', title: 'Booked: this driver has the load' };
  }
  if (offer?.status === 'completed' || offer?.booked_driver_id != null || p.offer_status === 'completed') {
    return { icon: '⛔', label: 'Not booked', title: `Not booked: the load went to another driver (last: ${last.label.toLowerCase()})` };
  }
  if (offer?.status === 'cancelled' || p.offer_status === 'cancelled') {
    return { icon: '⊘', label: 'Cancelled', title: `The offer was cancelled (last: ${last.label.toLowerCase()})` };
  }
  if (awaitingDriver(p)) return { ...last, title: 'You countered back: waiting for the driver' };
  return { ...last, title: last.label };
}

type TurnFields = Pick<Proposal, 'dispatcher_proposed_rate' | 'updated_at' | 'responded_at'>;

/**
 * The dispatcher answered the driver's counter with a rate of their own and it is the driver's turn. The proposal
 * stays `counter_offered` then; only the counter back moves `updated_at` past the driver's last `responded_at` (a new
 * counter from the driver moves both).
 */
export function awaitingDriver(p: Pick<Proposal, 'status'> & Partial<TurnFields>): boolean {
  return (
    p.status === 'counter_offered' && p.dispatcher_proposed_rate != null && !!p.updated_at && !!p.responded_at && Date.parse(p.updated_at) > Date.parse(p.responded_at)
  );
}

/** The rate on the table for a countered proposal: the dispatcher's counter back when it is the driver's turn. */
export function tableRate(p: Pick<Proposal, 'status' | 'driver_proposed_rate'> & Partial<TurnFields>): number | null {
  return awaitingDriver(p) ? (p.dispatcher_proposed_rate ?? null) : p.driver_proposed_rate;
}

function lastResponse(status: Proposal['status']): { icon: string; label: string } {
  switch (status) {
    case 'sent':
      return { icon: '🟡', label: 'Sent' };
    case 'viewed':
      return { icon: '🔵', label: 'Viewed' };
    case 'counter_offered':
      return { icon: '🟢', label: 'Countered' };
    case 'accepted':
      return { icon: '✅', label: 'Accepted' };
    case 'rejected':
      return { icon: '❌', label: 'Declined' };
  }
}

/** Who can be booked right now: drivers who accepted, or countered (booking accepts their counter). */
export function bookable(offer: Offer, p: Proposal): boolean {
  return offer.status === 'active' && !offer.is_expired && (p.status === 'accepted' || (p.status === 'counter_offered' && p.driver_proposed_rate != null));
}
