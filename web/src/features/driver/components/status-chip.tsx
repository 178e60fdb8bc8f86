import type { Offer } from '../../../lib/api/types';
import { fmtMoney } from '../../../lib/format';
import { awaitingDriver } from '../../offers/hooks/offer-filters';
import { offerState } from '../hooks/use-my-offers';

/** One word for where an offer stands, from the driver's side. */
export function StatusChip({ offer, now }: { offer: Offer; now: number }) {
  const { text, tone } = statusChip(offer, now);
  return <span className={`drv-chip drv-chip-${tone}`} data-testid="status-chip">{text}</span>;
}

export function statusChip(o: Offer, now: number): { text: string; tone: 'good' | 'bad' | 'muted' | 'info' | 'new' } {
  const s = offerState(o, now);
  const p = o.my_proposal;
  if (o.status === 'completed' && !o.load_taken) return { text: 'Booked', tone: 'good' };
  if (!s.open) return { text: o.status === 'cancelled' ? 'Cancelled' : o.load_taken ? 'Load taken' : 'Expired', tone: 'bad' };
  if (p?.status === 'accepted') return { text: 'Accepted', tone: 'good' };
  if (p?.status === 'rejected') return { text: 'Declined', tone: 'muted' };
  // The dispatcher answered the driver's counter with a rate of their own: the driver's turn, at that rate.
  if (p && awaitingDriver(p)) return { text: `Dispatcher offers ${fmtMoney(p.dispatcher_proposed_rate)}`, tone: 'new' };
  if (p?.status === 'counter_offered') return { text: `Countered ${fmtMoney(p.driver_proposed_rate)}`, tone: 'info' };
  if (p?.status === 'viewed') return { text: 'Viewed', tone: 'muted' };
  return { text: 'New', tone: 'new' };
}
