import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../lib/api/types';
import { keys } from '../../../lib/query-keys';
import { getMyOffer, listMyOffers } from '../api/driver-offers';

export const useMyOffers = () => useQuery({ queryKey: keys.offers, queryFn: ({ signal }) => listMyOffers(signal) });

/** One offer, from the list the hub keeps live; fetched alone (and put into the list) when the list lacks it. */
export function useMyOffer(offerId: number) {
  const qc = useQueryClient();
  const list = useMyOffers();
  const fromList = list.data?.find((o) => o.id === offerId);
  const single = useQuery({
    queryKey: ['offer', offerId],
    enabled: !list.isLoading && !fromList,
    queryFn: async ({ signal }) => {
      const offer = await getMyOffer(offerId, signal);
      qc.setQueryData<Offer[]>(keys.offers, (l) => (l && !l.some((o) => o.id === offer.id) ? [offer, ...l] : l));
      return offer;
    },
  });
  const retry = () => {
    void list.refetch();
    if (!fromList) void single.refetch();
  };
  return { offer: fromList ?? single.data, isLoading: list.isLoading || single.isLoading, error: list.error ?? single.error, retry };
}

/** What the driver can still do with an offer, and the banner that says why not. */
export interface OfferState {
  open: boolean;
  /** Shown at once when the load is gone; also closes the chat composer when set and `chatOpen` is false. */
  banner: { tone: 'good' | 'bad' | 'info'; text: string } | null;
  chatOpen: boolean;
  canAnswer: boolean;
}

export function offerState(o: Offer, now: number): OfferState {
  const expired = o.is_expired || (o.status === 'active' && !!o.expires_at && new Date(o.expires_at).getTime() <= now);
  const p = o.my_proposal;
  if (o.status === 'completed' && !o.load_taken) {
    return { open: false, chatOpen: true, canAnswer: false, banner: { tone: 'good', text: `You're booked on this load${o.booked_rate != null ? ` at $${o.booked_rate.toLocaleString('en-US')}` : ''}.` } };
  }
  if (o.load_taken || o.status === 'completed') {
    return { open: false, chatOpen: false, canAnswer: false, banner: { tone: 'bad', text: 'Load taken — this load was booked by another driver.' } };
  }
  if (o.status === 'cancelled') {
    return { open: false, chatOpen: false, canAnswer: false, banner: { tone: 'bad', text: 'This offer was cancelled by the dispatcher.' } };
  }
  if (expired) {
    // No more answers, but the conversation stays open (the server keeps it open): the dispatcher may follow up.
    return { open: false, chatOpen: true, canAnswer: false, banner: { tone: 'bad', text: 'This offer has expired.' } };
  }
  if (p?.status === 'rejected') {
    return { open: true, chatOpen: true, canAnswer: false, banner: { tone: 'info', text: 'You turned this load down.' } };
  }
  if (p?.status === 'accepted') {
    return { open: true, chatOpen: true, canAnswer: false, banner: { tone: 'info', text: 'You accepted. Waiting for the dispatcher to book you.' } };
  }
  return { open: true, chatOpen: true, canAnswer: true, banner: null };
}
