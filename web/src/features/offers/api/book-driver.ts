import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';

/** Books one driver: an accepted proposal at its agreed rate, or a counter-offer at the driver's rate. */
export const bookDriver = (offerId: number, driverId: number) =>
  api<Offer>(`/api/offers/${offerId}/book`, { method: 'POST', body: { driver_id: driverId } });
