import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';

export async function listOffers(signal?: AbortSignal): Promise<Offer[]> {
  const body = await api<Offer[] | { items: Offer[] }>('/api/offers', { signal });
  return Array.isArray(body) ? body : body.items;
}
