import type { Offer } from '../../../lib/api/types';
import type { ConfirmRequest } from '../../../lib/ui/confirm-dialog';
import { fmtMoneyExact } from '../../../lib/format';

/**
 * How many drivers have the offer: the offer's own counters (there from the first read of the offers), or the drivers
 * list if that is further along (a send to more drivers whose counters haven't arrived yet). The drivers list alone
 * may still be loading when the dispatcher asks, and "not sent to any driver" would then be wrong.
 */
export function invitedCount(offer: Pick<Offer, 'counters'>, listed: number): number {
  return Math.max(offer.counters?.total ?? 0, listed);
}

const drivers = (n: number) => (n === 1 ? '1 driver' : `${n} drivers`);

/**
 * "Book Nwee Ler at $2,800.00? The other 4 drivers will be told the load is taken." `invited` counts every driver the
 * offer was sent to, the one being booked included: all the others hear at once that the load is gone.
 */
export function bookQuestion(driverName: string, rate: number | null, invited: number, acceptsCounter = false): ConfirmRequest {
  const others = Math.max(0, invited - 1);
  const told =
    others === 0 ? 'No other driver has this offer.' : others === 1 ? 'The other driver will be told the load is taken.' : `The other ${others} drivers will be told the load is taken.`;
  return {
    title: `Book ${driverName} at ${fmtMoneyExact(rate)}?`,
    body: `${acceptsCounter ? 'This accepts their counter-offer. ' : ''}${told}`,
    confirmLabel: `Book ${driverName}`,
    cancelLabel: 'Not yet',
  };
}

/** "Cancel offer #12 (Rockford, IL → Dallas, TX)? The 5 invited drivers will be told …" */
export function cancelQuestion(offer: Pick<Offer, 'id' | 'pickup_location' | 'delivery_location'>, invited: number): ConfirmRequest {
  const told =
    invited === 0
      ? 'It was not sent to any driver yet.'
      : invited === 1
        ? 'The invited driver will be told it is cancelled, and the chat closes.'
        : `The ${drivers(invited)} invited will be told it is cancelled, and their chats close.`;
  return {
    title: `Cancel offer #${offer.id} (${offer.pickup_location} → ${offer.delivery_location})?`,
    body: `${told} This can't be undone.`,
    confirmLabel: 'Cancel offer',
    cancelLabel: 'Keep offer',
    danger: true,
  };
}
