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

const rank = (o: Offer) => (effectiveStatus(o) === 'active' ? 0 : 1);

/** The seed's indicators: 🟡 sent, 🔵 viewed, 🟢 responded (countered), ✅ accepted, ❌ rejected. */
export function proposalIndicator(p: Pick<Proposal, 'status' | 'is_booked'>): { icon: string; label: string } {
  if (p.is_booked) return { icon: '🏁', label: 'Booked' };
  switch (p.status) {
    case 'sent':
      return { icon: '🟡', label: 'Sent' };
    case 'viewed':
      return { icon: '🔵', label: 'Viewed' };
    case 'counter_offered':
      return { icon: '🟢', label: 'Countered' };
    case 'accepted':
      return { icon: '✅', label: 'Accepted' };
    case 'rejected':
      return { icon: '❌', label: 'Rejected' };
  }
}

/** Who can be booked right now: drivers who accepted, or countered (booking accepts their counter). */
export function bookable(offer: Offer, p: Proposal): boolean {
  return offer.status === 'active' && !offer.is_expired && (p.status === 'accepted' || (p.status === 'counter_offered' && p.driver_proposed_rate != null));
}
