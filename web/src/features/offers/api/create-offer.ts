import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';
import type { OfferInput } from './offer-input';

export const createOffer = (input: OfferInput) => api<Offer>('/api/offers', { method: 'POST', body: input });
