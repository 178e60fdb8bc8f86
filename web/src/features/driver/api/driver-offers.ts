import { api } from '../../../lib/api/client';
import type { Offer, Proposal } from '../../../lib/api/types';

/** Offers sent to the signed-in driver (the server filters by the driver token). */
export async function listMyOffers(signal?: AbortSignal): Promise<Offer[]> {
  const body = await api<Offer[] | { items: Offer[] }>('/api/offers', { signal });
  return Array.isArray(body) ? body : body.items;
}

export const getMyOffer = (offerId: number, signal?: AbortSignal) => api<Offer>(`/api/offers/${offerId}`, { signal });

export type DriverAction = 'view' | 'accept' | 'reject' | 'counter';

export const respond = (proposalId: number, action: DriverAction, rate?: number) =>
  api<Proposal>(`/api/proposals/${proposalId}/respond`, {
    method: 'PUT',
    body: rate === undefined ? { action } : { action, rate },
  });
