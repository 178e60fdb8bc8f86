import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';

/** DELETE cancels: the offer stays, as `cancelled`, with its chat history. */
export const cancelOffer = (id: number) => api<Offer | null>(`/api/offers/${id}`, { method: 'DELETE' });
