import { useCallback } from 'react';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { newClientId } from '../../../lib/ids';

/** Every send goes through the outbox: shown at once as pending, delivered exactly once, even across an outage. */
export function useSendMessage(offerId: number, driverId: number) {
  const { outbox } = useRealtime();
  return useCallback(
    (text: string) => {
      outbox.enqueue({ client_message_id: newClientId(), offer_id: offerId, driver_id: driverId, message: text });
      void outbox.flush();
    },
    [outbox, offerId, driverId],
  );
}
