import { api } from '../../../lib/api/client';

export const sendToDrivers = (offerId: number, driverIds: number[]) =>
  api<unknown>(`/api/offers/${offerId}/send-to-drivers`, { method: 'POST', body: { driver_ids: driverIds } });
