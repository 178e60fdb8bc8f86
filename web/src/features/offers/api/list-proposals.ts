import { api } from '../../../lib/api/client';
import type { Proposal } from '../../../lib/api/types';

export async function listProposals(offerId: number, signal?: AbortSignal): Promise<Proposal[]> {
  const body = await api<Proposal[] | { items: Proposal[] }>(`/api/offers/${offerId}/proposals`, { signal });
  return Array.isArray(body) ? body : body.items;
}
