import { api } from '../../../lib/api/client';
import type { Offer } from '../../../lib/api/types';

/**
 * Books one driver: an accepted proposal at its agreed rate, or a counter-offer at the driver's rate. `rate` is the rate
 * the dispatcher was shown: if the driver's answer changed meanwhile the server books nobody and answers 409.
 */
export const bookDriver = (offerId: number, driverId: number, rate: number | null) =>
  api<Offer>(`/api/offers/${offerId}/book`, {
    method: 'POST',
    body: rate == null ? { driver_id: driverId } : { driver_id: driverId, rate },
  });
