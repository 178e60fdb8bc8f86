import { useSyncExternalStore } from 'react';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import type { OutboxItem } from '../../../lib/realtime/outbox';

/** Messages of this conversation still waiting in the outbox (typed offline, or in flight). */
export function useOutboxItems(offerId: number, driverId: number): OutboxItem[] {
  const { outbox } = useRealtime();
  const all = useSyncExternalStore(
    (l) => outbox.subscribe(l),
    () => outbox.items(),
  );
  return all.filter((i) => i.offer_id === offerId && i.driver_id === driverId);
}
