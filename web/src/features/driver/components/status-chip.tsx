import type { Offer } from '../../../lib/api/types';
import { fmtMoney } from '../../../lib/format';
import { offerState } from '../hooks/use-my-offers';

/** One word for where an offer stands, from the driver's side. */
export function StatusChip({ offer: o, now }: { offer: Offer; now: number }) {
  const s = offerState(o, now);
  const p = o.my_proposal;
  let text: string;
  let tone: string;
  if (o.status === 'completed' && !o.load_taken) [text, tone] = ['Booked', 'good'];
  else if (!s.open) [text, tone] = [o.status === 'cancelled' ? 'Cancelled' : o.load_taken ? 'Load taken' : 'Expired', 'bad'];
  else if (p?.status === 'accepted') [text, tone] = ['Accepted', 'good'];
  else if (p?.status === 'rejected') [text, tone] = ['Declined', 'muted'];
  else if (p?.status === 'counter_offered') [text, tone] = [`Countered ${fmtMoney(p.driver_proposed_rate)}`, 'info'];
  else if (p?.status === 'viewed') [text, tone] = ['Viewed', 'muted'];
  else [text, tone] = ['New', 'new'];
  return <span className={`drv-chip drv-chip-${tone}`} data-testid="status-chip">{text}</span>;
}
