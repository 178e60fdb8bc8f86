import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';
import type { OfferInput } from './offer-input';

export const updateOffer = (id: number, input: OfferInput) => api<Offer>(`/api/offers/${id}`, { method: 'PUT', body: input });
